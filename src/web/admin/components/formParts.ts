// Small pieces the antd forms share: a code → label table as options, Beijing's today for the date
// pickers, a picked day as the API takes it, and two text rules (at least n characters, at most n).
import type { Dayjs } from 'dayjs';
import { common } from '../i18n/index.js';
import { dayjs } from './dayjs.js';
import { formatDate } from './format.js';

/** { talk_inquiry: '谈话函询', … } → [{ value: 'talk_inquiry', label: '谈话函询' }, …] */
export const labelOptions = (map: Record<string, string>) => Object.entries(map).map(([value, label]) => ({ value, label }));

/** Today in Asia/Shanghai (the bureau's day, whatever the browser's zone). */
export const today = () => dayjs(formatDate(new Date().toISOString()));

/** A picked day as 'YYYY-MM-DD'; none → null. */
export const apiDate = (v: Dayjs | null | undefined) => (v ? v.format('YYYY-MM-DD') : null);

/** At least n characters, not counting spaces around them (the server trims too). */
export const atLeast = (n: number, message: string) => ({
  validator: async (_: unknown, v?: string) => {
    if (v && v.trim().length < n) throw new Error(message);
  },
});

export const atMost = (n: number) => ({ max: n, message: common.tooLong(n) });
