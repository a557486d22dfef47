// The table every list shows: a real <table> with what the lists need and nothing more — columns
// with render, width, ellipsis (whole text on hover), alignment, a fixed first and last column,
// columns that appear only on wide screens (`responsive`), sorting (by the server, or in the page
// with a compare function), expandable rows, clickable rows, a loading veil and an empty row.
//
// Ours rather than antd's Table, which brings its filter menus, tree, radio and selection machinery
// (some 90 KB gzipped with its select) to every list page. The column shape is antd's, so a page's
// columns read the same.
import { Fragment, useEffect, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { CaretDownOutlined, CaretUpOutlined, MinusSquareOutlined, PlusSquareOutlined } from '@ant-design/icons';
import { common } from '../i18n/index.js';

export type Breakpoint = 'md' | 'lg' | 'xl' | 'xxl';
export type SortOrder = 'asc' | 'desc';

export interface Column<T> {
  title: ReactNode;
  /** The field shown (and the sort key sent to the server, unless `key` says otherwise). */
  dataIndex?: keyof T & string;
  key?: string;
  render?: (value: any, record: T, index: number) => ReactNode;
  width?: number;
  /** One line, cut with "…"; the whole text on hover. */
  ellipsis?: boolean | { showTitle?: boolean };
  align?: 'left' | 'right' | 'center';
  /** The first column may stay on the left, the last on the right, while the rest scrolls. */
  fixed?: 'left' | 'right';
  /** Shown only from this screen width up (the detail drawer and the export carry every field). */
  responsive?: Breakpoint[];
  /** true: the server sorts (sort=<key>&order=asc|desc); a function: sorted here, on this page's rows. */
  sorter?: boolean | ((a: T, b: T) => number);
}
export type Columns<T> = Column<T>[];

export interface DataTableProps<T> {
  columns: Columns<T>;
  dataSource: readonly T[];
  rowKey?: (keyof T & string) | ((record: T) => string);
  loading?: boolean;
  /** Text of the empty table (a load failure says so here). */
  emptyText?: ReactNode;
  /** The server's current sort, and where a header click sends the next one. */
  sort?: { key: string; order: SortOrder } | null;
  onSort?: (next: { key: string; order: SortOrder } | null) => void;
  /** Minimum width: wider than the box, the table scrolls sideways inside it. */
  minWidth?: number;
  tableLayout?: 'auto' | 'fixed';
  expandable?: { expandedRowRender: (record: T) => ReactNode; label?: string };
  onRow?: (record: T) => { onClick?: () => void; style?: CSSProperties };
  rowClassName?: (record: T) => string;
  size?: 'small' | 'middle';
  /** Names the table for screen readers. */
  caption?: string;
}

const keyOf = <T,>(c: Column<T>, i: number) => c.key ?? c.dataIndex ?? String(i);

const BREAKPOINTS: Record<Breakpoint, number> = { md: 768, lg: 992, xl: 1200, xxl: 1600 };

/** The widest breakpoint the window reaches, kept up to date. */
function useScreenWidth(): number {
  const [width, setWidth] = useState(() => (typeof window === 'undefined' ? 1600 : window.innerWidth));
  useEffect(() => {
    const queries = Object.values(BREAKPOINTS).map((px) => window.matchMedia(`(min-width: ${px}px)`));
    const update = () => setWidth(window.innerWidth);
    for (const q of queries) q.addEventListener('change', update);
    return () => queries.forEach((q) => q.removeEventListener('change', update));
  }, []);
  return width;
}

export function DataTable<T extends object>(p: DataTableProps<T>) {
  const [localSort, setLocalSort] = useState<{ key: string; order: SortOrder } | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const rowKey = (r: T, i: number) =>
    typeof p.rowKey === 'function' ? p.rowKey(r) : String((r as Record<string, unknown>)[p.rowKey ?? 'id'] ?? i);

  const screen = useScreenWidth();
  const columns = useMemo(
    () => p.columns.filter((c) => !c.responsive?.length || c.responsive.some((b) => screen >= BREAKPOINTS[b])),
    [p.columns, screen],
  );
  const sortState = p.onSort ? (p.sort ?? null) : localSort;
  const rows = useMemo(() => {
    if (p.onSort || !localSort) return p.dataSource;
    const col = columns.find((c, i) => keyOf(c, i) === localSort.key);
    if (!col || typeof col.sorter !== 'function') return p.dataSource;
    const cmp = col.sorter;
    const sorted = [...p.dataSource].sort(cmp);
    return localSort.order === 'desc' ? sorted.reverse() : sorted;
  }, [p.dataSource, p.onSort, localSort, columns]);

  const nextSort = (key: string) => {
    const cur = sortState?.key === key ? sortState.order : null;
    const next = cur === null ? { key, order: 'asc' as const } : cur === 'asc' ? { key, order: 'desc' as const } : null;
    if (p.onSort) p.onSort(next);
    else setLocalSort(next);
  };

  const cellClass = (c: Column<T>) =>
    [
      c.fixed ? `fixed-${c.fixed}` : '',
      c.ellipsis ? 'ellipsis' : '',
      c.align ? `align-${c.align}` : '',
    ]
      .filter(Boolean)
      .join(' ');
  const span = columns.length + (p.expandable ? 1 : 0);

  return (
    <div className={`data-table-box${p.loading ? ' loading' : ''}`} aria-busy={p.loading || undefined}>
      <div className="data-table-scroll" tabIndex={0} role="region" aria-label={p.caption ?? common.table}>
        <table
          className={`data-table ${p.size === 'small' ? 'small' : ''}`}
          style={{ minWidth: p.minWidth, tableLayout: p.tableLayout ?? 'auto' }}
        >
          {p.caption ? <caption className="sr-only">{p.caption}</caption> : null}
          <colgroup>
            {p.expandable ? <col style={{ width: 40 }} /> : null}
            {columns.map((c, i) => (
              <col key={keyOf(c, i)} className={cellClass(c)} style={c.width ? { width: c.width } : undefined} />
            ))}
          </colgroup>
          <thead>
            <tr>
              {p.expandable ? (
                <th scope="col">
                  <span className="sr-only">{p.expandable.label ?? common.expand}</span>
                </th>
              ) : null}
              {columns.map((c, i) => {
                const k = keyOf(c, i);
                const order = sortState?.key === k ? sortState.order : null;
                return (
                  <th
                    key={k}
                    scope="col"
                    className={cellClass(c)}
                    aria-sort={c.sorter ? (order === 'asc' ? 'ascending' : order === 'desc' ? 'descending' : 'none') : undefined}
                  >
                    {c.sorter ? (
                      <button type="button" className="sort-button" onClick={() => nextSort(k)}>
                        {c.title}
                        <span className="sort-icons" aria-hidden="true">
                          <CaretUpOutlined className={order === 'asc' ? 'on' : ''} />
                          <CaretDownOutlined className={order === 'desc' ? 'on' : ''} />
                        </span>
                      </button>
                    ) : (
                      c.title
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr className="empty">
                <td colSpan={span}>{p.loading ? common.loading : (p.emptyText ?? common.noData)}</td>
              </tr>
            ) : (
              rows.map((r, i) => {
                const k = rowKey(r, i);
                const expanded = open.has(k);
                const row = p.onRow?.(r);
                return (
                  <Fragment key={k}>
                    <tr className={p.rowClassName?.(r)} onClick={row?.onClick} style={row?.style}>
                      {p.expandable ? (
                        <td className="expand-cell">
                          <button
                            type="button"
                            className="expand-button"
                            aria-expanded={expanded}
                            aria-label={p.expandable.label ?? common.expand}
                            onClick={(e) => {
                              e.stopPropagation();
                              setOpen((s) => {
                                const next = new Set(s);
                                if (next.has(k)) next.delete(k);
                                else next.add(k);
                                return next;
                              });
                            }}
                          >
                            {expanded ? <MinusSquareOutlined aria-hidden /> : <PlusSquareOutlined aria-hidden />}
                          </button>
                        </td>
                      ) : null}
                      {columns.map((c, ci) => {
                        const value = c.dataIndex ? (r as Record<string, unknown>)[c.dataIndex] : undefined;
                        const content = c.render ? c.render(value, r, i) : (value as ReactNode);
                        const title =
                          c.ellipsis && (c.ellipsis === true || c.ellipsis.showTitle !== false) && (typeof content === 'string' || typeof content === 'number')
                            ? String(content)
                            : undefined;
                        return (
                          <td key={keyOf(c, ci)} className={cellClass(c)} title={title}>
                            {content ?? ''}
                          </td>
                        );
                      })}
                    </tr>
                    {expanded && p.expandable ? (
                      <tr className="expanded-row">
                        <td colSpan={span}>{p.expandable.expandedRowRender(r)}</td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      {p.loading ? <div className="data-table-veil boot-spinner" role="status"><span className="sr-only">{common.loading}</span></div> : null}
    </div>
  );
}
