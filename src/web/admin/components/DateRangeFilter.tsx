// The date-range filter (from/to as YYYY-MM-DD): two native date fields, each labelled. Light (no
// date picker library on a list's first load) and the browser's own accessible calendar.
import { common } from '../i18n/index.js';

export function DateRangeFilter({ label, placeholder, from, to, onChange }: {
  label: string;
  placeholder: [string, string];
  from?: string;
  to?: string;
  onChange: (from: string | undefined, to: string | undefined) => void;
}) {
  return (
    <fieldset className="filter-dates">
      <legend className="sr-only">{label}</legend>
      <input
        type="date"
        aria-label={`${label}：${placeholder[0]}`}
        title={placeholder[0]}
        value={from ?? ''}
        max={to}
        onChange={(e) => onChange(e.target.value || undefined, to)}
      />
      <span aria-hidden="true">{common.dateTill}</span>
      <input
        type="date"
        aria-label={`${label}：${placeholder[1]}`}
        title={placeholder[1]}
        value={to ?? ''}
        min={from}
        onChange={(e) => onChange(from, e.target.value || undefined)}
      />
    </fieldset>
  );
}
