import type { Ctx } from '../../platform/context.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { shanghaiDate } from '../../platform/time.js';
import { enabledCodes } from '../dict/queries.js';
import { isPublishable, WITHHELD, withheldDescription } from '../opinions/disclosure.js';
import { ADOPTION_TARGETS, OPINION_STATUS, type OpinionStatus } from '../../../shared/schemas/opinions.js';
import { OPEN311_ATTRIBUTES, OPEN311_GROUP, OPEN311_SPEC } from '../../../shared/schemas/open311.js';
import { parseW3, w3 } from './format.js';

// The read side of GeoReport v2. Everything here is public (no key needed, as the spec says), so
// nothing personal leaves: never a name, phone or email, and for an opinion that was not given for
// publication (disclosure.ts) neither its text, reply, rejection reason, place nor media link.

async function rootUnitName(ctx: Ctx): Promise<string> {
  const root = await ctx.db.selectFrom('org_unit').select('name').where('parent_id', 'is', null).orderBy('sort').executeTakeFirst();
  return root?.name ?? '本单位';
}

/** The discovery document. Its URLs come from the configured public address, never from the request's Host. */
export async function discovery(ctx: Ctx) {
  const [latest, bureau] = await Promise.all([
    ctx.db
      .selectFrom('dict_item')
      .select((eb) => eb.fn.max('updated_at').as('at'))
      .where('type_code', '=', 'opinion_category')
      .executeTakeFirst(),
    rootUnitName(ctx),
  ]);
  // The changeset moves when the service list (the category dictionary) changes.
  const changeset = w3(latest?.at ? String(latest.at) : null) ?? w3(new Date(0).toISOString())!;
  return {
    changeset,
    contact: `${bureau}（开门纳谏）：意见办理进度凭查询码在门户网站查询；接口技术问题请联系本单位平台管理员。`,
    key_service: `提交意见须携带接入密钥（api_key），由${bureau}平台安全管理员签发，密钥仅在签发时显示一次。查询服务类别和办理进度无需密钥。`,
    endpoints: [
      {
        specification: OPEN311_SPEC,
        url: `${ctx.config.publicUrl}/open311/v2`,
        changeset,
        type: 'production',
        formats: ['application/json', 'text/xml'],
      },
    ],
  };
}

