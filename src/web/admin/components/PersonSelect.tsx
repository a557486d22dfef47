// Pick people of the bureau (干警), found by name or police number as one types (GET /api/people,
// within the viewer's data scope). The value keeps each person's label, so a form can show who was
// picked before the search has run (an edit form's current 责任人).
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { Select } from 'antd';
import { api, qs, type Page } from '../api.js';
import { common } from '../i18n/index.js';

export interface PersonOption {
  value: string;
  label: string;
}

interface Props {
  id?: string;
  placeholder?: string;
  allowClear?: boolean;
  /** Its accessible name where no form label names it (a filter). */
  ariaLabel?: string;
  autoFocus?: boolean;
  style?: CSSProperties;
}

type Single = Props & { multiple?: false; value?: PersonOption | null; onChange?: (v: PersonOption | undefined) => void };
type Multiple = Props & { multiple: true; value?: PersonOption[]; onChange?: (v: PersonOption[]) => void };

export function PersonSelect(p: Single | Multiple) {
  const [options, setOptions] = useState<PersonOption[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const search = (text: string) => {
    clearTimeout(timer.current);
    const q = text.trim();
    if (!q) return;
    timer.current = setTimeout(async () => {
      setLoading(true);
      try {
        const page = await api.get<Page<{ id: string; name: string; orgUnitName: string | null }>>(`/api/people${qs({ q, pageSize: 20 })}`);
        setOptions(page.items.map((x) => ({ value: x.id, label: x.orgUnitName ? `${x.name}（${x.orgUnitName}）` : x.name })));
      } catch {
        setOptions([]);
      } finally {
        setLoading(false);
      }
    }, 300);
  };
  return (
    <Select
      id={p.id}
      aria-label={p.ariaLabel}
      autoFocus={p.autoFocus}
      style={p.style}
      mode={p.multiple ? 'multiple' : undefined}
      labelInValue
      allowClear={p.allowClear}
      value={p.value ?? undefined}
      onChange={(v) => (p.onChange as ((x: unknown) => void) | undefined)?.(v ?? undefined)}
      options={options}
      loading={loading}
      placeholder={p.placeholder}
      showSearch={{ filterOption: false, onSearch: search }}
      notFoundContent={loading ? common.loading : null}
    />
  );
}
