// 新建 / 编辑 a custom role (permissions by module, data scope), in a drawer that loads when first
// opened. A change that makes the role privileged is filed for approval (the page says so).
import { useMemo } from 'react';
import { Checkbox, Form, Input, Select, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { api } from '../../api.js';
import { DATA_SCOPES } from '../../../../shared/permissions.js';
import { system } from '../../i18n/index.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { optionsOf } from './labels.js';
import { isPendingApproval, type PendingApproval } from './pendingApproval.js';
import { groupPermissions, isProtected, useCatalog, type PermissionCatalog } from './roleCatalog.js';
import type { Role } from './RolesPage.js';

const T = system.roles;

interface RoleForm {
  code: string;
  name: string;
  description?: string;
  permissions: string[];
  dataScope: string;
  customUnitIds?: string[];
}

/** Permissions as checkbox groups, one per module, each with a select-all box. */
function PermissionPicker({ value = [], onChange, catalog }: {
  value?: string[];
  onChange?: (v: string[]) => void;
  catalog: PermissionCatalog;
}) {
  const groups = useMemo(() => groupPermissions(catalog.items), [catalog]);
  const selected = new Set(value);
  const setGroup = (codes: string[], on: boolean) => {
    const next = new Set(value);
    for (const c of codes) if (on) next.add(c); else next.delete(c);
    // Catalogue order; codes the catalogue does not list (any more) are kept, not silently dropped.
    const known = catalog.items.map((p) => p.code);
    onChange?.([...known.filter((c) => next.has(c)), ...[...next].filter((c) => !known.includes(c))]);
  };
  return (
    <div>
      {groups.map((g) => {
        const codes = g.perms.map((p) => p.code);
        const n = codes.filter((c) => selected.has(c)).length;
        return (
          <div key={g.key} style={{ display: 'flex', padding: '6px 0', borderBottom: '1px solid rgba(5,5,5,0.06)' }}>
            <div style={{ width: 120, flex: 'none' }}>
              <Checkbox
                checked={n === codes.length}
                indeterminate={n > 0 && n < codes.length}
                onChange={(e) => setGroup(codes, e.target.checked)}
              >
                <Typography.Text strong>{g.label}</Typography.Text>
              </Checkbox>
            </div>
            <div style={{ flex: 1 }}>
              {g.perms.map((p) => (
                <Checkbox
                  key={p.code}
                  checked={selected.has(p.code)}
                  onChange={(e) => setGroup([p.code], e.target.checked)}
                  style={{ marginRight: 12 }}
                >
                  <Typography.Text type={isProtected(p.code) ? 'warning' : undefined} title={isProtected(p.code) ? `${p.code}（${T.protectedHint}）` : p.code}>
                    {p.label}
                  </Typography.Text>
                </Checkbox>
              ))}
            </div>
          </div>
        );
      })}
    </div>
  );
}

/** The role form's fields; the drawer around them is the shared FormDrawer. */
function RoleFields({ form, isNew, catalog }: { form: FormInstance<RoleForm>; isNew: boolean; catalog: PermissionCatalog }) {
  const dataScope = Form.useWatch('dataScope', form);
  const scopeOptions = catalog.dataScopes.map((d) => ({ value: d.code, label: d.label }));
  return (
    <>
      <Form.Item name="code" label={T.code} extra={isNew ? T.codeHint : undefined} rules={[{ required: true, message: T.required(T.code) }]}>
        <Input disabled={!isNew} maxLength={32} autoComplete="off" />
      </Form.Item>
      <Form.Item name="name" label={T.name} rules={[{ required: true, message: T.required(T.name) }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="description" label={T.description}>
        <Input.TextArea rows={2} maxLength={200} />
      </Form.Item>
      <Form.Item name="dataScope" label={T.dataScope} rules={[{ required: true, message: T.requiredSelect(T.dataScope) }]}>
        <Select options={scopeOptions.length ? scopeOptions : optionsOf(DATA_SCOPES)} />
      </Form.Item>
      {dataScope === 'custom' && (
        <Form.Item name="customUnitIds" label={T.customUnits} rules={[{ required: true, message: T.requiredSelect(T.customUnits) }]}>
          {/* Exact units: picking a parent must not silently add its children. */}
          <OrgTreeSelect multiple />
        </Form.Item>
      )}
      <Form.Item name="permissions" label={T.permissions}>
        <PermissionPicker catalog={catalog} />
      </Form.Item>
    </>
  );
}

export default function RoleDrawer({ editing, onClose, onSaved }: {
  editing: Role | 'new' | null;
  onClose: () => void;
  onSaved: (pending: PendingApproval | undefined) => void;
}) {
  const catalog = useCatalog();
  const isNew = editing === 'new';
  const current = editing && editing !== 'new' ? editing : null;
  return (
    <FormDrawer<RoleForm, PendingApproval | undefined>
      open={editing !== null}
      title={isNew ? T.createTitle : T.editTitle}
      width={760}
      onClose={onClose}
      savedMessage={(pending) => (pending ? null : isNew ? T.created : T.saved)}
      initialValues={
        current
          ? {
              code: current.code,
              name: current.name,
              description: current.description ?? '',
              permissions: current.permissions,
              dataScope: current.dataScope,
              customUnitIds: current.customUnitIds,
            }
          : { dataScope: 'unit', permissions: [], customUnitIds: [] }
      }
      onSubmit={async (v) => {
        const body = {
          name: v.name,
          description: v.description ?? '',
          permissions: v.permissions ?? [],
          dataScope: v.dataScope,
          customUnitIds: v.dataScope === 'custom' ? (v.customUnitIds ?? []) : [],
        };
        const res = current ? await api.patch(`/api/roles/${current.id}`, body) : await api.post('/api/roles', { code: v.code, ...body });
        return isPendingApproval(res) ? res : undefined;
      }}
      onSaved={onSaved}
    >
      {(form) => <RoleFields form={form} isNew={isNew} catalog={catalog} />}
    </FormDrawer>
  );
}