export interface ServiceView {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

export async function listServices(ctx: Ctx): Promise<ServiceView[]> {
  const categories = await enabledCodes(ctx.db, 'opinion_category');
  return categories.map((c) => ({
    service_code: c.code,
    service_name: c.label,
    description:
      `对“${c.label}”方面工作的意见建议，可实名或匿名提交（实名须提供姓名，以及电话或电子邮箱）。` +
      '照片请以 multipart/form-data 的 media 文件字段随请求提交（JPEG/PNG，最大 5 MB）；media_url 只记录链接，本接口不抓取其所指的远程文件。',
    // Every category takes our two extra fields (identity, wants_contact): see the service definition.
    metadata: true,
    type: 'realtime',
    keywords: [c.label, '意见', '建议', '投诉', OPEN311_GROUP].join(', '),
    group: OPEN311_GROUP,
  }));
}

export async function serviceDefinition(ctx: Ctx, code: string) {
  const categories = await enabledCodes(ctx.db, 'opinion_category');
  if (!categories.some((c) => c.code === code)) throw notFound(`服务类别（service_code）：“${code}”不存在`);
  const attrs = Object.entries(OPEN311_ATTRIBUTES).map(([attrCode, a], i) => ({
    variable: true,
    code: attrCode,
    datatype: 'singlevaluelist' as const,
    required: false,
    datatype_description: `默认：${a.values[a.default as keyof typeof a.values]}（${a.default}）`,
    order: i + 1,
    description: a.description,
    values: Object.entries(a.values).map(([key, name]) => ({ key, name })),
  }));
  return { service_code: code, attributes: attrs };
}

// ---- service requests -------------------------------------------------------------------------

const OPEN_STATUSES: OpinionStatus[] = ['received', 'assigned'];
const CLOSED_STATUSES: OpinionStatus[] = ['replied', 'rejected', 'merged'];
const MAX_ROWS = 1000;
/** The spec: a start_date/end_date range "may not span more than 90 days"; also the default window. */
const MAX_SPAN_MS = 90 * 86_400_000;

export interface RequestView {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string | null;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string | null;
  updated_datetime: string | null;
  expected_datetime: string | null;
  address: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

function requestsQuery(ctx: Ctx) {
  return ctx.db
    .selectFrom('opinion')
    .leftJoin('org_unit', 'org_unit.id', 'opinion.assigned_unit_id')
    .leftJoin('opinion as survivor', 'survivor.id', 'opinion.merged_into_id')
    .select([
      'opinion.public_no', 'opinion.status', 'opinion.category', 'opinion.identity', 'opinion.channel',
      'opinion.content', 'opinion.reply_text', 'opinion.reject_reason', 'opinion.replied_at', 'opinion.deadline_at',
      'opinion.location_text', 'opinion.lat', 'opinion.lon', 'opinion.media_url', 'opinion.submitted_at', 'opinion.updated_at',
      'org_unit.name as unit_name', 'survivor.public_no as survivor_no',
    ]);
}
type RequestRow = Awaited<ReturnType<ReturnType<typeof requestsQuery>['executeTakeFirstOrThrow']>>;

async function categoryNames(ctx: Ctx): Promise<Map<string, string>> {
  // Disabled categories still name the opinions filed under them.
  const rows = await ctx.db.selectFrom('dict_item').select(['code', 'label']).where('type_code', '=', 'opinion_category').execute();
  return new Map(rows.map((r) => [r.code, r.label]));
}

function mergedNote(survivorNo: string | null) {
  return survivorNo ? `已合并办理（并入意见 ${survivorNo}，进度以该意见为准）` : '已合并办理';
}

function toView(r: RequestRow, names: Map<string, string>): RequestView {
  const status = r.status as OpinionStatus;
  const closed = CLOSED_STATUSES.includes(status);
  // One rule (disclosure.ts): what could identify or address the person is shown only for opinions
  // given for public follow-up. Staff write replies to the person, so a reply counts as personal.
  const open = isPublishable(r);
  const notes =
    status === 'replied' ? (open ? r.reply_text : WITHHELD.reply)
    : status === 'rejected' ? (open ? r.reject_reason : WITHHELD.rejected)
    : status === 'merged' ? mergedNote(r.survivor_no)
    : OPINION_STATUS[status];
  const notice =
    status === 'assigned' && r.unit_name
      ? `已转交${r.unit_name}办理${r.deadline_at ? `，将于${shanghaiDate(new Date(r.deadline_at))}前答复` : ''}`
      : status === 'received' ? '已受理，正在分办' : null;
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    service_request_id: r.public_no,
    status: closed ? 'closed' : 'open',
    status_notes: notes || OPINION_STATUS[status],
    service_name: r.category ? (names.get(r.category) ?? r.category) : null,
    service_code: r.category,
    description: open ? r.content : withheldDescription(r),
    agency_responsible: r.unit_name ?? null,
    service_notice: notice,
    requested_datetime: w3(r.submitted_at),
    // For a closed request the spec wants the closing time.
    updated_datetime: w3(status === 'replied' ? (r.replied_at ?? r.updated_at) : r.updated_at),
    expected_datetime: status === 'assigned' ? w3(r.deadline_at) : null,
    address: open ? r.location_text : null,
    lat: open ? num(r.lat) : null,
    long: open ? num(r.lon) : null,
    // A URI or null (the spec's schema), never an empty string.
    media_url: open && r.media_url ? r.media_url : null,
  };
}

function listParam(v: unknown): string[] {
  const raw = Array.isArray(v) ? v.join(',') : typeof v === 'string' ? v : '';
  return [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
}

function dateParam(v: unknown, field: 'start_date' | 'end_date') {
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s !== 'string' || s.trim() === '') return undefined;
  const parsed = parseW3(s);
  const label = field === 'start_date' ? '开始时间' : '结束时间';
  if (!parsed) throw badRequest(`${label}（${field}）：应为 W3C 日期时间格式，如 2026-01-01T00:00:00+08:00`, field);
  // A bare end date means the whole of that day.
  return field === 'end_date' && parsed.dateOnly ? new Date(parsed.at.getTime() + 86_400_000 - 1) : parsed.at;
}

/**
 * The start_date/end_date window: at most 90 days (the spec's "may not span more than 90 days";
 * 400 beyond). Neither given: the most recent 90 days. Only one given: 90 days from (or up to) it.
 */
export function dateWindow(query: Record<string, unknown>, now: Date): { start: Date; end: Date } {
  const start = dateParam(query.start_date, 'start_date');
  const end = dateParam(query.end_date, 'end_date');
  if (start && end) {
    if (start > end) throw badRequest('开始时间（start_date）：不能晚于结束时间（end_date）', 'start_date');
    if (end.getTime() - start.getTime() > MAX_SPAN_MS) {
      throw badRequest('开始时间（start_date）：与结束时间（end_date）的间隔不能超过 90 天', 'start_date');
    }
    return { start, end };
  }
  if (start) return { start, end: new Date(start.getTime() + MAX_SPAN_MS) };
  const until = end ?? now;
  return { start: new Date(until.getTime() - MAX_SPAN_MS), end: until };
}

/** GET requests: filters as the spec writes them; the most recent 90 days and 1000 rows by default. */
export async function listRequests(ctx: Ctx, query: Record<string, unknown>): Promise<RequestView[]> {
  const ids = listParam(query.service_request_id);
  const codes = listParam(query.service_code);
  const statuses = listParam(query.status);
  const bad = statuses.find((s) => s !== 'open' && s !== 'closed');
  if (bad) throw badRequest(`状态（status）：“${bad}”无效，应为 open 或 closed`, 'status');
  if (ids.length > MAX_ROWS) throw badRequest(`意见编号（service_request_id）：一次最多查询 ${MAX_ROWS} 个`, 'service_request_id');
  if (ids.some((id) => id.length > 64)) throw badRequest('意见编号（service_request_id）：格式不正确', 'service_request_id');
  // Checked even when service_request_id overrides them: a malformed argument is still a 400.
  const { start, end } = dateWindow(query, ctx.now());

  let q = requestsQuery(ctx);
  if (ids.length) {
    // The spec: service_request_id overrides every other argument.
    q = q.where('opinion.public_no', 'in', ids);
  } else {
    if (codes.length) q = q.where('opinion.category', 'in', codes);
    if (statuses.length === 1) {
      q = q.where('opinion.status', 'in', statuses[0] === 'open' ? OPEN_STATUSES : CLOSED_STATUSES);
    }
    q = q.where('opinion.submitted_at', '>=', start.toISOString()).where('opinion.submitted_at', '<=', end.toISOString());
  }
  const [rows, names] = await Promise.all([
    q.orderBy('opinion.submitted_at', 'desc').orderBy('opinion.id', 'desc').limit(MAX_ROWS).execute(),
    categoryNames(ctx),
  ]);
  return rows.map((r) => toView(r, names));
}

export async function getRequest(ctx: Ctx, publicNo: string): Promise<RequestView> {
  const [row, names] = await Promise.all([
    requestsQuery(ctx).where('opinion.public_no', '=', publicNo).executeTakeFirst(),
    categoryNames(ctx),
  ]);
  if (!row) throw notFound(`意见编号（service_request_id）：“${publicNo}”不存在`);
  return toView(row, names);
}

export async function requestIdOfToken(ctx: Ctx, token: string): Promise<{ service_request_id: string; token: string }> {
  const row = await ctx.db.selectFrom('opinion').select('public_no').where('open311_token', '=', token).executeTakeFirst();
  if (!row) throw notFound(`令牌（token）：“${token}”不存在`);
  return { service_request_id: row.public_no, token };
}

// ---- service request updates (FixMyStreet's extension) -----------------------------------------
//
// GET servicerequestupdates.{json,xml}?start_date&end_date: what happened to requests, one item per
// public event, as FixMyStreet's Open311 client reads it (Open311.pm get_service_request_updates,
// Open311/GetServiceRequestUpdates.pm): <service_requests_updates><request_update> with update_id,
// service_request_id, status, updated_datetime, description, media_url. It skips items without
// update_id or service_request_id and lower-cases the status, mapping open/closed and its extended
// statuses (in_progress, action_scheduled, duplicate, no_further_action …) onto its own states.

export const UPDATE_KINDS = ['assigned', 'replied', 'rejected', 'merged', 'adopted'] as const;
type UpdateKind = (typeof UPDATE_KINDS)[number];

/** Each event's status in FixMyStreet's vocabulary (lower case, as GeoReport writes open/closed). */
export const UPDATE_STATUS: Record<UpdateKind, string> = {
  assigned: 'in_progress',
  adopted: 'action_scheduled',
  replied: 'closed',
  rejected: 'no_further_action',
  merged: 'duplicate',
};

export interface RequestUpdateView {
  update_id: string;
  service_request_id: string;
  status: string;
  updated_datetime: string | null;
  description: string;
  media_url: string | null;
}

function parseDetail(detail: string | null): Record<string, unknown> {
  if (!detail) return {};
  try {
    const v = JSON.parse(detail);
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

/**
 * Public events (assigned, replied, rejected, merged, adopted) in the window, oldest first so a
 * client applying them in order ends in the current state; at most 1000. The same disclosure rule
 * as GET requests: the reply text, rejection reason and adoption title only for publishable opinions.
 */
export async function listUpdates(ctx: Ctx, query: Record<string, unknown>): Promise<RequestUpdateView[]> {
  const { start, end } = dateWindow(query, ctx.now());
  const rows = await ctx.db
    .selectFrom('opinion_event')
    .innerJoin('opinion', 'opinion.id', 'opinion_event.opinion_id')
    .select([
      'opinion_event.id', 'opinion_event.at', 'opinion_event.kind', 'opinion_event.public_text', 'opinion_event.detail',
      'opinion.public_no', 'opinion.identity', 'opinion.channel', 'opinion.reply_text', 'opinion.reject_reason',
    ])
    .where('opinion_event.public', '=', 1)
    .where('opinion_event.kind', 'in', [...UPDATE_KINDS])
    .where('opinion_event.at', '>=', start.toISOString())
    .where('opinion_event.at', '<=', end.toISOString())
    .orderBy('opinion_event.at')
    .orderBy('opinion_event.id')
    .limit(MAX_ROWS)
    .execute();
  return rows.map((r) => {
    const kind = r.kind as UpdateKind;
    const open = isPublishable(r);
    const target = parseDetail(r.detail).target as keyof typeof ADOPTION_TARGETS | undefined;
    const description =
      kind === 'replied' ? (open && r.reply_text ? r.reply_text : WITHHELD.reply)
      : kind === 'rejected' ? (open && r.reject_reason ? `不予受理：${r.reject_reason}` : WITHHELD.rejected)
      : kind === 'adopted' && !open ? `已纳入${(target && ADOPTION_TARGETS[target]) || '整改清单'}`
      : (r.public_text ?? OPINION_STATUS[kind as OpinionStatus] ?? '');
    return {
      update_id: r.id,
      service_request_id: r.public_no,
      status: UPDATE_STATUS[kind],
      updated_datetime: w3(r.at),
      description,
      media_url: null,
    };
  });
}
