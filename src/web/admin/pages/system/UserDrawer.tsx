// 新建 / 编辑 an account, in a drawer that loads when first opened. The roles offered are the ones the
// caller may hand out (UsersPage's useRoleOptions); a privileged choice files the change for approval.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Form, Input, Select, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { api, type Page } from '../../api.js';
import { isPrivilegedRole } from '../../../../shared/permissions.js';
import { system } from '../../i18n/index.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { isPendingApproval, type PendingApproval } from './pendingApproval.js';
import type { RoleOption, UserRow } from './UsersPage.js';

const T = system.users;

interface PersonOption {
  id: string;
  name: string;
  orgUnitId: string;
  orgUnitName: string;
  policeNo?: string | null;
}

interface UserForm {
  username?: string;
  displayName: string;
  orgUnitId: string;
  personId?: string;
  roleCodes: string[];
}

function PersonPicker({ id, value, onChange, onPick, initial }: {
  id?: string;
  value?: string;
  onChange?: (v: string | undefined) => void;
  onPick?: (p: PersonOption | undefined) => void;
  initial?: { id: string; name: string } | null;
}) {
  const [search, setSearch] = useState('');
  const q = useQuery({
    queryKey: ['/api/people', 'picker', search],
    queryFn: () => api.get<Page<PersonOption>>(`/api/people?q=${encodeURIComponent(search)}&pageSize=20`),
    staleTime: 30_000,
  });
  const options = (q.data?.items ?? []).map((p) => ({
    value: p.id,
    label: `${p.name}（${p.orgUnitName}）`,
    person: p,
  }));
  if (initial && value === initial.id && !options.some((o) => o.value === initial.id))
    options.unshift({ value: initial.id, label: initial.name, person: undefined as unknown as PersonOption });
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={value}
      placeholder={T.personHint}
      loading={q.isFetching}
      options={options}
      onChange={(v, opt) => {
        onChange?.(v);
        const o = Array.isArray(opt) ? undefined : (opt as { person?: PersonOption } | undefined);
        onPick?.(o?.person);
      }}
      onClear={() => setSearch('')}
    />
  );
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The account form's fields; the drawer around them is the shared FormDrawer. */
function UserFields({ form, editing, self, roleOptions }: {
  form: FormInstance<UserForm>;
  editing: UserRow | 'new';
  /** Editing one's own account: roles stay as they are. */
  self: boolean;
  roleOptions: { all: RoleOption[]; assignable: RoleOption[] };
}) {
  const isNew = editing === 'new';
  // Roles the user already holds stay visible (by name) even when this admin could not assign them.
  const held = new Set(isNew ? [] : editing.roles.map((r) => r.code));
  const assignable = new Set(roleOptions.assignable.map((r) => r.code));
  const roleChoices = roleOptions.all
    .filter((r) => assignable.has(r.code) || held.has(r.code))
    .map((r) => ({
      value: r.code,
      // Privileged roles are marked: choosing one files the change for approval.
      label: r.permissions && isPrivilegedRole({ code: r.code, permissions: r.permissions }) ? `${r.name}（${T.privileged}）` : r.name,
      disabled: !assignable.has(r.code),
    }));
  return (
    <>
      <Form.Item
        name="username"
        label={T.username}
        extra={isNew ? T.usernameHint : undefined}
        rules={isNew ? [{ required: true, message: T.required(T.username) }] : []}
      >
        <Input disabled={!isNew} autoComplete="off" maxLength={32} />
      </Form.Item>
      {isNew ? (
        <Form.Item name="personId" label={T.person}>
          <PersonPicker
            onPick={(p) => {
              if (!p) return;
              // Picking the person fills name and unit; the admin can still change them.
              if (!form.getFieldValue('displayName')) form.setFieldValue('displayName', p.name);
              if (!form.getFieldValue('orgUnitId')) form.setFieldValue('orgUnitId', p.orgUnitId);
            }}
          />
        </Form.Item>
      ) : (
        editing.personName && (
          <Form.Item label={T.person}>
            <Typography.Text>{editing.personName}</Typography.Text>
          </Form.Item>
        )
      )}
      <Form.Item name="displayName" label={T.displayName} rules={[{ required: true, message: T.required(T.displayName) }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="orgUnitId" label={T.unit} rules={[{ required: true, message: T.requiredSelect(T.unit) }]}>
        <OrgTreeSelect onlyInScope />
      </Form.Item>
      <Form.Item
        name="roleCodes"
        label={T.roles}
        extra={self ? T.selfRoles : undefined}
        tooltip={T.privilegedHint}
        rules={[{ required: true, message: T.requiredSelect(T.roles) }]}
      >
        <Select mode="multiple" options={roleChoices} disabled={self} showSearch={{ optionFilterProp: 'label' }} />
      </Form.Item>
    </>
  );
}

export default function UserDrawer({ editing, self, roleOptions, onClose, onSaved }: {
  editing: UserRow | 'new' | null;
  /** Editing one's own account: roles stay as they are. */
  self: boolean;
  roleOptions: { all: RoleOption[]; assignable: RoleOption[] };
  onClose: () => void;
  onSaved: (created: { username: string; initialPassword: string } | PendingApproval | undefined) => void;
}) {
  const isNew = editing === 'new';
  const current = editing && editing !== 'new' ? editing : null;
  return (
    <FormDrawer<UserForm, { username: string; initialPassword: string } | PendingApproval | undefined>
      open={editing !== null}
      title={isNew ? T.createTitle : T.editTitle}
      onClose={onClose}
      // A new account's password, or the approval it waits for, is shown instead of a toast.
      savedMessage={(r) => (r === undefined ? T.saved : null)}
      initialValues={
        current
          ? { username: current.username, displayName: current.displayName, orgUnitId: current.orgUnitId, roleCodes: current.roles.map((r) => r.code) }
          : { roleCodes: roleOptions.assignable.some((r) => r.code === 'officer') ? ['officer'] : [] }
      }
      onSubmit={async (v) => {
        const res = current
          ? await api.patch(`/api/users/${current.id}`, {
              displayName: v.displayName,
              orgUnitId: v.orgUnitId,
              // Unchanged roles are not sent: the account may hold a role this admin could not assign.
              ...(sameSet(v.roleCodes ?? [], current.roles.map((r) => r.code)) ? {} : { roleCodes: v.roleCodes ?? [] }),
            })
          : await api.post<{ id: string; username: string; initialPassword: string }>('/api/users', {
              username: v.username,
              displayName: v.displayName,
              orgUnitId: v.orgUnitId,
              personId: v.personId ?? null,
              roleCodes: v.roleCodes ?? [],
            });
        return isPendingApproval(res) ? res : current ? undefined : (res as { username: string; initialPassword: string });
      }}
      onSaved={onSaved}
    >
      {(form) =>
        editing && <UserFields form={form} editing={editing} roleOptions={roleOptions} self={self} />
      }
    </FormDrawer>
  );
}
