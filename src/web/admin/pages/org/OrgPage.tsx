// 单位管理: the org tree on the left, the selected unit's details and actions on the right.
import { useMemo } from 'react';
import { Tag } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ORG_KINDS } from '../../../../shared/schemas/org.js';
import { useCan } from '../../auth/useMe.js';
import { common, org } from '../../i18n/index.js';
import { TreePage } from '../../components/TreePage.js';
import { ORG_UNITS_KEY, pathName, useOrgUnits, type OrgUnit } from '../../components/useOrgUnits.js';

const s = org;

export default function OrgPage() {
  const can = useCan();
  const qc = useQueryClient();
  const { data: units = [], isLoading } = useOrgUnits();
  const children = useMemo(() => new Map(units.map((u) => [u.id, units.filter((c) => c.parentId === u.id).length])), [units]);

  return (
    <TreePage
      items={units}
      loading={isLoading}
      treeTitle={s.tree}
      searchPlaceholder={s.searchTree}
      muted={(u) => !u.inScope}
      pickHint={s.pick}
      canEdit={(u) => Boolean(u && can('org:write') && u.inScope)}
      addChildLabel={s.addChild}
      deleteNote={(u) => (children.get(u.id) ? s.hasChildren : undefined)}
      deleteDisabled={(u) => u.parentId === null}
      onDelete={(u) => api.del(`/api/org-units/${u.id}`)}
      onChanged={() => qc.invalidateQueries({ queryKey: ORG_UNITS_KEY })}
      details={(u) => [
        { key: 'name', label: s.name, children: u.name },
        { key: 'short', label: s.shortName, children: u.shortName || common.none },
        { key: 'kind', label: s.kind, children: ORG_KINDS[u.kind as keyof typeof ORG_KINDS] ?? u.kind },
        { key: 'code', label: s.code, children: u.code },
        { key: 'parent', label: s.parent, children: pathName(units, u.parentId) || common.none, span: 'filled' },
        { key: 'depth', label: s.depth, children: u.depth + 1 },
        { key: 'sort', label: s.sort, children: u.sort },
        { key: 'scope', label: s.scope, span: 'filled', children: u.inScope ? <Tag color="green">{s.inScope}</Tag> : <Tag>{s.outOfScope}</Tag> },
      ]}
      loadForm={() => import('./OrgForm.js')}
    />
  );
}
