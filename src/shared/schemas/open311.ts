import { z } from 'zod';
import { phoneField } from './phone.js';

// Open311 GeoReport v2 intake (/open311/v2/…) and the management of its API keys.
// Labels name both the Chinese field and the spec's parameter, so a client developer can tell
// which parameter a 400 is about.

export const OPEN311_SPEC = 'http://wiki.open311.org/GeoReport_v2';
export const OPEN311_GROUP = '开门纳谏';

/** Our extra fields, offered as service-definition attributes (attribute[code]=value). */
export const OPEN311_ATTRIBUTES = {
  identity: {
    description:
      '提交方式：实名（面对面）或匿名（背对背）。不填时，提供了姓名（first_name/last_name）并提供联系电话（phone）或电子邮箱（email）之一的视为实名，否则为匿名。',
    values: { named: '实名', anonymous: '匿名' },
    default: 'anonymous',
  },
  wants_contact: {
    description: '实名提交时是否希望工作人员与您联系（匿名提交时忽略）。',
    values: { true: '希望联系', false: '无需联系' },
    default: 'false',
  },
} as const;

/** GeoReport v2 limits description to 4,000 characters; the public web form keeps its own 2,000. */
export const OPEN311_MAX_CONTENT = 4000;
/** media_url is stored as given and never fetched; a URL longer than this is refused. */
export const OPEN311_MAX_MEDIA_URL = 2000;

const text = (max: number, label: string) =>
  z.string().trim().max(max, `不能超过 ${max} 个字`).optional().describe(label);
const coord = (min: number, max: number, label: string) =>
  z.coerce
    .number({ error: '应为数字' })
    .refine((v) => Number.isFinite(v), '应为数字')
    .refine((v) => v >= min && v <= max, `应在 ${min} 到 ${max} 之间`)
    .optional()
    .describe(label);

/** An absolute http(s) URL without spaces or credentials: what a media link can sensibly be. */
export function isMediaUrl(v: string): boolean {
  if (/\s/.test(v)) return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && Boolean(u.hostname) && !u.username && !u.password;
  } catch {
    return false;
  }
}

/**
 * A POST requests body after normalisation (blank values dropped, attribute[code] flattened, query
 * parameters merged under the body). api_key is checked before this (403).
 */
export const Open311RequestInput = z.object({
  service_code: z.string().trim().min(1, '不能为空').max(50, '不存在').describe('服务类别（service_code）'),
  // Optional in the spec; when absent the opinion gets a neutral text built from the category and place.
  description: z
    .string()
    .trim()
    .min(5, '至少 5 个字')
    .max(OPEN311_MAX_CONTENT, `不能超过 ${OPEN311_MAX_CONTENT} 字`)
    .optional()
    .describe('意见内容（description）'),
  lat: coord(-90, 90, '纬度（lat）'),
  long: coord(-180, 180, '经度（long）'),
  address_string: text(200, '地点（address_string）'),
  first_name: text(30, '名（first_name）'),
  last_name: text(30, '姓（last_name）'),
  phone: phoneField().optional().describe('联系电话（phone）'),
  email: z
    .string()
    .trim()
    .max(254, '不能超过 254 个字符')
    .regex(/^[^\s@<>()\[\],;:"]+@[^\s@<>()\[\],;:"]+\.[^\s@<>()\[\],;:"]+$/, '格式不正确（应如 name@example.com）')
    .optional()
    .describe('电子邮箱（email）'),
  device_id: text(100, '设备编号（device_id）'),
  account_id: text(100, '账号编号（account_id）'),
  media_url: z
    .string()
    .trim()
    .max(OPEN311_MAX_MEDIA_URL, `不能超过 ${OPEN311_MAX_MEDIA_URL} 个字符`)
    .refine(isMediaUrl, '应为 http:// 或 https:// 开头的完整网址')
    .optional()
    .describe('媒体链接（media_url）'),
  identity: z
    .enum(['named', 'anonymous'], { error: '应为 named（实名）或 anonymous（匿名）' })
    .optional()
    .describe('提交方式（attribute[identity]）'),
  wants_contact: z
    .enum(['true', 'false'], { error: '应为 true 或 false' })
    .optional()
    .describe('希望联系（attribute[wants_contact]）'),
});
export type Open311RequestInput = z.infer<typeof Open311RequestInput>;

export const Open311KeyInput = z.object({
  name: z.string().trim().min(1, '不能为空').max(50, '不能超过 50 个字').describe('接入方名称'),
});
export type Open311KeyInput = z.infer<typeof Open311KeyInput>;

export const Open311KeyQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
});
export type Open311KeyQuery = z.infer<typeof Open311KeyQuery>;

export interface Open311KeyView {
  id: string;
  name: string;
  /** The key's last 4 characters, to tell keys apart; the key itself is shown only once. */
  keyHint: string;
  createdAt: string;
  /** The creator's display name. */
  createdBy: string | null;
  revokedAt: string | null;
}

export interface Open311KeyCreated {
  id: string;
  /** Shown once, at creation; only its SM3 digest is stored. */
  apiKey: string;
}
