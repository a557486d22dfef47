// 干警管理: org tree filter on the left; searchable, paginated list on the right; create/edit in a
// drawer, details with "查看明文", Excel import and export of the current filter.
//
// The table fits a 1366 px laptop: the name stays fixed on the left and the actions on the right,
// long texts are cut with an ellipsis (whole on hover), and the less used columns appear only on
// wider screens (they are all in the detail drawer and the export).
import { lazy, useState } from 'react';
import { Button, Flex } from 'antd';
import { useFeedback } from '../../components/feedback.js';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { GENDERS, PERSON_STATUS } from '../../../../shared/schemas/people.js';
import { useCan } from '../../auth/useMe.js';
import { common, org, people } from '../../i18n/index.js';
import type { Columns } from '../../components/DataTable.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { TreePanel } from '../../components/TreePanel.js';
import { useDicts } from '../../components/useDicts.js';
import { useApiError } from '../../components/useApiError.js';
import { formatTime } from '../../components/format.js';
import { useOrgUnits } from '../../components/useOrgUnits.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { StatusTag } from './StatusTag.js';
import { PEOPLE_KEY, type PersonRow } from './types.js';

const s = people;
// The drawers and the import dialog (forms, tree pickers, upload) come when first opened: the list
// itself loads light.
const ImportModal = lazy(() => import('../../components/ImportModal.js'));
const PersonFormDrawer = lazy(() => import('./PersonFormDrawer.js'));
const PersonDetailDrawer = lazy(() => import('./PersonDetailDrawer.js'));
const statusOptions = Object.entries(PERSON_STATUS).map(([value, label]) => ({ value, label }));

export default function PeoplePage() {
  const can = useCan();
  const { message } = useFeedback();
  const showError = useApiError();
  const invalidate = useInvalidate();
  const { label: dictLabel, options: dictOptions } = useDicts();
  const { data: units = [], isLoading: unitsLoading } = useOrgUnits(can('org:read'));
  const list = useList<PersonRow>(PEOPLE_KEY);
  const orgUnitId = (list.filters.orgUnitId as string | undefined) ?? null;
  const [editing, setEditing] = useState<PersonRow | null | 'new'>(null);
  const [detailId, setDetailId] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);

  const refresh = () => invalidate(PEOPLE_KEY);
  const writable = can('people:write');

  const remove = async (p: PersonRow) => {
    try {
      await api.del(`/api/people/${p.id}`);
      message.success(common.deleted);
      await refresh();
    } catch (err) {
      showError(err);
    }
  };

  const ellipsis = { showTitle: true } as const;
  const columns: Columns<PersonRow> = [
    {
      title: s.name,
      dataIndex: 'name',
      fixed: 'left',
      width: 96,
      ellipsis,
      render: (name: string, p) => (
        <button type="button" className="link-button" onClick={() => setDetailId(p.id)}>
          {name}
        </button>
      ),
    },
    { title: s.gender, dataIndex: 'gender', width: 60, responsive: ['xxl'], render: (g: PersonRow['gender']) => (g ? GENDERS[g] : '') },
    { title: s.orgUnit, dataIndex: 'orgUnitName', width: 200, ellipsis },
    { title: s.post, dataIndex: 'post', width: 110, ellipsis, render: (v: string | null) => dictLabel('post', v) },
    { title: s.partyOrg, dataIndex: 'partyOrgName', width: 180, ellipsis, responsive: ['xxl'] },
    { title: s.policeNo, dataIndex: 'policeNo', width: 100, ellipsis },
    { title: s.phone, dataIndex: 'phone', width: 120, responsive: ['xl'] },
    { title: s.idNumber, dataIndex: 'idNumber', width: 180, responsive: ['xxl'] },
    { title: s.status, dataIndex: 'status', width: 76, render: (v: string) => <StatusTag status={v} /> },
    { title: s.updatedAt, dataIndex: 'updatedAt', width: 150, responsive: ['xxl'], render: (v: string) => formatTime(v) },
    {
      title: common.actions,
      key: 'actions',
      fixed: 'right',
      width: writable ? 150 : 70,
      render: (_: unknown, p) => (
        <Flex gap={0}>
          <button type="button" className="link-action" onClick={() => setDetailId(p.id)}>
            {common.detail}
          </button>
          {writable ? (
            <>
              <button type="button" className="link-action" onClick={() => setEditing(p)}>
                {common.edit}
              </button>
              <ConfirmButton danger title={common.deleteConfirm(p.name)} description={s.deleteHint} onConfirm={() => remove(p)}>
                {common.delete}
              </ConfirmButton>
            </>
          ) : null}
        </Flex>
      ),
    },
  ];

  const postOptions = dictOptions('post');
  const showTree = units.length > 0 || unitsLoading;

  return (
    <ListPage
      list={list}
      columns={columns}
      exportPath={can('people:export') ? '/api/people/export' : undefined}
      actions={
        <>
          {can('people:import') ? (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
              {common.import}
            </Button>
          ) : null}
          {writable ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {common.add}
            </Button>
          ) : null}
        </>
      }
      aside={
        showTree ? (
          <TreePanel
            title={s.orgTree}
            items={units}
            loading={unitsLoading}
            selectedId={orgUnitId}
            onSelect={(id) => list.setFilters({ orgUnitId: id ?? undefined, includeSub: id ? 1 : undefined })}
            searchPlaceholder={org.searchTree}
            allLabel={s.allUnits}
          />
        ) : undefined
      }
      filters={[
        { kind: 'search', name: 'q', label: s.searchPlaceholder, width: 240 },
        { kind: 'select', name: 'status', label: s.statusFilter, options: statusOptions, width: 110 },
        ...(postOptions.length ? [{ kind: 'select' as const, name: 'post', label: s.postFilter, options: postOptions, width: 150 }] : []),
      ]}
      table={{ tableLayout: 'fixed',  }}
    >
      <OnDemand open={editing !== null}>
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
      </OnDemand>
      <OnDemand open={detailId !== null}>
        <PersonDetailDrawer personId={detailId} onClose={() => setDetailId(null)} />
      </OnDemand>
      <OnDemand open={importing}>
        <ImportModal
          open={importing}
          onClose={() => setImporting(false)}
          onImported={() => void refresh()}
          title={s.importTitle}
          rowIs={s.importRowIs}
          templatePath="/api/people/import-template"
          importPath="/api/people/import"
        />
      </OnDemand>
    </ListPage>
  );
}
