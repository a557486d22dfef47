import { sql } from 'kysely';
import type { Ctx, Trx } from '../../platform/context.js';
import { runCommand } from '../../platform/context.js';
import { randomToken, sm3 } from '../../platform/crypto.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { cleanText } from '../../platform/input.js';
import { parseInput } from '../../platform/validation.js';
import { countSubmission, hitsThisHour, ipHash } from '../../platform/ratelimit.js';
import { enabledCodes } from '../dict/queries.js';
import { detectMime } from '../files/detect.js';
import { storeUpload } from '../files/commands.js';
import { auditView, insertOpinion } from '../opinions/commands.js';
import { Open311RequestInput } from '../../../shared/schemas/open311.js';
import { resolveKey } from './keys.js';

// POST requests: an Open311 client files an opinion for a citizen. The opinion arrives on the
// portal channel (no channel of its own: the key, recorded on the opinion and in the audit entry,
// says which client).

/** A photo sent as the multipart part `media` (FixMyStreet and others do this). */
export interface Open311Media {
  data: Buffer;
  filename?: string;
}

/** Only photos, and only those the attachment-type dictionary also allows. */
export const OPEN311_MEDIA_TYPES: Record<string, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/webp': 'WebP' };
export const OPEN311_MEDIA_MAX_BYTES = 5 * 1024 * 1024;

/** A retry is recognised for this long after the first submission. */
const RETRY_WINDOW_MS = 86_400_000;

/**
 * Form, JSON and multipart bodies (and query strings) to one flat record of non-blank strings.
 * attribute[code] (form) and {attribute:{code}} (JSON) both become "attribute[code]"; a repeated
 * parameter keeps its first value. Blank values count as absent, as the spec's "optional
 * arguments" rule asks. Characters illegal in XML are removed here too, so a path that bypasses the
 * app's input hook (multipart fields) stores and digests the same text.
 */
export function normalizeBody(body: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const put = (key: string, value: unknown) => {
    const v = Array.isArray(value) ? value[0] : value;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return;
    const s = cleanText(String(v));
    const k = cleanText(key.replace(/\[\]$/, ''));
    if (s.trim() !== '' && !Object.hasOwn(out, k)) out[k] = s;
  };
  if (!body || typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === 'attribute' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [ak, av] of Object.entries(v as Record<string, unknown>)) put(`attribute[${ak}]`, av);
    } else put(k, v);
  }
  return out;
}

/**
 * The parameters of a POST: the query string's under the body's (the body wins). The Swagger
 * description of GeoReport declares POST parameters "in: query", and some clients follow it.
 */
export function mergeParams(query: unknown, body: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(normalizeBody(query))) out[k] = v;
  for (const [k, v] of Object.entries(normalizeBody(body))) out[k] = v;
  return out;
}

/** A Chinese name is family name first with no space; a Latin one reads "first last". */
function fullName(first?: string, last?: string): string | null {
  const parts = [first?.trim(), last?.trim()].filter((p): p is string => Boolean(p));
  if (!parts.length) return null;
  const cjk = /[\u3400-\u9fff]/.test(parts.join(''));
  return cjk ? [last?.trim(), first?.trim()].filter(Boolean).join('') : parts.join(' ');
}

export interface Open311Submitted {
  serviceRequestId: string;
  token: string;
  serviceNotice: string;
}

function serviceNotice(publicNo: string, receiptCode: string) {
  return (
    `已受理，意见编号 ${publicNo}。查询码：${receiptCode}` +
    '（请提示提交人妥善保存；凭查询码可在门户网站查看办理进度、答复并评价）'
  );
}

/**
 * Keyed digest of one client's request: the key and every parameter it sent but the key itself,
 * sorted, plus the photo's digest. The same key sending the same fields again is a retry.
 */
export function open311RequestDigest(ctx: Ctx, keyId: string, fields: Record<string, string>, media: Open311Media | null) {
  const canonical = Object.keys(fields)
    .filter((k) => k !== 'api_key')
    .sort()
    .map((k) => [k, fields[k]!]);
  if (media) canonical.push(['\u0000media', sm3(media.data)]);
  return ctx.cipher.blindIndex(JSON.stringify(['open311', keyId, canonical]));
}

