// The unit filter: every unit the viewer may read, in tree order, indented by level, in a native
// select (labelled, typing jumps to a unit; no tree-select library on a list's first load).
import { useMemo } from 'react';
import { common } from '../i18n/index.js';
import { buildTree, useOrgUnits, type OrgUnit, type TreeNode } from './useOrgUnits.js';

export function UnitFilter({ label, value, onChange, width }: { label: string; value?: string; onChange: (v: string | undefined) => void; width?: number }) {
  const { data: units = [] } = useOrgUnits();
  const options = useMemo(() => {
    const out: { id: string; name: string; depth: number }[] = [];
    const walk = (nodes: TreeNode<OrgUnit>[], depth: number) => {
      for (const n of nodes) {
        out.push({ id: n.item.id, name: n.item.name, depth });
        walk(n.children, depth + 1);
      }
    };
    walk(buildTree(units), 0);
    return out;
  }, [units]);
  return (
    <select
      className={value ? 'filter-select' : 'filter-select empty'}
      aria-label={label}
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value || undefined)}
      style={{ width: width ?? 200 }}
    >
      <option value="">{common.anyOf(label)}</option>
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {'\u3000'.repeat(o.depth)}
          {o.name}
        </option>
      ))}
    </select>
  );
}
