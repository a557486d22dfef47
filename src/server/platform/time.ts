// Timestamps are stored as ISO-8601 UTC text; they are shown in Asia/Shanghai.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export function iso(d: Date): string {
  return d.toISOString();
}

const SHANGHAI = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** "2026-11-27 20:05:09" in Asia/Shanghai. */
export function formatShanghai(isoText: string | null | undefined): string {
  if (!isoText) return '';
  const parts = Object.fromEntries(SHANGHAI.formatToParts(new Date(isoText)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

// Asia/Shanghai's offsets have been whole hours since 1901, so the date changes only on a whole UTC
// hour: the last hour's date is kept (formatToParts is slow, and a submission asks several times).
let lastHour = NaN;
let lastDate = '';

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(d: Date): string {
  const ms = d.getTime();
  const hour = Math.floor(ms / 3_600_000);
  if (hour === lastHour) return lastDate;
  const date = formatShanghai(d.toISOString()).slice(0, 10);
  if (ms >= 0) {
    lastHour = hour;
    lastDate = date;
  }
  return date;
}
