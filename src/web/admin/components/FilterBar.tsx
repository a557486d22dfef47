// The filters above a list, described rather than built: each one a labelled control (the label is
// its placeholder and its accessible name), applied at once (text on Enter), with 清空筛选 when any
// is set. The values are the list's query parameters.
//
// Native inputs, selects, dates and checkboxes (styled in data-table.css): antd's form controls, date
// picker and tree select would bring their libraries and antd's form runtime to every list's first load.
import type { ReactNode } from 'react';
import { Button, Flex } from 'antd';
import { ClearOutlined, SearchOutlined } from '@ant-design/icons';
import { common } from '../i18n/index.js';
import type { Filters } from './useList.js';

type Option = { value: string; label: string };

export type FilterDef =
  /** Free text, applied on Enter or the search button. */
  | { kind: 'search'; name: string; label: string; width?: number }
  /**
   * One of a list (a native select: typing jumps to an option; light, and labelled). `emptyLabel`: what
   * the empty choice means when it is not "all" (the server's default, e.g. the current campaign).
   */
  | { kind: 'select'; name: string; label: string; options: Option[]; width?: number; emptyLabel?: string }
  /** An org unit from the tree (every unit the viewer may read). */
  | { kind: 'unit'; name: string; label: string; width?: number }
  /** A date range sent as two parameters (YYYY-MM-DD). */
  | { kind: 'dates'; from: string; to: string; label: string; placeholder?: [string, string] }
  /** Tabs of one choice above the list; '' is the "all" option. */
  | { kind: 'tabs'; name: string; label: string; options: Option[] }
  /** A yes-only switch sent as '1'. */
  | { kind: 'check'; name: string; label: string };

import { DateRangeFilter } from './DateRangeFilter.js';
import { UnitFilter } from './UnitFilter.js';

const str = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v));

export function FilterBar({ defs, filters, onChange, onReset, extra }: {
  defs: FilterDef[];
  filters: Filters;
  onChange: (patch: Filters) => void;
  onReset: () => void;
  extra?: ReactNode;
}) {
  const tabs = defs.filter((d) => d.kind === 'tabs');
  const controls = defs.filter((d) => d.kind !== 'tabs');
  // Tabs are a view choice, not a filter to clear.
  const tabNames = new Set(tabs.map((d) => (d as { name: string }).name));
  const active = Object.keys(filters).some((k) => !tabNames.has(k));
  return (
    <>
      {tabs.map((d) =>
        d.kind === 'tabs' ? (
          // A choice of views as native radio buttons (keyboard: arrows), styled as segments.
          <fieldset key={d.name} className="segments">
            <legend className="sr-only">{d.label}</legend>
            {d.options.map((o) => (
              <label key={o.value} className={(str(filters[d.name]) ?? '') === o.value ? 'segment checked' : 'segment'}>
                <input
                  type="radio"
                  name={`tabs-${d.name}`}
                  value={o.value}
                  checked={(str(filters[d.name]) ?? '') === o.value}
                  onChange={() => onChange({ [d.name]: o.value || undefined })}
                />
                {o.label}
              </label>
            ))}
          </fieldset>
        ) : null,
      )}
      {controls.length || extra ? (
        <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }} role="search">
          {controls.map((d) => {
            switch (d.kind) {
              case 'search':
                return (
                  <form
                    // Re-mounted when the filter is cleared from outside, so the box empties too.
                    key={`${d.name}-${str(filters[d.name]) ?? ''}`}
                    className="filter-search"
                    style={{ width: d.width ?? 240 }}
                    onSubmit={(e) => {
                      e.preventDefault();
                      const v = new FormData(e.currentTarget).get(d.name);
                      onChange({ [d.name]: String(v ?? '').trim() || undefined });
                    }}
                  >
                    <input type="search" name={d.name} defaultValue={str(filters[d.name])} placeholder={d.label} aria-label={d.label} />
                    <button type="submit">
                      <SearchOutlined aria-hidden /> {common.search}
                    </button>
                  </form>
                );
              case 'select': {
                const v = str(filters[d.name]) ?? '';
                return (
                  <select
                    key={d.name}
                    className={v ? 'filter-select' : 'filter-select empty'}
                    aria-label={d.label}
                    value={v}
                    onChange={(e) => onChange({ [d.name]: e.target.value || undefined })}
                    style={{ width: d.width ?? 140 }}
                  >
                    {/* The empty choice names the filter, as a placeholder would. */}
                    <option value="">{d.emptyLabel ?? common.anyOf(d.label)}</option>
                    {d.options.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                );
              }
              case 'unit':
                return (
                  <UnitFilter key={d.name} label={d.label} width={d.width} value={str(filters[d.name])} onChange={(v) => onChange({ [d.name]: v })} />
                );
              case 'dates':
                return (
                  <DateRangeFilter
                    key={d.from}
                    label={d.label}
                    placeholder={d.placeholder ?? [common.dateFrom, common.dateTo]}
                    from={str(filters[d.from])}
                    to={str(filters[d.to])}
                    onChange={(from, to) => onChange({ [d.from]: from, [d.to]: to })}
                  />
                );
              case 'check':
                return (
                  <label key={d.name} className="filter-check">
                    <input type="checkbox" checked={str(filters[d.name]) === '1'} onChange={(e) => onChange({ [d.name]: e.target.checked ? '1' : undefined })} />
                    {d.label}
                  </label>
                );
              default:
                return null;
            }
          })}
          {active && controls.length ? (
            <Button icon={<ClearOutlined />} onClick={onReset}>
              {common.clearFilters}
            </Button>
          ) : null}
          {extra}
        </Flex>
      ) : null}
    </>
  );
}
