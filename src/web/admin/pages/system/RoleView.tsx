// A role's permissions and data scope, read-only, in a drawer that loads when first opened.
import { useMemo } from 'react';
import { Alert, Descriptions, Drawer, Space, Tag } from 'antd';
import { system } from '../../i18n/index.js';
import { useOrgUnits } from '../../components/useOrgUnits.js';
import { dataScopeLabel, permissionLabel } from './labels.js';
import { groupPermissions, useCatalog, type PermissionCatalog } from './roleCatalog.js';
import type { Role } from './RolesPage.js';

const T = system.roles;

function PermissionView({ role, catalog, unitNames }: { role: Role; catalog: PermissionCatalog; unitNames: Map<string, string> }) {
  const labels = new Map(catalog.items.map((p) => [p.code, p.label]));
  const groups = groupPermissions(role.permissions.map((code) => ({ code, label: labels.get(code) ?? permissionLabel(code) })));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      {role.builtin && <Alert type="info" showIcon title={T.readonly} description={role.description} />}
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          { key: 'code', label: T.code, children: role.code },
          { key: 'scope', label: T.dataScope, children: dataScopeLabel(role.dataScope) },
          ...(role.dataScope === 'custom'
            ? [{
                key: 'units',
                label: T.customUnits,
                children: role.customUnitIds.map((id) => <Tag key={id}>{unitNames.get(id) ?? id}</Tag>),
              }]
            : []),
          ...groups.map((g) => ({
            key: g.key,
            label: g.label,
            children: g.perms.map((p) => <Tag key={p.code} color="blue">{p.label}</Tag>),
          })),
          ...(groups.length === 0 ? [{ key: 'none', label: T.permissions, children: T.none }] : []),
        ]}
      />
    </Space>
  );
}

export default function RoleView({ viewing, onClose }: { viewing: Role | null; onClose: () => void }) {
  const catalog = useCatalog();
  const { data: units = [] } = useOrgUnits();
  const unitNames = useMemo(() => new Map(units.map((u) => [u.id, u.name])), [units]);
  return (
    <Drawer open={viewing !== null} title={viewing ? T.viewTitle(viewing.name) : ''} size={640} onClose={onClose}>
      {viewing && <PermissionView role={viewing} catalog={catalog} unitNames={unitNames} />}
    </Drawer>
  );
}
