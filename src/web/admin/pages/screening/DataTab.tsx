// 数据导入: one card per register — what it holds, the snapshot in use (file, when, how many rows) or
// none yet, the template's columns, 下载模板 and 导入 (.xlsx or .csv, all rows or only the good ones, or a
// dry run, with the row-by-row report). Below, every import (filtered by register) and every run.
// Loaded when the tab is first opened; the import dialog when first used.
import { lazy, useState } from 'react';
import { Button, Card, Col, Flex, Row, Tag, Typography } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import { FilterBar } from '../../components/FilterBar.js';
import { formatTime } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { Pager } from '../../components/Pager.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { screening as st } from '../../i18n/index.js';
import { DATASETS_KEY, RUNS_KEY, SCREENING_KEY, SNAPSHOTS_KEY, type DatasetInfo, type RunRow, type SnapshotRow } from './shared.js';

const t = st.data;
const none = st.common.none;
const ImportModal = lazy(() => import('../../components/ImportModal.js'));
const STATUS_COLOR: Record<SnapshotRow['status'], string> = { loading: 'blue', ready: 'green', failed: 'red' };
const NOWRAP = { whiteSpace: 'nowrap' } as const;
/** The tab's three parts, each under its heading. */
const HEADING = { margin: '4px 0 8px', fontSize: 15, fontWeight: 600 } as const;

/** "姓名（必填）、身份证号（必填）、职务": what the template asks for, each column's note on hover. */
function ColumnList({ columns }: { columns: DatasetInfo['columns'] }) {
  return (
    <p className="text-secondary" style={{ margin: 0 }}>
      {t.columns}：
      {columns.map((c, i) => (
        <span key={c.header} title={c.note ?? undefined}>
          {i ? '、' : ''}
          {c.header}
          {c.required ? `（${t.required}）` : ''}
        </span>
      ))}
    </p>
  );
}

function DatasetCard({ d, onImport }: { d: DatasetInfo; onImport: (() => void) | null }) {
  return (
    <Card size="small" title={<h3 className="card-heading">{d.label}</h3>} style={{ height: '100%' }} data-testid={`dataset-${d.kind}`}>
      <Flex vertical gap={8}>
        <Typography.Text type="secondary">{d.note}</Typography.Text>
        <div>
          {t.current}：
          {d.current ? t.snapshotOf(d.current.fileName, formatTime(d.current.importedAt), d.current.rows) : <Tag>{t.notImported}</Tag>}
        </div>
        <ColumnList columns={d.columns} />
        <Flex gap={8} wrap>
          <Button icon={<DownloadOutlined />} href={`${DATASETS_KEY}/${d.kind}/template`} download aria-label={t.templateOf(d.label)}>
            {t.template}
          </Button>
          {onImport ? (
            <Button icon={<UploadOutlined />} onClick={onImport} aria-label={t.importOf(d.label)}>
              {t.import}
            </Button>
          ) : null}
        </Flex>
      </Flex>
    </Card>
  );
}

export default function DataTab({ kind, setKind }: { kind: string | undefined; setKind: (kind: string | null) => void }) {
  const can = useCan();
  const invalidate = useInvalidate();
  const datasets = useQuery({ queryKey: [DATASETS_KEY], queryFn: () => api.get<{ items: DatasetInfo[] }>(DATASETS_KEY), select: (r) => r.items });
  const snapshots = useList<SnapshotRow>(SNAPSHOTS_KEY, { filters: { kind } });
  const runs = useList<RunRow>(RUNS_KEY);
  // The register being imported stays while the dialog closes.
  const [importing, setImporting] = useState<DatasetInfo | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const mayImport = can('screening:import');

  const snapshotColumns: Columns<SnapshotRow> = [
    {
      title: t.kind,
      dataIndex: 'kindLabel',
      width: 150,
      render: (v: string, r) => (
        <span style={NOWRAP}>
          {v} {r.current ? <Tag color="green">{t.currentTag}</Tag> : null}
        </span>
      ),
    },
    { title: t.file, dataIndex: 'fileName', ellipsis: true },
    { title: t.status, dataIndex: 'status', width: 90, render: (_: string, r) => <Tag color={STATUS_COLOR[r.status]}>{r.statusLabel}</Tag> },
    { title: t.rows, key: 'rows', width: 150, render: (_: unknown, r) => t.rowsText(r.importedRows, r.totalRows, r.skippedRows) },
    { title: t.importedBy, dataIndex: 'importedByName', width: 140, render: (v: string | null) => v ?? none },
    { title: t.importedAt, dataIndex: 'importedAt', width: 150, render: (v: string | null, r) => <span style={NOWRAP}>{formatTime(v ?? r.startedAt)}</span> },
  ];
  const runColumns: Columns<RunRow> = [
    { title: t.runAt, dataIndex: 'startedAt', width: 170, render: (v: string) => formatTime(v) },
    { title: t.runBy, dataIndex: 'actorName', render: (v: string | null) => v ?? none },
    { title: t.runHits, dataIndex: 'hits', width: 90, align: 'right' },
    { title: t.runNew, dataIndex: 'new', width: 90, align: 'right' },
    { title: t.runResolved, dataIndex: 'resolved', width: 90, align: 'right' },
  ];

  return (
    <div className="stack">
      <section aria-labelledby="screening-datasets">
        <h2 id="screening-datasets" style={HEADING}>
          {t.datasets}
        </h2>
        {datasets.isError ? <LoadFailed error={datasets.error} onRetry={() => void datasets.refetch()} /> : null}
        <Row gutter={[16, 16]}>
          {(datasets.data ?? []).map((d) => (
            <Col key={d.kind} xs={24} md={12} xl={8}>
              <DatasetCard
                d={d}
                onImport={
                  mayImport
                    ? () => {
                        setImporting(d);
                        setImportOpen(true);
                      }
                    : null
                }
              />
            </Col>
          ))}
        </Row>
      </section>
      <section aria-labelledby="screening-snapshots">
        <h2 id="screening-snapshots" style={HEADING}>
          {t.snapshots}
        </h2>
        <FilterBar
          defs={[{ kind: 'select', name: 'kind', label: t.kind, width: 180, options: (datasets.data ?? []).map((d) => ({ value: d.kind, label: d.label })) }]}
          filters={kind ? { kind } : {}}
          onChange={(p) => setKind(p.kind === undefined ? null : String(p.kind))}
          onReset={() => setKind(null)}
        />
        <DataTable<SnapshotRow> caption={t.snapshotsTable} minWidth={860} {...snapshots.tableProps} sort={undefined} onSort={undefined} columns={snapshotColumns} />
        <Pager {...snapshots.pager} />
      </section>
      <section aria-labelledby="screening-runs">
        <h2 id="screening-runs" style={HEADING}>
          {t.runs}
        </h2>
        <DataTable<RunRow> caption={t.runsTable} minWidth={600} {...runs.tableProps} sort={undefined} onSort={undefined} columns={runColumns} />
        <Pager {...runs.pager} />
      </section>
      <OnDemand open={importOpen}>
        {importing ? (
          <ImportModal
            open={importOpen}
            onClose={() => setImportOpen(false)}
            onImported={() => void invalidate(SCREENING_KEY)}
            title={t.importTitle(importing.label)}
            rowIs={t.rowIs}
            templatePath={`${DATASETS_KEY}/${importing.kind}/template`}
            importPath={`${DATASETS_KEY}/${importing.kind}/import`}
            csv
            intro={<p className="notice info" style={{ margin: 0 }}>{t.importHelp}</p>}
          />
        ) : null}
      </OnDemand>
    </div>
  );
}
