// Pick an org unit (or a party org) from its tree, with search. Works as a Form.Item child and as a
// filter; `multiple` picks several exact units (a parent does not bring its children along).
import { useMemo } from 'react';
import { TreeSelect } from 'antd';
import { common } from '../i18n/index.js';
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
  value?: string | string[] | null;
  onChange?: (value: any) => void;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  multiple?: boolean;
  /** Greys out this node and everything below it (moving a node under itself is impossible). */
  excludeSubtreeOf?: string;
  style?: React.CSSProperties;
  id?: string;
  'aria-label'?: string;
}

export interface OrgTreeSelectProps extends TreeSelectFieldProps {
  /** Only units the current user may manage can be picked (for write forms). */
  onlyInScope?: boolean;
}

function TreePicker({ nodes, loading, value, onChange, placeholder, expanded, multiple, ...rest }: TreeSelectFieldProps & {
  nodes: SelectNode[];
  loading: boolean;
  expanded?: string[];
}) {
  return (
    <TreeSelect
      {...rest}
      multiple={multiple}
      maxTagCount={multiple ? 8 : undefined}
      value={value ?? undefined}
      onChange={(v) => onChange?.(multiple ? ((v as string[] | undefined) ?? []) : ((v as string | undefined) ?? null))}
      treeData={nodes}
      loading={loading}
      placeholder={placeholder}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandedKeys={expanded}
      popupMatchSelectWidth={false}
      style={{ width: '100%', ...rest.style }}
    />
  );
}

export function OrgTreeSelect({ onlyInScope, excludeSubtreeOf, placeholder, ...rest }: OrgTreeSelectProps) {
  const { data: units = [], isLoading } = useOrgUnits();
  const nodes = useMemo(() => {
    const excluded = excludeSubtreeOf ? subtreeIds(units, excludeSubtreeOf) : new Set<string>();
    return toSelectNodes(buildTree(units), (u) => excluded.has(u.id) || (Boolean(onlyInScope) && !u.inScope));
  }, [units, onlyInScope, excludeSubtreeOf]);
  const expanded = useMemo(() => units.filter((u) => u.depth === 0).map((u) => u.id), [units]);
  return <TreePicker {...rest} nodes={nodes} loading={isLoading} expanded={expanded} placeholder={placeholder ?? common.chooseUnit} />;
}

export function PartyOrgTreeSelect({ excludeSubtreeOf, placeholder, ...rest }: TreeSelectFieldProps) {
  const { data: orgs = [], isLoading } = usePartyOrgs();
  const nodes = useMemo(() => {
    const excluded = excludeSubtreeOf ? subtreeIds(orgs, excludeSubtreeOf) : new Set<string>();
    return toSelectNodes(buildTree(orgs), (o) => excluded.has(o.id));
  }, [orgs, excludeSubtreeOf]);
  return <TreePicker {...rest} nodes={nodes} loading={isLoading} placeholder={placeholder ?? common.chooseParty} />;
}
