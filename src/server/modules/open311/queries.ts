import type { Ctx } from '../../platform/context.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { shanghaiDate } from '../../platform/time.js';
import { enabledCodes } from '../dict/queries.js';
import { OPINION_STATUS, type OpinionStatus } from '../../../shared/schemas/opinions.js';
import { OPEN311_ATTRIBUTES, OPEN311_GROUP, OPEN311_SPEC } from '../../../shared/schemas/open311.js';
import { parseW3, w3 } from './format.js';

// The read side of GeoReport v2. Everything here is public (no key needed, as the spec says), so
// nothing personal leaves: never a name or phone, and a named opinion's text stays inside.

async function rootUnitName(ctx: Ctx): Promise<string> {
  const root = await ctx.db.selectFrom('org_unit').select('name').where('parent_id', 'is', null).orderBy('sort').executeTakeFirst();
  return root?.name ?? '本单位';
}

export async function discovery(ctx: Ctx, origin: string) {
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
        url: `${origin}/open311/v2`,
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
      `对“${c.label}”方面工作的意见建议，可实名或匿名提交（实名须提供姓名和电话）。` +
      '本接口不抓取 media_url 所指的远程文件，需附图片的请通过门户网站提交。',
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
const DEFAULT_SPAN_MS = 90 * 86_400_000;

export interface RequestView {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string | null;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string | null;
  updated_datetime: string | null;
  expected_datetime: string | null;
  address: string | null;
  lat: number | null;
  long: number | null;
  media_url: string;
}

function requestsQuery(ctx: Ctx) {
  return ctx.db
    .selectFrom('opinion')
    .leftJoin('org_unit', 'org_unit.id', 'opinion.assigned_unit_id')
    .leftJoin('opinion as survivor', 'survivor.id', 'opinion.merged_into_id')
    .select([
      'opinion.public_no', 'opinion.status', 'opinion.category', 'opinion.identity', 'opinion.channel',
      'opinion.content', 'opinion.reply_text', 'opinion.reject_reason', 'opinion.replied_at', 'opinion.deadline_at',
      'opinion.location_text', 'opinion.lat', 'opinion.lon', 'opinion.submitted_at', 'opinion.updated_at',
      'org_unit.name as unit_name', 'survivor.public_no as survivor_no',
    ]);
}
type RequestRow = Awaited<ReturnType<ReturnType<typeof requestsQuery>['executeTakeFirstOrThrow']>>;

async function categoryNames(ctx: Ctx): Promise<Map<string, string>> {
  // Disabled categories still name the opinions filed under them.
  const rows = await ctx.db.selectFrom('dict_item').select(['code', 'label']).where('type_code', '=', 'opinion_category').execute();
  return new Map(rows.map((r) => [r.code, r.label]));
}

function toView(r: RequestRow, names: Map<string, string>): RequestView {
  const status = r.status as OpinionStatus;
  const closed = CLOSED_STATUSES.includes(status);
  const notes =
    status === 'replied' ? r.reply_text
    : status === 'rejected' ? r.reject_reason
    : status === 'merged' ? (r.survivor_no ? `已合并办理（并入意见 ${r.survivor_no}，进度以该意见为准）` : '已合并办理')
    : OPINION_STATUS[status];
  const notice =
    status === 'assigned' && r.unit_name
      ? `已转交${r.unit_name}办理${r.deadline_at ? `，将于${shanghaiDate(new Date(r.deadline_at))}前答复` : ''}`
      : status === 'received' ? '已受理，正在分办' : null;
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    service_request_id: r.public_no,
    status: closed ? 'closed' : 'open',
    status_notes: notes ?? null,
    service_name: r.category ? (names.get(r.category) ?? r.category) : null,
    service_code: r.category,
    // Only anonymous texts submitted online for public follow-up are shown. A named opinion, or one
    // handed in on a card, at a symposium or by phone, was not given for publication: it stays inside.
    description:
      r.identity === 'named' ? '（实名提交的意见，内容不公开）' : r.channel !== 'portal' ? '（线下渠道收集的意见，内容不公开）' : r.content,
    agency_responsible: r.unit_name ?? null,
    service_notice: notice,
    requested_datetime: w3(r.submitted_at),
    // For a closed request the spec wants the closing time.
    updated_datetime: w3(status === 'replied' ? (r.replied_at ?? r.updated_at) : r.updated_at),
    expected_datetime: status === 'assigned' ? w3(r.deadline_at) : null,
    address: r.location_text,
    lat: num(r.lat),
    long: num(r.lon),
    media_url: '',
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

/** GET requests: filters as the spec writes them; the most recent 90 days and 1000 rows by default. */
export async function listRequests(ctx: Ctx, query: Record<string, unknown>): Promise<RequestView[]> {
  const ids = listParam(query.service_request_id);
  const codes = listParam(query.service_code);
  const statuses = listParam(query.status);
  const bad = statuses.find((s) => s !== 'open' && s !== 'closed');
  if (bad) throw badRequest(`状态（status）：“${bad}”无效，应为 open 或 closed`, 'status');
  if (ids.length > MAX_ROWS) throw badRequest(`意见编号（service_request_id）：一次最多查询 ${MAX_ROWS} 个`, 'service_request_id');
  if (ids.some((id) => id.length > 64)) throw badRequest('意见编号（service_request_id）：格式不正确', 'service_request_id');
  let start = dateParam(query.start_date, 'start_date');
  let end = dateParam(query.end_date, 'end_date');
  if (start && end && start > end) throw badRequest('开始时间（start_date）：不能晚于结束时间（end_date）', 'start_date');

  let q = requestsQuery(ctx);
  if (ids.length) {
    // The spec: service_request_id overrides every other argument.
    q = q.where('opinion.public_no', 'in', ids);
  } else {
    if (!start && !end) {
      end = ctx.now();
      start = new Date(end.getTime() - DEFAULT_SPAN_MS);
    } else if (!start) start = new Date(end!.getTime() - DEFAULT_SPAN_MS);
    if (codes.length) q = q.where('opinion.category', 'in', codes);
    if (statuses.length === 1) {
      q = q.where('opinion.status', 'in', statuses[0] === 'open' ? OPEN_STATUSES : CLOSED_STATUSES);
    }
    q = q.where('opinion.submitted_at', '>=', start.toISOString());
    if (end) q = q.where('opinion.submitted_at', '<=', end.toISOString());
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
