import type { Ctx } from '../../platform/context.js';
import { runCommand } from '../../platform/context.js';
import { randomToken } from '../../platform/crypto.js';
import { badRequest } from '../../platform/errors.js';
import { parseInput } from '../../platform/validation.js';
import { enabledCodes } from '../dict/queries.js';
import { auditView, insertOpinion } from '../opinions/commands.js';
import { countSubmission, ipHash } from '../../platform/ratelimit.js';
import { Open311RequestInput } from '../../../shared/schemas/open311.js';
import { resolveKey } from './keys.js';

// POST requests: an Open311 client files an opinion for a citizen. The opinion arrives on the
// portal channel (no channel of its own: the key, recorded in the audit entry, says which client).

/**
 * Form bodies and JSON bodies to one flat record of non-blank strings. attribute[code] (form) and
 * {attribute:{code}} (JSON) both become "attribute[code]"; a repeated parameter keeps its first value.
 * Blank values count as absent, as the spec's "optional arguments" rule asks.
 */
export function normalizeBody(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, value: unknown) => {
    const v = Array.isArray(value) ? value[0] : value;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return;
    const s = String(v);
    const k = key.replace(/\[\]$/, '');
    if (s.trim() !== '' && !(k in out)) out[k] = s;
  };
  if (!body || typeof body !== 'object' || Array.isArray(body)) return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === 'attribute' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [ak, av] of Object.entries(v as Record<string, unknown>)) put(`attribute[${ak}]`, av);
    } else put(k, v);
  }
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

export async function submitOpen311Request(ctx: Ctx, body: unknown): Promise<Open311Submitted> {
  const fields = normalizeBody(body);
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
      identity: fields['attribute[identity]'],
      wants_contact: fields['attribute[wants_contact]'],
    },
    '请求',
  );
  if ((input.lat === undefined) !== (input.long === undefined)) {
    throw badRequest('经纬度（lat/long）：须同时提供纬度和经度', input.lat === undefined ? 'lat' : 'long');
  }
  const categories = await enabledCodes(ctx.db, 'opinion_category');
  if (!categories.some((c) => c.code === input.service_code)) {
    throw badRequest('服务类别（service_code）：不存在，可用的类别见 services.json', 'service_code');
  }

  // Named only when the citizen chose it, or (without a choice) gave both a name and a phone.
  const name = fullName(input.first_name, input.last_name);
  if (name && name.length > 30) throw badRequest('姓名（first_name/last_name）：合计不能超过 30 个字', 'first_name');
  const identity = input.identity ?? (name && input.phone ? 'named' : 'anonymous');
  if (identity === 'named' && !name) throw badRequest('姓名（first_name/last_name）：实名提交须填写姓名', 'first_name');
  if (identity === 'named' && !input.phone) throw badRequest('联系电话（phone）：实名提交须填写联系电话', 'phone');

  const hasPlace = input.address_string !== undefined || input.lat !== undefined;
  const digest = ipHash(ctx, ctx.ip);
  const token = randomToken(18);

  return runCommand(ctx, { action: 'submit', entityType: 'opinion' }, async (trx) => {
    // Per client key and address: one client serves many citizens, so its allowance is larger.
    await countSubmission(ctx, trx, `open311:${key.id}`, digest, ctx.config.publicRateLimit * 10);
    const created = await insertOpinion(trx, ctx, {
      channel: 'portal',
      category: input.service_code,
      content: input.description,
      identity,
      name: identity === 'named' ? name : null,
      phone: identity === 'named' ? input.phone : null,
      wantsContact: identity === 'named' && input.wants_contact === 'true',
      location: hasPlace ? { text: input.address_string ?? null, lat: input.lat ?? null, lon: input.long ?? null } : null,
      sourceIpHash: digest,
      open311Token: token,
    });
    return {
      result: {
        serviceRequestId: created.publicNo,
        token,
        serviceNotice:
          `已受理，意见编号 ${created.publicNo}。查询码：${created.receiptCode}` +
          '（仅显示这一次，请提示提交人妥善保存；凭查询码可在门户网站查看办理进度、答复并评价）',
      },
      entityId: created.id,
      after: {
        ...auditView({ ...created, channel: 'portal', identity, category: input.service_code }),
        via: 'open311',
        keyId: key.id,
      },
    };
  });
}
