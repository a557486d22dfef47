import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { registerFilePolicy } from '../files/policy.js';
import {
  BoardQuery, ClientId, DeliverableInput, DeliverableParams, PairingEnd, PairingInput, PairingQuery, RecordInput, RecordQuery, VillageInput,
  VillageQuery,
} from '../../../shared/schemas/village.js';
import * as cmd from './commands.js';
import { board, getPairing, getRecord, listPairings, listRecords, listVillages, myPairing, pairingReadable } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

// 法律志愿服务进乡村“1155”工程.
export function villageRoutes(app: FastifyInstance) {
  const tags = ['“1155”工程'];
  const readers = ['village:read', 'village:field'] as const;

  // A record's photos and a deliverable's evidence are readable by whoever may read the pairing.
  registerFilePolicy('village_record', async (ctx, ownerId) => {
    const r = await ctx.db.selectFrom('village_record').select('pairing_id').where('id', '=', ownerId).executeTakeFirst();
    return Boolean(r && (await pairingReadable(ctx, r.pairing_id)));
  });
  registerFilePolicy('village_deliverable', async (ctx, ownerId) => {
    const r = await ctx.db.selectFrom('village_deliverable').select('pairing_id').where('id', '=', ownerId).executeTakeFirst();
    return Boolean(r && (await pairingReadable(ctx, r.pairing_id)));
  });

  route(app, {
    method: 'GET', url: '/api/village/villages', summary: '嘎查村/社区（按旗县区、名称）', tags, permission: 'village:read', query: VillageQuery,
    handler: ({ ctx, actor, query }) => listVillages(ctx, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/village/villages', summary: '新增嘎查村/社区', tags, permission: 'village:write', body: VillageInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createVillage(ctx, body)),
  });
  route(app, {
    method: 'GET', url: '/api/village/pairings', summary: '结对（干部—嘎查村，五年期）', tags, permission: 'village:read', query: PairingQuery,
    handler: ({ ctx, actor, query }) => listPairings(ctx, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/village/pairings', summary: '新增结对（每名干部、每个嘎查村只能有 1 个结对中的结对）', tags, permission: 'village:write', body: PairingInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createPairing(ctx, body)),
  });
  route(app, {
    method: 'GET', url: '/api/village/pairings/:id', summary: '一个结对：本年度服务、走访与达标情况，五项交付成果', tags, permission: [...readers], params: IdParams,
    handler: ({ ctx, actor, params }) => getPairing(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/village/pairings/:id/end', summary: '结束结对', tags, permission: 'village:write', params: IdParams, body: PairingEnd,
    handler: ({ ctx, params, body }) => cmd.endPairing(ctx, params.id, body),
  });
  route(app, {
    method: 'PUT', url: '/api/village/pairings/:id/deliverables/:kind', summary: '登记交付成果（状态、完成日期、数量、佐证材料）', tags,
    permission: 'village:write', params: DeliverableParams, body: DeliverableInput,
    handler: ({ ctx, params, body }) => cmd.setDeliverable(ctx, params.id, params.kind, body),
  });
  route(app, {
    method: 'GET', url: '/api/village/mine', summary: '本人结对的嘎查村、本年度计数与交付成果（手机端）', tags, permission: 'village:field',
    handler: ({ ctx, actor }) => myPairing(ctx, actor),
  });
  route(app, {
    method: 'GET', url: '/api/village/records', summary: '法律服务与走访记录（按日期倒序）', tags, permission: [...readers], query: RecordQuery,
    handler: ({ ctx, actor, query }) => listRecords(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/village/records/:id', summary: '一条法律服务或走访记录', tags, permission: [...readers], params: IdParams,
    handler: ({ ctx, actor, params }) => getRecord(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/village/records', summary: '登记法律服务或走访（编号由手机生成；同一编号同一内容重复发送只保存一次，答 200）', tags,
    permission: 'village:field', body: RecordInput,
    handler: async ({ ctx, actor, body, reply }) => {
      const out = await cmd.submitRecord(ctx, body);
      return reply.status(out.created ? 201 : 200).send({ ...(await getRecord(ctx, actor, out.id)), created: out.created });
    },
  });
  route(app, {
    method: 'PUT', url: '/api/village/photos/:id', summary: '上传记录照片（multipart：file；编号由手机生成，重试上传不会重复保存）', tags,
    permission: 'village:field', params: z.object({ id: ClientId }),
    handler: async ({ ctx, req, params, reply }) => {
      if (!req.isMultipart()) throw badRequest('照片：请以 multipart/form-data 上传', 'file');
      let file: { data: Buffer; filename: string } | undefined;
      for await (const part of req.parts()) {
        if (part.type !== 'file') continue;
        if (part.fieldname !== 'file' || file) {
          part.file.resume();
          throw badRequest('照片：一次只能上传一张（字段名 file）', 'file');
        }
        let data: Buffer;
        try {
          data = await part.toBuffer();
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(413, 'TOO_LARGE', '照片：超过大小限制', 'file');
          throw err;
        }
        if (part.file.truncated) throw new AppError(413, 'TOO_LARGE', '照片：超过大小限制', 'file');
        file = { data, filename: part.filename };
      }
      if (!file) throw badRequest('照片：不能为空', 'file');
      const out = await cmd.putPhoto(ctx, params.id, file.data, file.filename);
      return reply.status(out.created ? 201 : 200).send(out.file);
    },
  });
  route(app, {
    method: 'GET', url: '/api/village/board', summary: '达标看板：某年度各旗县区、各结对干部的服务与走访数、交付成果、达标状态与年末预测', tags,
    permission: [...readers], query: BoardQuery,
    handler: ({ ctx, actor, query }) => board(ctx, actor, query),
  });
}
