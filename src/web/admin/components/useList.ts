// The one list hook: a server-paged list ({items, total, totalCapped?}) with its filters, page,
// page size and sort, cached by react-query under [path, params].
//
//   const list = useList<UserRow>('/api/users', { initial: { status: 'active' } });
//   <ListPage list={list} columns={columns} filters={[…]} />   (or <DataTable {...list.tableProps} /> <Pager {...list.pager} />)
//
// Changing the filters goes back to page 1 in the same render. `useInvalidate()('/api/users')`
// refreshes every page of that list. Filters may live elsewhere (the URL, say): pass `filters` and
// `onFiltersChange` and the hook follows them.
import { createElement, useEffect, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs, type Page } from '../api.js';
import { common } from '../i18n/index.js';
import type { DataTableProps, SortOrder } from './DataTable.js';
import type { PagerProps } from './Pager.js';
import { TotalText } from './TotalText.js';

export type Filters = Record<string, string | number | undefined>;

export interface UseListOptions {
  /** Filters to start with (kept in the component's state). */
  initial?: Filters;
  /** Controlled filters (e.g. from the URL); then `onFiltersChange` receives every change. */
  filters?: Filters;
  onFiltersChange?: (next: Filters) => void;
  pageSize?: number;
  refetchInterval?: number;
  /** false: do not fetch yet (a required filter is missing). */
  enabled?: boolean;
}

const clean = (f: Filters): Filters => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== ''));

export function useList<T extends object, R extends Page<T> = Page<T>>(path: string, opts: UseListOptions = {}) {
  const [own, setOwn] = useState<Filters>(() => clean(opts.initial ?? {}));
  const filters = opts.filters ? clean(opts.filters) : own;
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(opts.pageSize ?? 20);
  const [sort, setSort] = useState<{ key: string; order: SortOrder } | null>(null);

  // New filters: back to page 1 in this very render (no fetch of a page that may not exist any more).
  const filterKey = JSON.stringify(filters);
  const [seenKey, setSeenKey] = useState(filterKey);
  let current = page;
  if (seenKey !== filterKey) {
    setSeenKey(filterKey);
    setPage(1);
    current = 1;
  }

  const params = { ...filters, ...(sort ? { sort: sort.key, order: sort.order } : {}), page: current, pageSize };
  const query = useQuery({
    queryKey: [path, params],
    queryFn: () => api.get<R>(path + qs(params)),
    placeholderData: keepPreviousData,
    refetchInterval: opts.refetchInterval,
    enabled: opts.enabled ?? true,
  });
  const items = query.data?.items ?? [];
  const total = query.data?.total ?? 0;
  const capped = query.data?.totalCapped === true;

  // After deleting the last row of the last page, step back instead of showing an empty page.
  useEffect(() => {
    if (!query.isFetching && current > 1 && items.length === 0 && total > 0) setPage(Math.ceil(total / pageSize));
  }, [query.isFetching, current, items.length, total, pageSize]);

  /** Merges a change into the filters; undefined or '' removes one. */
  const setFilters = (patch: Filters) => {
    const next = clean({ ...filters, ...patch });
    if (opts.onFiltersChange) opts.onFiltersChange(next);
    else setOwn(next);
  };

  const pager: PagerProps = {
    page: current,
    pageSize,
    total,
    totalText: createElement(TotalText, { total, capped }),
    onChange: (p, ps) => {
      if (ps !== pageSize) {
        setPageSize(ps);
        setPage(1);
      } else setPage(p);
    },
  };

  const tableProps: Pick<DataTableProps<T>, 'dataSource' | 'loading' | 'emptyText' | 'sort' | 'onSort'> = {
    dataSource: items,
    loading: query.isFetching,
    emptyText: query.isError ? `${common.loadFailed}：${(query.error as Error).message}` : undefined,
    sort,
    onSort: (next) => {
      setSort(next);
      setPage(1);
    },
  };

  return {
    query,
    data: query.data,
    items,
    total,
    /** The server stopped counting at `total`: there are more. */
    capped,
    page: current,
    pageSize,
    filters,
    setFilters,
    /** Drops every filter (back to the initial ones for an own-state list). */
    resetFilters: () => (opts.onFiltersChange ? opts.onFiltersChange({}) : setOwn(clean(opts.initial ?? {}))),
    /** Props for <Pager> (and whether there is more than one page). */
    pager,
    tableProps,
    /** The current filters as the server takes them, for exports. */
    params: filters,
    reload: () => query.refetch(),
  };
}

export type ListState<T extends object> = ReturnType<typeof useList<T>>;

/** Invalidates every cached query whose first key part starts with one of the prefixes (API paths). */
export function useInvalidate() {
  const qc = useQueryClient();
  return (...prefixes: string[]) =>
    qc.invalidateQueries({
      predicate: (q) => typeof q.queryKey[0] === 'string' && prefixes.some((p) => (q.queryKey[0] as string).startsWith(p)),
    });
}
