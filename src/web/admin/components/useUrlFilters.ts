// A list's filters kept in the URL's query string: a link (a notification, a figure on another page)
// opens the list filtered, reloading keeps the filters, and back / forward step through them. Other
// parameters of the page (?id= of an open record) stay as they are.
//
//   const url = useUrlFilters(['q', 'status'] as const);
//   const list = useList<Row>('/api/things', { filters: url.filters, onFiltersChange: url.onFiltersChange });
//   url.set({ id: row.id }, true)   // a new history entry (opening a record)
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { Filters } from './useList.js';

/** `keys`: the filter parameters, a constant of the page (not a new array every render). */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();

  const filters = useMemo(() => {
    const f: Partial<Record<K, string>> = {};
    for (const k of keys) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [params, keys]);

  /** Sets or (empty) removes parameters; `push`: a new history entry, else the current one is replaced. */
  const set = (patch: Record<string, string | null | undefined>, push = false) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: !push });
  };

  return {
    params,
    filters,
    set,
    /** For useList: the whole new set of filters replaces the URL's. */
    onFiltersChange: (next: Filters) => set(Object.fromEntries(keys.map((k) => [k, next[k] === undefined ? null : String(next[k])]))),
  };
}
