// 角色权限: built-in roles are read-only (三员分立); custom roles pick permissions and a data scope.

import { lazy, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Space, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { system } from '../../i18n/index.js';
import { useFeedback } from '../../components/feedback.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import type { Columns } from '../../components/DataTable.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useCan } from '../../auth/useMe.js';
import { dataScopeLabel } from './labels.js';
import type { PendingApproval } from './pendingApproval.js';

const RoleDrawer = lazy(() => import('./RoleDrawer.js'));
const RoleView = lazy(() => import('./RoleView.js'));
const PendingApprovalModal = lazy(() => import('./PendingApprovalModal.js'));

const T = system.roles;

export interface Role {
  id: string;
  code: string;
  name: string;
  description: string | null;
  builtin: boolean;
  permissions: string[];
  dataScope: string;
  customUnitIds: string[];
  userCount: number;
}

/** The server's catalogue, or the shared constants while it loads. */
export default function RolesPage() {
  const { message } = useFeedback();
  const showError = useApiError();
  const canWrite = useCan()('roles:write');
  const invalidate = useInvalidate();
  const list = useList<Role>('/api/roles', { pageSize: 100 });
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const [viewing, setViewing] = useState<Role | null>(null);
  const [pending, setPending] = useState<PendingApproval | null>(null);

  const remove = useMutation({
    mutationFn: (r: Role) => api.del(`/api/roles/${r.id}`),
    onSuccess: () => {
      message.success(T.deleted);
      void invalidate('/api/roles');
    },
    onError: (e) => showError(e),
  });

  const columns: Columns<Role> = [
    {
      title: T.name,
      dataIndex: 'name',
      width: 160,
      render: (v: string, r) => (
        <Space size={4}>
          {v}
          {r.builtin ? <Tag color="gold">{T.builtin}</Tag> : <Tag>{T.custom}</Tag>}
        </Space>
      ),
    },
    { title: T.code, dataIndex: 'code', width: 140, render: (v: string) => <code>{v}</code> },
    { title: T.dataScope, dataIndex: 'dataScope', width: 130, render: (v: string) => dataScopeLabel(v) },
    { title: T.permissions, dataIndex: 'permissions', width: 90, render: (v: string[]) => T.permCount(v.length) },
    { title: T.userCount, dataIndex: 'userCount', width: 80, align: 'right' },
    { title: T.description, dataIndex: 'description', ellipsis: true, render: (v: string | null) => v || '—' },
    {
      title: T.actions,
      key: 'actions',
      width: 190,
      render: (_: unknown, r) => (
        <Space size={0}>
          <button type="button" className="link-action" onClick={() => setViewing(r)}>{T.view}</button>
          {canWrite && !r.builtin && (
            <>
              <button type="button" className="link-action" onClick={() => setEditing(r)}>{T.edit}</button>
              {r.userCount > 0 ? (
                <button type="button" className="link-action danger" disabled title={T.deleteInUse}>{T.delete}</button>
              ) : (
                <ConfirmButton danger title={T.deleteConfirm} onConfirm={() => remove.mutateAsync(r)}>
                  {T.delete}
                </ConfirmButton>
              )}
            </>
          )}
        </Space>
      ),
    },
  ];

  return (
    <ListPage
      list={list}
      columns={columns}
      notice={<Alert type="info" showIcon title={T.separation} description={T.approvalNote} style={{ marginBottom: 12 }} />}
      actions={canWrite && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>{T.create}</Button>}
      table={{ minWidth: 1000 }}
    >
      <OnDemand open={viewing !== null}>
        <RoleView viewing={viewing} onClose={() => setViewing(null)} />
      </OnDemand>
      <OnDemand open={editing !== null}>
        <RoleDrawer
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={(p) => {
            setEditing(null);
            if (p) setPending(p);
            // The caller's own role may have changed: refresh their permissions too.
            void invalidate('/api/roles', 'me', '/api/approvals');
          }}
        />
      </OnDemand>
      <OnDemand open={pending !== null}>
        <PendingApprovalModal pending={pending} onClose={() => setPending(null)} />
      </OnDemand>
    </ListPage>
  );
}
