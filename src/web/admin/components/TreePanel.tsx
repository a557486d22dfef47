// A searchable tree of {id,parentId,name} rows in a panel: the left side of the org, party and people
// pages. A light tree of our own (WAI-ARIA tree pattern: arrows move, → opens, ← closes or goes up,
// Enter selects) rather than antd's Tree, which would add its whole tree library to these pages.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Button, Empty } from 'antd';
import { CaretDownOutlined, CaretRightOutlined } from '@ant-design/icons';
import { common } from '../i18n/index.js';
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

interface Row<T> {
  node: TreeNode<T>;
  depth: number;
  open: boolean;
}

export function TreePanel<T extends TreeItem>(props: TreePanelProps<T>) {
  const { items, selectedId, onSelect, muted, expandDepth = 1 } = props;
  const [search, setSearch] = useState('');
  const [expanded, setExpanded] = useState<Set<string> | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const box = useRef<HTMLUListElement>(null);
  const q = search.trim();

  const { roots, byId, shallow, keep } = useMemo(() => {
    const byId = new Map(items.map((i) => [i.id, i]));
    const roots = buildTree(items);
    const shallow = new Set<string>();
    const walk = (nodes: TreeNode<T>[], depth: number) => {
      for (const n of nodes) {
        if (depth < expandDepth && n.children.length) shallow.add(n.key);
        walk(n.children, depth + 1);
      }
    };
    walk(roots, 0);
    // When searching: the matches and their ancestors, all open.
    const keep = new Set<string>();
    if (q) {
      for (const i of items) {
        if (!i.name.includes(q)) continue;
        for (let p: T | undefined = i; p; p = p.parentId ? byId.get(p.parentId) : undefined) keep.add(p.id);
      }
    }
    return { roots, byId, shallow, keep };
  }, [items, q, expandDepth]);

  const open = q ? keep : (expanded ?? shallow);

  // A node selected from outside (just created, say) is shown by opening its ancestors.
  useEffect(() => {
    if (!selectedId) return;
    const ancestors: string[] = [];
    for (let p = byId.get(selectedId)?.parentId; p; p = byId.get(p)?.parentId ?? null) ancestors.push(p);
    if (!ancestors.length) return;
    setExpanded((cur) => {
      const base = cur ?? shallow;
      return ancestors.every((a) => base.has(a)) ? cur : new Set([...base, ...ancestors]);
    });
  }, [selectedId, byId, shallow]);

  const rows: Row<T>[] = [];
  const flatten = (nodes: TreeNode<T>[], depth: number) => {
    for (const n of nodes) {
      if (q && !keep.has(n.key)) continue;
      const isOpen = open.has(n.key) && n.children.length > 0;
      rows.push({ node: n, depth, open: isOpen });
      if (isOpen) flatten(n.children, depth + 1);
    }
  };
  flatten(roots, 0);

  const toggle = (id: string, to?: boolean) => {
    if (q) return;
    setExpanded((cur) => {
      const next = new Set(cur ?? shallow);
      if (to ?? !next.has(id)) next.add(id);
      else next.delete(id);
      return next;
    });
  };
  const tabStop = rows.some((r) => r.node.key === focusId) ? focusId : (rows.find((r) => r.node.key === selectedId) ?? rows[0])?.node.key;
  const focus = (id: string | undefined) => {
    if (!id) return;
    setFocusId(id);
    box.current?.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`)?.focus();
  };
  const onKey = (e: KeyboardEvent, r: Row<T>, i: number) => {
    const id = r.node.key;
    const keys: Record<string, () => void> = {
      ArrowDown: () => focus(rows[i + 1]?.node.key),
      ArrowUp: () => focus(rows[i - 1]?.node.key),
      Home: () => focus(rows[0]?.node.key),
      End: () => focus(rows.at(-1)?.node.key),
      ArrowRight: () => (r.node.children.length && !r.open ? toggle(id, true) : r.open ? focus(rows[i + 1]?.node.key) : undefined),
      ArrowLeft: () => (r.open ? toggle(id, false) : focus(r.node.item.parentId ?? undefined)),
      Enter: () => onSelect(id, r.node.item),
      ' ': () => onSelect(id, r.node.item),
    };
    const act = keys[e.key];
    if (act) {
      e.preventDefault();
      act();
    }
  };

  const label = typeof props.title === 'string' ? props.title : undefined;
  return (
    <section className="panel" aria-label={label}>
      <div className="panel-title">
        <h2>{props.title}</h2>
        {props.extra}
      </div>
      <input
        type="search"
        className="tree-search"
        placeholder={props.searchPlaceholder ?? common.searchDefault}
        aria-label={props.searchPlaceholder ?? common.searchDefault}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {props.allLabel ? (
        <Button
          type="text"
          size="small"
          block
          aria-pressed={!selectedId}
          className={selectedId ? 'tree-all' : 'tree-all selected'}
          onClick={() => onSelect(null, null)}
        >
          {props.allLabel}
        </Button>
      ) : null}
      {props.loading ? (
        <div className="boot-spinner" style={{ margin: '24px auto' }} role="status">
          <span className="sr-only">{common.loading}</span>
        </div>
      ) : rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q ? common.noMatch : undefined} />
      ) : (
        <ul ref={box} role="tree" aria-label={label} className="tree" style={{ maxHeight: props.height ?? 'calc(100vh - 260px)' }}>
          {rows.map((r, i) => {
            const id = r.node.key;
            const hit = q && r.node.item.name.includes(q);
            return (
              <li
                key={id}
                data-id={id}
                role="treeitem"
                aria-level={r.depth + 1}
                aria-expanded={r.node.children.length ? r.open : undefined}
                aria-selected={id === selectedId}
                tabIndex={id === tabStop ? 0 : -1}
                className={['tree-row', id === selectedId ? 'selected' : '', muted?.(r.node.item) ? 'muted' : '', hit ? 'hit' : ''].join(' ')}
                style={{ paddingInlineStart: 4 + r.depth * 16 }}
                onClick={() => {
                  setFocusId(id);
                  onSelect(id, r.node.item);
                }}
                onKeyDown={(e) => onKey(e, r, i)}
              >
                <span
                  className="tree-switch"
                  aria-hidden="true"
                  onClick={(e) => {
                    e.stopPropagation();
                    toggle(id);
                  }}
                >
                  {r.node.children.length ? r.open ? <CaretDownOutlined /> : <CaretRightOutlined /> : null}
                </span>
                <span className="tree-name">{r.node.item.name}</span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
