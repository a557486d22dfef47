// A searchable tree of {id,parentId,name} rows in a card: the left side of the org, party and people pages.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Button, Card, Empty, Input, Spin, Tree } from 'antd';
import type { TreeDataNode as DataNode } from 'antd';
import { t } from '../i18n.js';
import { buildTree, type TreeNode } from './useOrgUnits.js';

export interface TreeItem {
  id: string;
  parentId: string | null;
  name: string;
}

export interface TreePanelProps<T extends TreeItem> {
  title: ReactNode;
  items: readonly T[];
  loading?: boolean;
  selectedId: string | null;
  onSelect: (id: string | null, item: T | null) => void;
  searchPlaceholder?: string;
  /** Shown above the tree as a way back to "no selection" (e.g. 全部单位). */
  allLabel?: string;
  /** Grey (but still selectable) rows, e.g. units outside the user's scope. */
  muted?: (item: T) => boolean;
  extra?: ReactNode;
  /** How many levels start expanded. */
  expandDepth?: number;
  height?: number;
}

export function TreePanel<T extends TreeItem>(props: TreePanelProps<T>) {
  const { items, selectedId, onSelect, muted, expandDepth = 1 } = props;
  const [search, setSearch] = useState('');
  const [expanded, setExpanded] = useState<string[] | null>(null);

  const { treeData, matchedAncestors, depthKeys } = useMemo(() => {
    const q = search.trim();
    const byId = new Map(items.map((i) => [i.id, i]));
    // When searching: keep matches and their ancestors, expand down to them.
    const keep = new Set<string>();
    const ancestors = new Set<string>();
    if (q) {
      for (const i of items) {
        if (!i.name.includes(q)) continue;
        keep.add(i.id);
        for (let p = i.parentId ? byId.get(i.parentId) : undefined; p; p = p.parentId ? byId.get(p.parentId) : undefined) {
          keep.add(p.id);
          ancestors.add(p.id);
        }
      }
    }
    const shallow: string[] = [];
    const convert = (nodes: TreeNode<T>[], depth: number): DataNode[] =>
      nodes
        .filter((n) => !q || keep.has(n.key))
        .map((n) => {
          if (depth < expandDepth && n.children.length) shallow.push(n.key);
          const hit = q && n.item.name.includes(q);
          return {
            key: n.key,
            title: (
              <span style={{ color: muted?.(n.item) ? 'rgba(0,0,0,0.45)' : undefined, fontWeight: hit ? 600 : undefined }}>
                {n.item.name}
              </span>
            ),
            children: convert(n.children, depth + 1),
          };
        });
    return { treeData: convert(buildTree(items), 0), matchedAncestors: [...ancestors], depthKeys: shallow };
  }, [items, search, muted, expandDepth]);

  const byId = useMemo(() => new Map(items.map((i) => [i.id, i])), [items]);
  // A node selected from outside (just created, say) is scrolled into view by opening its ancestors.
  useEffect(() => {
    if (!selectedId) return;
    const ancestors: string[] = [];
    for (let p = byId.get(selectedId)?.parentId; p; p = byId.get(p)?.parentId ?? null) ancestors.push(p);
    if (!ancestors.length) return;
    setExpanded((cur) => {
      const base = cur ?? depthKeys;
      const missing = ancestors.filter((a) => !base.includes(a));
      return missing.length ? [...base, ...missing] : cur;
    });
  }, [selectedId, byId, depthKeys]);
  const expandedKeys = search.trim() ? matchedAncestors : (expanded ?? depthKeys);

  return (
    <Card title={props.title} extra={props.extra} size="small" styles={{ body: { padding: 12 } }}>
      <Input.Search
        allowClear
        placeholder={props.searchPlaceholder ?? t.common.searchDefault}
        aria-label={props.searchPlaceholder ?? t.common.searchDefault}
        onChange={(e) => setSearch(e.target.value)}
        style={{ marginBottom: 8 }}
      />
      {props.allLabel ? (
        <Button
          type="text"
          size="small"
          block
          aria-pressed={!selectedId}
          style={{
            justifyContent: 'flex-start',
            marginBottom: 4,
            background: selectedId ? undefined : 'rgba(29, 78, 137, 0.12)',
            fontWeight: selectedId ? undefined : 600,
          }}
          onClick={() => onSelect(null, null)}
        >
          {props.allLabel}
        </Button>
      ) : null}
      {props.loading ? (
        <Spin style={{ display: 'block', margin: '24px auto' }} />
      ) : treeData.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={search.trim() ? t.common.noMatch : undefined} />
      ) : (
        <div style={{ maxHeight: props.height ?? 'calc(100vh - 260px)', overflow: 'auto' }}>
          <Tree
            blockNode
            treeData={treeData}
            selectedKeys={selectedId ? [selectedId] : []}
            expandedKeys={expandedKeys}
            onExpand={(keys) => {
              if (!search.trim()) setExpanded(keys.map(String));
            }}
            onSelect={(keys) => {
              const id = keys.length ? String(keys[0]) : null;
              onSelect(id, id ? (byId.get(id) ?? null) : null);
            }}
          />
        </div>
      )}
    </Card>
  );
}
