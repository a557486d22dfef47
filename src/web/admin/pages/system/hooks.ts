// Shared plumbing for the system pages: paged lists, the org tree for pickers, and server errors
// shown on the form field they name. The current user and permissions come from auth/useMe.

import { useEffect, useMemo, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormInstance, TablePaginationConfig } from 'antd';
import { api, ApiError, qs, type Page } from '../../api.js';
import { useOrgUnits, type OrgUnit } from '../../components/useOrgUnits.js';

type Filters = Record<string, string | number | undefined>;

/**
 * A server-paged list: page/pageSize/filters live in state and go into the query key, so a
 * filter change refetches page 1 and a mutation can invalidate by the key prefix.
 */
export function useListQuery<T, R extends Page<T> = Page<T>>(
  key: string,
  path: string,
  initial: Filters = {},
  opts: { refetchInterval?: number; pageSize?: number } = {},
) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(opts.pageSize ?? 20);
  const [filters, setFiltersState] = useState<Filters>(initial);
  const params = { page, pageSize, ...filters };
  const query = useQuery({
    queryKey: [key, params],
    queryFn: () => api.get<R>(path + qs(params)),
    placeholderData: keepPreviousData,
    refetchInterval: opts.refetchInterval,
  });
  const total = query.data?.total ?? 0;
  const items = query.data?.items ?? [];

  // After deleting the last row of the last page, step back instead of showing an empty page.
  useEffect(() => {
    if (!query.isFetching && page > 1 && items.length === 0 && total > 0) setPage(Math.ceil(total / pageSize));
  }, [query.isFetching, page, items.length, total, pageSize]);

  const pagination: TablePaginationConfig = {
    current: page,
    pageSize,
    total,
    showSizeChanger: true,
    pageSizeOptions: [10, 20, 50, 100],
    showTotal: (t) => `共 ${t} 条`,
    onChange: (p, ps) => {
      if (ps !== pageSize) {
        setPageSize(ps);
        setPage(1);
      } else setPage(p);
    },
  };

  return {
    query,
    items,
    total,
    page,
    pageSize,
    filters,
    pagination,
    /** Replaces the filters (undefined/'' drop out of the query string) and returns to page 1. */
    setFilters: (f: Filters) => {
      setFiltersState(f);
      setPage(1);
    },
    /** The current filters as they go to the server, for exports. */
    params: filters,
  };
}

export interface OrgTreeNode {
  value: string;
  title: string;
  disabled?: boolean;
  children?: OrgTreeNode[];
}

export function buildOrgTree(units: OrgUnit[], onlyInScope: boolean): OrgTreeNode[] {
  const nodes = new Map<string, OrgTreeNode>();
  for (const u of units) nodes.set(u.id, { value: u.id, title: u.name, disabled: onlyInScope && !u.inScope });
  const roots: OrgTreeNode[] = [];
  for (const u of units) {
    const n = nodes.get(u.id)!;
    const parent = u.parentId ? nodes.get(u.parentId) : undefined;
    if (parent) (parent.children ??= []).push(n);
    else roots.push(n);
  }
  return roots;
}

/** The org tree for TreeSelects; with onlyInScope, units outside the caller's data scope are greyed out. */
export function useOrgTree(onlyInScope = true, enabled = true) {
  // The same cached list the org and people pages use.
  const q = useOrgUnits(enabled);
  const tree = useMemo(() => buildOrgTree(q.data ?? [], onlyInScope), [q.data, onlyInScope]);
  const names = useMemo(() => new Map((q.data ?? []).map((u) => [u.id, u.name])), [q.data]);
  return { tree, names, query: q };
}

/** Invalidates every cached query whose first key part starts with one of the prefixes. */
export function useInvalidate() {
  const qc = useQueryClient();
  return (...prefixes: string[]) =>
    qc.invalidateQueries({
      predicate: (q) => typeof q.queryKey[0] === 'string' && prefixes.some((p) => (q.queryKey[0] as string).startsWith(p)),
    });
}

export type Toast = { error: (content: string) => unknown; success: (content: string) => unknown };

/**
 * Shows a server error on the form fields it names (ApiError.field / details are body keys) and
 * as a toast. `alias` maps a body key to the form field that edits it (startDate → dates).
 */
export function showError(err: unknown, toast: Toast, form?: FormInstance, alias: Record<string, string> = {}) {
  const msg = err instanceof Error ? err.message : String(err);
  if (form && err instanceof ApiError) {
    const byField = new Map<string, string[]>();
    const add = (field: string, message: string) => {
      const name = alias[field] ?? field;
      byField.set(name, [...(byField.get(name) ?? []), message]);
    };
    if (err.details?.length) for (const d of err.details) add(d.field, d.message);
    else if (err.field) add(err.field, err.message);
    // Names the form does not have are ignored by setFields; the toast still shows the message.
    const fields = [...byField].map(([name, errors]) => ({ name, errors }));
    if (fields.length) {
      form.setFields(fields);
      // Long forms (the role drawer) may have the field out of view.
      form.scrollToField(fields[0]!.name, { block: 'center' });
    }
  }
  toast.error(msg);
}
