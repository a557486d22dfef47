// 干警管理: org tree filter on the left; searchable, paginated list on the right; create/edit in a
// drawer, details with "查看明文", Excel import and export of the current filter.
import { useMemo, useState } from 'react';
import { App, Button, Card, Col, Flex, Input, Popconfirm, Row, Select, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { api, download, qs } from '../../api.js';
import { GENDERS, PERSON_STATUS } from '../../../../shared/schemas/people.js';
import { useCan } from '../../auth/useMe.js';
import { t } from '../../i18n.js';
import { PageHeader } from '../../components/PageHeader.js';
import { TreePanel } from '../../components/TreePanel.js';
import { useTable } from '../../components/useTable.js';
import { useDicts } from '../../components/useDicts.js';
import { useApiError } from '../../components/useApiError.js';
import { formatTime } from '../../components/format.js';
import { useOrgUnits } from '../../components/useOrgUnits.js';
import { PersonFormDrawer } from './PersonFormDrawer.js';
import { PersonDetailDrawer, StatusTag } from './PersonDetailDrawer.js';
import { PeopleImportModal } from './PeopleImportModal.js';
import { PEOPLE_KEY, type PersonRow } from './types.js';

const s = t.people;
const statusOptions = Object.entries(PERSON_STATUS).map(([value, label]) => ({ value, label }));

export default function PeoplePage() {
  const can = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const { label: dictLabel, options: dictOptions } = useDicts();
  const { data: units = [], isLoading: unitsLoading } = useOrgUnits(can('org:read'));

  const [orgUnitId, setOrgUnitId] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<string | undefined>();
  const [post, setPost] = useState<string | undefined>();
  const [editing, setEditing] = useState<PersonRow | null | 'new'>(null);
  const [detailId, setDetailId] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);

  const filters = useMemo(
    () => ({ q: q.trim() || undefined, orgUnitId: orgUnitId ?? undefined, includeSub: orgUnitId ? 1 : undefined, status, post }),
    [q, orgUnitId, status, post],
  );
  const { tableProps } = useTable<PersonRow>('/api/people', filters);
  const refresh = () => qc.invalidateQueries({ queryKey: [PEOPLE_KEY] });
  const writable = can('people:write');

  const remove = async (p: PersonRow) => {
    try {
      await api.del(`/api/people/${p.id}`);
      message.success(t.common.deleted);
      await refresh();
    } catch (err) {
      showError(err);
    }
  };

  const columns: TableColumnsType<PersonRow> = [
    {
      title: s.name,
      dataIndex: 'name',
      fixed: 'left',
      render: (name: string, p) => (
        <Typography.Link onClick={() => setDetailId(p.id)}>{name}</Typography.Link>
      ),
    },
    { title: s.gender, dataIndex: 'gender', width: 60, render: (g: PersonRow['gender']) => (g ? GENDERS[g] : '') },
    { title: s.orgUnit, dataIndex: 'orgUnitName' },
    { title: s.post, dataIndex: 'post', render: (v: string | null) => dictLabel('post', v) },
    { title: s.partyOrg, dataIndex: 'partyOrgName' },
    { title: s.policeNo, dataIndex: 'policeNo' },
    { title: s.phone, dataIndex: 'phone' },
    { title: s.idNumber, dataIndex: 'idNumber' },
    { title: s.status, dataIndex: 'status', render: (v: string) => <StatusTag status={v} /> },
    { title: s.updatedAt, dataIndex: 'updatedAt', render: (v: string) => formatTime(v) },
    {
      title: t.common.actions,
      key: 'actions',
      fixed: 'right',
      render: (_: unknown, p) => (
        <Flex gap={4}>
          <Button type="link" size="small" onClick={() => setDetailId(p.id)}>
            {t.common.detail}
          </Button>
          {writable ? (
            <>
              <Button type="link" size="small" onClick={() => setEditing(p)}>
                {t.common.edit}
              </Button>
              <Popconfirm
                title={t.common.deleteConfirm(p.name)}
                description={<div style={{ maxWidth: 280 }}>{s.deleteHint}</div>}
                onConfirm={() => remove(p)}
                okButtonProps={{ danger: true }}
              >
                <Button type="link" size="small" danger>
                  {t.common.delete}
                </Button>
              </Popconfirm>
            </>
          ) : null}
        </Flex>
      ),
    },
  ];

  const postOptions = dictOptions('post');

  return (
    <>
      <PageHeader
        title={s.title}
        extra={
          <>
            {writable ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                {t.common.add}
              </Button>
            ) : null}
            {can('people:import') ? (
              <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                {t.common.import}
              </Button>
            ) : null}
            {can('people:export') ? (
              <Tooltip title={s.exportTitle}>
                <Button icon={<DownloadOutlined />} onClick={() => download(`/api/people/export${qs(filters)}`)}>
                  {t.common.export}
                </Button>
              </Tooltip>
            ) : null}
          </>
        }
      />
      <Row gutter={[16, 16]}>
        {units.length || unitsLoading ? (
          <Col xs={24} lg={7} xl={6}>
            <TreePanel
              title={s.orgTree}
              items={units}
              loading={unitsLoading}
              selectedId={orgUnitId}
              onSelect={(id) => setOrgUnitId(id)}
              searchPlaceholder={t.org.searchTree}
              allLabel={s.allUnits}
            />
          </Col>
        ) : null}
        <Col xs={24} lg={units.length || unitsLoading ? 17 : 24} xl={units.length || unitsLoading ? 18 : 24}>
          <Card size="small">
            <Flex gap={8} wrap style={{ marginBottom: 12 }} role="search">
              <Input.Search
                allowClear
                placeholder={s.searchPlaceholder}
                aria-label={s.searchPlaceholder}
                onSearch={(v) => setQ(v)}
                enterButton={t.common.search}
                style={{ width: 280 }}
              />
              <Select
                allowClear
                placeholder={s.statusFilter}
                aria-label={s.statusFilter}
                options={statusOptions}
                value={status}
                onChange={setStatus}
                style={{ width: 120 }}
              />
              {postOptions.length ? (
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={s.postFilter}
                  aria-label={s.postFilter}
                  options={postOptions}
                  value={post}
                  onChange={setPost}
                  style={{ width: 160 }}
                />
              ) : null}
            </Flex>
            <Table<PersonRow> {...tableProps} columns={columns} size="middle" />
          </Card>
        </Col>
      </Row>
      <PersonFormDrawer
        open={editing !== null}
        person={editing === 'new' ? null : editing}
        defaultOrgUnitId={orgUnitId}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void refresh();
        }}
      />
      <PersonDetailDrawer personId={detailId} onClose={() => setDetailId(null)} />
      <PeopleImportModal open={importing} onClose={() => setImporting(false)} onImported={() => void refresh()} />
    </>
  );
}
