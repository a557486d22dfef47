// The shape every list page has: the page heading with its buttons (refresh, export, the page's own),
// the filter bar, the paged table with its total ("10,000+ 条" when the server stopped counting),
// optionally a panel on the left (a tree), and the page's drawers as children. A page writes its
// columns, its filters and its forms; nothing of the plumbing.
//
//   const list = useList<UserRow>('/api/users');
//   return (
//     <ListPage list={list} columns={columns} exportPath="/api/users/export"
//       filters={[{ kind: 'search', name: 'q', label: '用户名、姓名' }, { kind: 'unit', name: 'orgUnitId', label: '所在单位' }]}
//       actions={<Button type="primary" onClick={…}>新建账号</Button>}>
//       <FormDrawer …>{/* Form.Items */}</FormDrawer>
//     </ListPage>
//   );
import type { ReactNode } from 'react';
import { Button, Col, Row } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { download, qs } from '../api.js';
import { common } from '../i18n/index.js';
import { DataTable, type Columns, type DataTableProps } from './DataTable.js';
import { FilterBar, type FilterDef } from './FilterBar.js';
import { PageHeader } from './PageHeader.js';
import { Pager } from './Pager.js';
import type { ListState } from './useList.js';
import './data-table.css';

export interface ListPageProps<T extends object> {
  list: ListState<T>;
  columns: Columns<T>;
  filters?: FilterDef[];
  /** The page's own buttons, right of refresh/export (create comes last). */
  actions?: ReactNode;
  subTitle?: ReactNode;
  /** GET endpoint of the Excel export; it receives the list's current filters. */
  exportPath?: string;
  exportLabel?: string;
  /** Above the filters (an explanation, a verdict). */
  notice?: ReactNode;
  /** A panel left of the list (a tree to filter by). */
  aside?: ReactNode;
  /** Anything else for the table (row key, minimum width, expandable rows, row clicks). */
  table?: Omit<DataTableProps<T>, 'columns' | 'dataSource' | 'sort' | 'onSort'>;
  /** Instead of the table (a list of cards, say), still under the filters and with the same paging. */
  body?: ReactNode;
  /** The list's name for screen readers (its page title by default is enough: leave unset). */
  panelLabel?: string;
  /** Drawers and modals of the page. */
  children?: ReactNode;
}

export function ListPage<T extends object>(p: ListPageProps<T>) {
  const { list } = p;
  const controlNames = (p.filters ?? []).flatMap((d) => (d.kind === 'dates' ? [d.from, d.to] : d.kind === 'tabs' ? [] : [d.name]));
  const main = (
    <section className="panel" aria-label={p.panelLabel}>
      {p.notice}
      {p.filters?.length ? (
        <FilterBar
          defs={p.filters}
          filters={list.filters}
          onChange={list.setFilters}
          onReset={() => list.setFilters(Object.fromEntries(controlNames.map((n) => [n, undefined])))}
        />
      ) : null}
      {p.body ?? <DataTable<T> caption={p.panelLabel} {...list.tableProps} {...p.table} columns={p.columns} />}
      {p.body && list.total <= list.pageSize ? null : <Pager {...list.pager} />}
    </section>
  );
  return (
    <>
      <PageHeader
        subTitle={p.subTitle}
        extra={
          <>
            <Button icon={<ReloadOutlined />} aria-label={common.refresh} title={common.refresh} loading={list.query.isFetching && !list.query.isLoading} onClick={() => void list.reload()} />
            {p.exportPath ? (
              <Button icon={<DownloadOutlined />} onClick={() => download(p.exportPath + qs(list.params))}>
                {p.exportLabel ?? common.export}
              </Button>
            ) : null}
            {p.actions}
          </>
        }
      />
      {p.aside ? (
        <Row gutter={[16, 16]} wrap>
          <Col xs={24} lg={7} xl={5}>
            {p.aside}
          </Col>
          <Col xs={24} lg={17} xl={19}>
            {main}
          </Col>
        </Row>
      ) : (
        main
      )}
      {p.children}
    </>
  );
}
