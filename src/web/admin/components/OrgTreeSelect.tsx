// Pick an org unit (or a party org) from its tree, with search. Works as a Form.Item child.
import { useMemo } from 'react';
import { TreeSelect } from 'antd';
import { t } from '../i18n.js';
import { buildTree, subtreeIds, useOrgUnits, usePartyOrgs, type TreeNode } from './useOrgUnits.js';

interface SelectNode {
  value: string;
  title: string;
  disabled?: boolean;
  children: SelectNode[];
}

function toSelectNodes<T extends { id: string; name: string }>(nodes: TreeNode<T>[], disabled: (item: T) => boolean): SelectNode[] {
  return nodes.map((n) => ({
    value: n.item.id,
    title: n.item.name,
    disabled: disabled(n.item),
    children: toSelectNodes(n.children, disabled),
  }));
}

export interface TreeSelectFieldProps {
  value?: string | null;
  onChange?: (value: string | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  /** Greys out this node and everything below it (moving a node under itself is impossible). */
  excludeSubtreeOf?: string;
  style?: React.CSSProperties;
  id?: string;
}

export interface OrgTreeSelectProps extends TreeSelectFieldProps {
  /** Only units the current user may manage can be picked (for write forms). */
  onlyInScope?: boolean;
}

export function OrgTreeSelect({ onlyInScope, excludeSubtreeOf, value, onChange, placeholder, ...rest }: OrgTreeSelectProps) {
  const { data: units = [], isLoading } = useOrgUnits();
  const treeData = useMemo(() => {
    const excluded = excludeSubtreeOf ? subtreeIds(units, excludeSubtreeOf) : new Set<string>();
    return toSelectNodes(buildTree(units), (u) => excluded.has(u.id) || (Boolean(onlyInScope) && !u.inScope));
  }, [units, onlyInScope, excludeSubtreeOf]);
  return (
    <TreeSelect
      {...rest}
      value={value ?? undefined}
      onChange={(v) => onChange?.((v as string | undefined) ?? null)}
      treeData={treeData}
      loading={isLoading}
      placeholder={placeholder ?? t.common.chooseUnit}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandedKeys={units.filter((u) => u.depth === 0).map((u) => u.id)}
      popupMatchSelectWidth={false}
      style={{ width: '100%', ...rest.style }}
    />
  );
}

export function PartyOrgTreeSelect({ excludeSubtreeOf, value, onChange, placeholder, ...rest }: TreeSelectFieldProps) {
  const { data: orgs = [], isLoading } = usePartyOrgs();
  const treeData = useMemo(() => {
    const excluded = excludeSubtreeOf ? subtreeIds(orgs, excludeSubtreeOf) : new Set<string>();
    return toSelectNodes(buildTree(orgs), (o) => excluded.has(o.id));
  }, [orgs, excludeSubtreeOf]);
  return (
    <TreeSelect
      {...rest}
      value={value ?? undefined}
      onChange={(v) => onChange?.((v as string | undefined) ?? null)}
      treeData={treeData}
      loading={isLoading}
      placeholder={placeholder ?? t.common.chooseParty}
      showSearch={{ treeNodeFilterProp: 'title' }}
      popupMatchSelectWidth={false}
      style={{ width: '100%', ...rest.style }}
    />
  );
}