/** The earlier submission of this very request, within the retry window. */
async function earlierSubmission(db: Ctx['db'] | Trx, digest: string, since: string) {
  return db
    .selectFrom('opinion')
    .select(['public_no', 'open311_token', 'receipt_enc'])
    .where('request_digest', '=', digest)
    .where('submitted_at', '>=', since)
    .orderBy('submitted_at')
    .limit(1)
    .executeTakeFirst();
}

function answerOf(ctx: Ctx, row: { public_no: string; open311_token: string | null; receipt_enc: string }): Open311Submitted {
  // Safe to give again: only the holder of the same key sending the identical request gets here.
  return { serviceRequestId: row.public_no, token: row.open311_token ?? '', serviceNotice: serviceNotice(row.public_no, ctx.cipher.open(row.receipt_enc)) };
}

/** Checks a photo before anything is stored: size, and its real type from its bytes. */
async function checkMedia(ctx: Ctx, media: Open311Media) {
  if (media.data.length > OPEN311_MEDIA_MAX_BYTES) {
    throw new AppError(413, 'TOO_LARGE', `媒体文件（media）：超过大小限制（最大 ${OPEN311_MEDIA_MAX_BYTES / 1024 / 1024} MB）`, 'media');
  }
  const allowed = new Set((await enabledCodes(ctx.db, 'attachment_type')).map((a) => a.code));
  const accepted = Object.keys(OPEN311_MEDIA_TYPES).filter((t) => allowed.has(t));
  const mime = media.data.length ? await detectMime(media.data) : undefined;
  if (!mime || !accepted.includes(mime)) {
    const list = accepted.map((t) => OPEN311_MEDIA_TYPES[t]).join('、') || '无';
    throw badRequest(`媒体文件（media）：只能上传 ${list} 图片（最大 ${OPEN311_MEDIA_MAX_BYTES / 1024 / 1024} MB）`, 'media');
  }
}

