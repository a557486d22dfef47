import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { registerFilePolicy } from '../files/policy.js';
import {
  ActivityInput, ActivityPatch, ActivityQuery, AttendanceInput, CheckinInput, CommendationInput, CommendationPatch, CommendationQuery,
  CoverageQuery, FollowUpDoneInput, MyQuery, PageQuery, ReviewInput, SeriesInput, ShareInput, ShareQuery, VisitInput, VisitPatch, VisitQuery,
} from '../../../shared/schemas/study.js';
import * as cmd from './commands.js';
import * as q from './queries.js';

// 学习活动（九学）、签到、分享、观评、巡回指导、选树典型.

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });
const AttendeeParams = IdParams.extend({ personId: z.string().min(1).max(64).describe('人员') });

export function studyRoutes(app: FastifyInstance) {
  const tags = ['学习教育'];
  // Materials open to staff in scope and to the activity's participants; a share's audio to its listeners.
  registerFilePolicy('study_activity', (ctx, ownerId) => q.activityReadable(ctx, ownerId));
  registerFilePolicy('study_share', (ctx, ownerId) => q.shareReadable(ctx, ownerId));

  // ---- activities
  route(app, {
    method: 'GET', url: '/api/study/activities', summary: '学习活动（“九学”，默认当前批次，按日期倒序）', tags, permission: 'study:read',
    query: ActivityQuery,
    handler: ({ ctx, actor, query }) => {
      q.checkRange(query);
      return q.listActivities(ctx, actor, query);
    },
  });
  route(app, {
    method: 'POST', url: '/api/study/activities',
    summary: '组织一次学习活动（方式、时间、地点、主讲、资料、学时、应参加单位或人员）', tags, permission: 'study:write', body: ActivityInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createActivity(ctx, body)),
  });
  route(app, {
    method: 'GET', url: '/api/study/activities/:id', summary: '一次学习活动：应到、实到、到课率、资料（工作人员，或应参加、已签到的本人）', tags,
    permission: ['study:read', 'study:take'], params: IdParams,
    handler: ({ ctx, actor, params }) => q.getActivity(ctx, actor, params.id),
  });
  route(app, {
    method: 'PATCH', url: '/api/study/activities/:id', summary: '修改学习活动（学时、日期的修改同步到已签到记录）', tags, permission: 'study:write',
    params: IdParams, body: ActivityPatch,
    handler: ({ ctx, params, body }) => cmd.updateActivity(ctx, params.id, body),
  });
  route(app, {
    method: 'GET', url: '/api/study/activities/:id/attendance', summary: '签到名单（是否在应参加名单内）', tags, permission: 'study:read',
    params: IdParams, query: PageQuery,
    handler: ({ ctx, actor, params, query }) => q.listAttendance(ctx, actor, params.id, query),
  });
  route(app, {
    method: 'GET', url: '/api/study/activities/:id/absent', summary: '应参加而未签到的人员', tags, permission: 'study:read',
    params: IdParams, query: PageQuery,
    handler: ({ ctx, actor, params, query }) => q.listAbsent(ctx, actor, params.id, query),
  });
  route(app, {
    method: 'POST', url: '/api/study/activities/:id/attendance', summary: '名单登记签到（重复登记的人员不重复计入）', tags, permission: 'study:write',
    params: IdParams, body: AttendanceInput,
    handler: ({ ctx, params, body }) => cmd.recordAttendance(ctx, params.id, body),
  });
  route(app, {
    method: 'DELETE', url: '/api/study/activities/:id/attendance/:personId', summary: '撤销一人的签到', tags, permission: 'study:write',
    params: AttendeeParams,
    handler: ({ ctx, params }) => cmd.removeAttendance(ctx, params.id, params.personId),
  });
  route(app, {
    method: 'GET', url: '/api/study/activities/:id/checkin-code',
    summary: '现场签到二维码（每 30 秒更换；活动开始前 15 分钟至结束时有效）', tags, permission: 'study:write', params: IdParams,
    handler: async ({ ctx, actor, params, reply }) => {
      reply.header('cache-control', 'no-store');
      return q.currentCheckinCode(ctx, actor, params.id);
    },
  });
  route(app, {
    method: 'POST', url: '/api/study/checkin', summary: '扫码签到（本人；重复签到返回“已签到”）', tags, permission: 'study:take', body: CheckinInput,
    handler: async ({ ctx, body, reply }) => {
      const r = await cmd.checkin(ctx, body);
      return reply.status(r.already ? 200 : 201).send(r);
    },
  });
  route(app, {
    method: 'GET', url: '/api/study/my/activities', summary: '本人的学习活动（应参加或已签到）及学时', tags, permission: 'study:take', query: MyQuery,
    handler: ({ ctx, actor, query }) => q.myActivities(ctx, actor, query),
  });

  // ---- series (晨读分享轮值)
  route(app, {
    method: 'POST', url: '/api/study/series', summary: '按工作日批量安排系列学习（如晨读前 10 分钟学习分享，主讲人轮值）', tags,
    permission: 'study:write', body: SeriesInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createSeries(ctx, body)),
  });
  route(app, {
    method: 'GET', url: '/api/study/series/:id', summary: '系列学习：轮值表与近期场次', tags, permission: 'study:read', params: IdParams,
    handler: ({ ctx, actor, params }) => q.getSeries(ctx, actor, params.id),
  });

  // ---- reviews (观评)
  route(app, {
    method: 'PUT', url: '/api/study/activities/:id/review', summary: '撰写或修改本人的观评（重要活动跟学）', tags, permission: 'study:take',
    params: IdParams, body: ReviewInput,
    handler: ({ ctx, params, body }) => cmd.writeReview(ctx, params.id, body),
  });
  route(app, {
    method: 'GET', url: '/api/study/activities/:id/reviews', summary: '一次活动的观评（数据范围内人员）', tags, permission: 'study:read',
    params: IdParams, query: PageQuery,
    handler: ({ ctx, actor, params, query }) => q.listReviews(ctx, actor, params.id, query),
  });
  route(app, {
    method: 'GET', url: '/api/study/my/reviews', summary: '本人的观评', tags, permission: 'study:take', query: PageQuery,
    handler: ({ ctx, actor, query }) => q.myReviews(ctx, actor, query),
  });

  // ---- shares (分享促学)
  route(app, {
    method: 'GET', url: '/api/study/shares', summary: '分享促学（原文领读、红色故事…），最新在前', tags, permission: ['study:take', 'study:read'],
    query: ShareQuery,
    handler: ({ ctx, actor, query }) => q.listShares(ctx, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/study/shares', summary: '发布分享（文字或音频）', tags, permission: 'study:take', body: ShareInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createShare(ctx, body)),
  });
  route(app, {
    method: 'POST', url: '/api/study/shares/:id/play', summary: '记一次收听', tags, permission: ['study:take', 'study:read'], params: IdParams,
    handler: ({ ctx, params }) => cmd.playShare(ctx, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/study/shares/:id/like', summary: '点赞（每人一次）', tags, permission: 'study:take', params: IdParams,
    handler: ({ ctx, params }) => cmd.likeShare(ctx, params.id, true),
  });
  route(app, {
    method: 'DELETE', url: '/api/study/shares/:id/like', summary: '取消点赞', tags, permission: 'study:take', params: IdParams,
    handler: ({ ctx, params }) => cmd.likeShare(ctx, params.id, false),
  });
  route(app, {
    method: 'POST', url: '/api/study/shares/:id/hide', summary: '隐藏分享', tags, permission: 'study:write', params: IdParams,
    handler: ({ ctx, params }) => cmd.setShareStatus(ctx, params.id, 'hidden'),
  });
  route(app, {
    method: 'POST', url: '/api/study/shares/:id/unhide', summary: '恢复显示分享', tags, permission: 'study:write', params: IdParams,
    handler: ({ ctx, params }) => cmd.setShareStatus(ctx, params.id, 'published'),
  });

  // ---- roving supervision (巡回指导)
  route(app, {
    method: 'GET', url: '/api/study/supervision', summary: '巡回指导记录（默认当前批次，按日期倒序）', tags, permission: 'study:read', query: VisitQuery,
    handler: ({ ctx, actor, query }) => q.listVisits(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/study/supervision/coverage', summary: '巡回指导覆盖：已指导党组织 / 全部党组织（按单位）及未指导名单', tags,
    permission: 'study:read', query: CoverageQuery,
    handler: ({ ctx, actor, query }) => q.supervisionCoverage(ctx, actor, query.campaignId),
  });
  route(app, {
    method: 'GET', url: '/api/study/supervision/:id', summary: '一次巡回指导', tags, permission: 'study:read', params: IdParams,
    handler: ({ ctx, actor, params }) => q.getVisit(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/study/supervision', summary: '记录一次巡回指导（党组织、指导组、发现问题、整改要求及期限）', tags,
    permission: 'study:write', body: VisitInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createVisit(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/study/supervision/:id', summary: '修改巡回指导记录', tags, permission: 'study:write', params: IdParams, body: VisitPatch,
    handler: ({ ctx, params, body }) => cmd.updateVisit(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/study/supervision/:id/follow-up-done', summary: '整改完成（日期、结果）', tags, permission: 'study:write',
    params: IdParams, body: FollowUpDoneInput,
    handler: ({ ctx, params, body }) => cmd.completeFollowUp(ctx, params.id, body),
  });

  // ---- commendations (选树典型)
  route(app, {
    method: 'GET', url: '/api/study/commendations', summary: '选树典型（先进党组织、先进个人），按授予日期倒序', tags, permission: 'study:read',
    query: CommendationQuery,
    handler: ({ ctx, actor, query }) => q.listCommendations(ctx, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/study/commendations', summary: '记录选树的典型', tags, permission: 'study:write', body: CommendationInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createCommendation(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/study/commendations/:id', summary: '修改典型记录', tags, permission: 'study:write', params: IdParams,
    body: CommendationPatch,
    handler: ({ ctx, params, body }) => cmd.updateCommendation(ctx, params.id, body),
  });
}
