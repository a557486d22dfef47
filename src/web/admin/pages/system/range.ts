// Date-range filters: the picker gives dayjs values; the server takes from/to as YYYY-MM-DD.

import type { Dayjs } from 'dayjs';

export type DateRange = [Dayjs | null, Dayjs | null] | null | undefined;

export function rangeToParams(r: DateRange): { from?: string; to?: string } {
  return {
    from: r?.[0] ? r[0].format('YYYY-MM-DD') : undefined,
    to: r?.[1] ? r[1].format('YYYY-MM-DD') : undefined,
  };
}
