// 党组织: the party organisation tree (beside the org tree), details and maintenance (party:write).
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { PARTY_KINDS } from '../../../../shared/schemas/org.js';
import { useCan } from '../../auth/useMe.js';
import { common, org } from '../../i18n/index.js';
import { TreePage } from '../../components/TreePage.js';
import { PARTY_ORGS_KEY, pathName, useOrgUnits, usePartyOrgs, type PartyOrg } from '../../components/useOrgUnits.js';

const s = org.party;

export default function PartyOrgPage() {
  const can = useCan();
  const qc = useQueryClient();
  const { data: orgs = [], isLoading } = usePartyOrgs();
  const { data: units = [] } = useOrgUnits(can('org:read'));
  const writable = can('party:write');

  return (
    <TreePage
      items={orgs}
      loading={isLoading}
      treeTitle={s.tree}
      searchPlaceholder={s.searchTree}
      pickHint={s.pick}
      canEdit={() => writable}
      addRootLabel={s.addRoot}
      addChildLabel={s.addChild}
      onDelete={(o) => api.del(`/api/party-orgs/${o.id}`)}
      onChanged={() => qc.invalidateQueries({ queryKey: PARTY_ORGS_KEY })}
      details={(o) => [
        { key: 'name', label: s.name, children: o.name },
        { key: 'kind', label: s.kind, children: PARTY_KINDS[o.kind as keyof typeof PARTY_KINDS] ?? o.kind },
        { key: 'parent', label: s.parent, children: pathName(orgs, o.parentId) || common.none, span: 'filled' },
        { key: 'unit', label: s.orgUnit, span: 'filled', children: o.orgUnitId ? pathName(units, o.orgUnitId) || common.none : common.none },
        { key: 'sort', label: s.sort, children: o.sort },
      ]}
      loadForm={() => import('./PartyForm.js')}
    />
  );
}
