// Paginated lists ({items,total} with page & pageSize) for antd Table, cached by react-query.
//
//   const { tableProps, reload } = useTable<Row>('/api/users', { q, status });
//   <Table {...tableProps} columns={columns} />
//
// The query key is [path, params], so `queryClient.invalidateQueries({ queryKey: [path] })` refreshes
// every page of that list. Changing the filters goes back to page 1. A column with `sorter` sends
// `sort=<column key or dataIndex>&order=asc|desc` (only if the endpoint supports sorting).
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TablePaginationConfig, TableProps } from 'antd';
import { api, qs, type Page } from '../api.js';
import { t } from '../i18n.js';

export interface UseTableOptions {
  pageSize?: number;
  /** false: do not fetch yet (e.g. a required filter is missing). */
  enabled?: boolean;
}

export function useTable<T extends object>(path: string, filters: Record<string, unknown> = {}, opts: UseTableOptions = {}) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(opts.pageSize ?? 20);
  const [sort, setSort] = useState<{ sort?: string; order?: 'asc' | 'desc' }>({});

  // New filters: back to page 1, in the same render (no fetch of a page that may not exist any more).
  const filterKey = JSON.stringify(filters);
  const [seenKey, setSeenKey] = useState(filterKey);
  let currentPage = page;
  if (seenKey !== filterKey) {
    setSeenKey(filterKey);
    setPage(1);
    currentPage = 1;
  }

  const params = { ...filters, ...sort, page: currentPage, pageSize };
  const query = useQuery({
    queryKey: [path, params],
    queryFn: () => api.get<Page<T>>(path + qs(params)),
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
  });

  const onChange: TableProps<T>['onChange'] = (p: TablePaginationConfig, _filters, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = s?.order ? String(s.columnKey ?? s.field ?? '') : '';
    const next = field ? { sort: field, order: s!.order === 'ascend' ? ('asc' as const) : ('desc' as const) } : {};
    if (JSON.stringify(next) !== JSON.stringify(sort)) {
      setSort(next);
      setPage(1);
    } else {
      setPage(p.current ?? 1);
    }
    if (p.pageSize && p.pageSize !== pageSize) {
      setPageSize(p.pageSize);
      setPage(1);
    }
  };

  const tableProps: TableProps<T> = {
    rowKey: 'id' as TableProps<T>['rowKey'],
    dataSource: query.data?.items ?? [],
    loading: query.isFetching,
    onChange,
    pagination: {
      current: currentPage,
      pageSize,
      total: query.data?.total ?? 0,
      showSizeChanger: true,
      pageSizeOptions: [10, 20, 50, 100],
      showTotal: (n: number) => t.common.total(n),
    },
    locale: query.isError ? { emptyText: `${t.common.loadFailed}：${(query.error as Error).message}` } : undefined,
    scroll: { x: 'max-content' },
  };

  return {
    tableProps,
    data: query.data,
    total: query.data?.total ?? 0,
    error: query.error as Error | null,
    page: currentPage,
    pageSize,
    setPage,
    /** The query parameters of the current page (handy for an export link). */
    params,
    reload: () => query.refetch(),
  };
}
