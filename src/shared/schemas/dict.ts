import { z } from 'zod';

// Data dictionaries: typed lists of codes and labels (categories, channels, holidays, MIME types…).

/** Dictionary types whose item codes are calendar dates (working-day arithmetic reads them). */
export const DATE_DICT_TYPES = ['holiday', 'makeup_workday'] as const;

/**
 * System dictionaries: the platform itself reads their codes (upload MIME types, the working-day
 * calendar), so they are configuration, not business vocabulary. Only holders of dict:write (who
 * maintain them) see them listed; business roles never meet their developer codes.
 */
export const SYSTEM_DICT_TYPES: readonly string[] = ['attachment_type', ...DATE_DICT_TYPES];
export const isSystemDictType = (code: string) => SYSTEM_DICT_TYPES.includes(code);

export const DictTypeInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{1,39}$/, '须以小写字母开头，仅含小写字母、数字和下划线，2–40 位')
    .describe('编码'),
  name: z.string().trim().min(1).max(50).describe('名称'),
  description: z.string().trim().max(500).nullish().describe('说明'),
});
export type DictTypeInput = z.infer<typeof DictTypeInput>;

export const DictTypePatch = DictTypeInput.omit({ code: true }).partial();
export type DictTypePatch = z.infer<typeof DictTypePatch>;

export const DictItemInput = z.object({
  // Item codes are stored in records, so they may be MIME types or dates as well as words.
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.\/+-]{0,99}$/, '仅含字母、数字及 _ . / + -，1–100 位')
    .describe('编码'),
  label: z.string().trim().min(1).max(100).describe('名称'),
  sort: z.coerce.number().int().min(0).max(1_000_000).optional().describe('排序'),
  enabled: z.boolean().optional().describe('启用'),
});
export type DictItemInput = z.infer<typeof DictItemInput>;

export const DictItemPatch = z.object({
  // Accepted only to say it cannot change (records refer to it); the same value is fine.
  code: z.string().optional().describe('编码'),
  label: z.string().trim().min(1).max(100).optional().describe('名称'),
  sort: z.coerce.number().int().min(0).max(1_000_000).optional().describe('排序'),
  enabled: z.boolean().optional().describe('启用'),
});
export type DictItemPatch = z.infer<typeof DictItemPatch>;

export const DictItemsQuery = z.object({
  includeDisabled: z.enum(['0', '1']).default('0').describe('含已停用'),
});

export interface DictTypeView {
  code: string;
  name: string;
  description: string | null;
  builtin: boolean;
  /** Read by the platform itself (see SYSTEM_DICT_TYPES); listed only to holders of dict:write. */
  system: boolean;
  itemCount: number;
}

export interface DictItemView {
  id: string;
  code: string;
  label: string;
  sort: number;
  enabled: boolean;
}

/** GET /api/dicts/all: enabled items per type, in display order. */
export type DictsAll = Record<string, { code: string; label: string }[]>;
