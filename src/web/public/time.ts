// Times arrive as ISO UTC; people read them in Beijing time whatever their phone's zone.

const full = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
});
const day = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

function parts(f: Intl.DateTimeFormat, iso: string) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
}

/** 2026-03-05 14:30 (Beijing time). */
export function fmtTime(iso: string | null | undefined): string {
  const p = iso ? parts(full, iso) : null;
  if (!p) return '—';
  return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}

/** 2026-03-05 (Beijing date). */
export function fmtDate(iso: string | null | undefined): string {
  const p = iso ? parts(day, iso) : null;
  return p ? `${p.year}-${p.month}-${p.day}` : '—';
}