export async function submitOpen311Request(ctx: Ctx, fields: Record<string, string>, media: Open311Media | null = null): Promise<Open311Submitted> {
  const key = await resolveKey(ctx, fields.api_key);
  const input = parseInput(
    Open311RequestInput,
    {
      service_code: fields.service_code,
      description: fields.description,
      lat: fields.lat,
      long: fields.long,
      address_string: fields.address_string,
      first_name: fields.first_name,
      last_name: fields.last_name,
      phone: fields.phone,
      email: fields.email,
      device_id: fields.device_id,
      account_id: fields.account_id,
      media_url: fields.media_url,
      identity: fields['attribute[identity]'],
      wants_contact: fields['attribute[wants_contact]'],
    },
    '请求',
  );
  if ((input.lat === undefined) !== (input.long === undefined)) {
    throw badRequest('经纬度（lat/long）：须同时提供纬度和经度', input.lat === undefined ? 'lat' : 'long');
  }
  const categories = await enabledCodes(ctx.db, 'opinion_category');
  const service = categories.find((c) => c.code === input.service_code);
  // The spec: an unknown service_code is a 404 (a missing one stays a 400, from the schema).
  if (!service) {
    throw new AppError(404, 'NOT_FOUND', `服务类别（service_code）：“${input.service_code}”不存在，可用的类别见 services.json`, 'service_code');
  }

  // Named when the citizen chose it, or (without a choice) gave a name and a way to reach them:
  // a phone or an email (FixMyStreet always sends an email and often no phone).
  const name = fullName(input.first_name, input.last_name);
  if (name && name.length > 30) throw badRequest('姓名（first_name/last_name）：合计不能超过 30 个字', 'first_name');
  const identity = input.identity ?? (name && (input.phone || input.email) ? 'named' : 'anonymous');
  if (identity === 'named' && !name) throw badRequest('姓名（first_name/last_name）：实名提交须填写姓名', 'first_name');
  if (identity === 'named' && !input.phone && !input.email) {
    throw badRequest('联系方式（phone/email）：实名提交须填写联系电话或电子邮箱', 'phone');
  }
  if (media) await checkMedia(ctx, media);

  const place = input.address_string ?? (input.lat !== undefined ? `${input.lat}, ${input.long}` : undefined);
  // No description (optional in the spec): a neutral text, so the opinion still says what and where.
  const content = input.description ?? `（未填写描述）类别：${service.label}${place ? `；地点：${place}` : ''}`;

  const requestDigest = open311RequestDigest(ctx, key.id, fields, media);
  const since = new Date(ctx.now().getTime() - RETRY_WINDOW_MS).toISOString();
  // A client's retry (lost answer, timeout): the first answer again, nothing written.
  const earlier = await earlierSubmission(ctx.db, requestDigest, since);
  if (earlier) return answerOf(ctx, earlier);

  const ipDigest = ipHash(ctx, ctx.ip);
  const rateKind = `open311:${key.id}`;
  // Per client key and address: one client serves many citizens, so its allowance is larger.
  const rateLimit = ctx.config.publicRateLimit * 10;
  let attachmentId: string | null = null;
  if (media) {
    // Stored before the submission's transaction (files have their own command); refuse first what
    // the transaction would refuse anyway, so a refused request leaves no photo behind.
    if (rateLimit > 0 && (await hitsThisHour(ctx, rateKind, ipDigest)) >= rateLimit) {
      throw new AppError(429, 'RATE_LIMITED', `提交过于频繁：每小时最多 ${rateLimit} 次，请稍后再试`);
    }
    attachmentId = (await storeUpload(ctx, { data: media.data, filename: media.filename ? cleanText(media.filename) : undefined })).id;
  }

  const named = identity === 'named';
  const token = randomToken(18);
  try {
    return await runCommand(ctx, { action: 'submit', entityType: 'opinion' }, async (trx) => {
      // Two copies racing (a slow answer and the client's retry): SQLite runs one transaction at a
      // time; on PostgreSQL copies of one request queue on a lock keyed by its digest.
      if (ctx.dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(hashtextextended(${`open311-submit:${requestDigest}`}, 0))`.execute(trx);
      }
      const again = await earlierSubmission(trx, requestDigest, since);
      if (again) throw new Resubmitted(answerOf(ctx, again));
      await countSubmission(ctx, trx, rateKind, ipDigest, rateLimit);
      const created = await insertOpinion(trx, ctx, {
        channel: 'portal',
        category: input.service_code,
        content,
        identity,
        name: named ? name : null,
        phone: named ? (input.phone ?? null) : null,
        email: named ? (input.email ?? null) : null,
        wantsContact: named && input.wants_contact === 'true',
        // Device and account ids point at a person: kept (sealed) only when they chose to be named.
        open311Meta: named && (input.device_id || input.account_id) ? { deviceId: input.device_id, accountId: input.account_id } : null,
        mediaUrl: input.media_url ?? null,
        open311KeyId: key.id,
        location: place !== undefined ? { text: input.address_string ?? null, lat: input.lat ?? null, lon: input.long ?? null } : null,
        requestDigest,
        sourceIpHash: ipDigest,
        open311Token: token,
      });
      if (attachmentId) {
        const r = await trx
          .updateTable('attachment')
          .set({ owner_type: 'opinion', owner_id: created.id })
          .where('id', '=', attachmentId)
          .where('owner_id', 'is', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new Error('open311: the uploaded photo could not be attached');
      }
      return {
        result: { serviceRequestId: created.publicNo, token, serviceNotice: serviceNotice(created.publicNo, created.receiptCode) },
        entityId: created.id,
        after: {
          ...auditView({ ...created, channel: 'portal', identity, category: input.service_code }),
          via: 'open311',
          keyId: key.id,
          attachments: attachmentId ? [attachmentId] : [],
        },
      };
    });
  } catch (err) {
    // A recognised retry: rolled back (no opinion, no audit entry), the first answer given again.
    if (err instanceof Resubmitted) return err.result;
    throw err;
  }
}

/** Thrown inside the submission's transaction to leave it without writing anything. */
class Resubmitted extends Error {
  constructor(readonly result: Open311Submitted) {
    super('resubmitted');
  }
}
