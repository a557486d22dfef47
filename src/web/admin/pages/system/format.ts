// Timestamps are stored as ISO UTC; staff read them in Beijing time whatever the browser's zone.

const DATE_TIME = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const EMPTY = '—';

function parts(value: string | Date): Record<string, string> | null {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  const out: Record<string, string> = {};
  for (const p of DATE_TIME.formatToParts(d)) out[p.type] = p.value;
  return out;
}

/** `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai; `—` for empty values, the raw text if unparseable. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  const p = parts(value);
  if (!p) return String(value);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** `YYYY-MM-DD` in Asia/Shanghai. Plain dates (`2026-03-01`) pass through untouched. */
export function formatDate(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const p = parts(value);
  if (!p) return String(value);
  return `${p.year}-${p.month}-${p.day}`;
}
