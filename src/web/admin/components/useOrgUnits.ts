// The org and party trees (flat lists from the server), cached once for every page that needs them.
import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../api.js';

export interface OrgUnit {
  id: string;
  parentId: string | null;
  name: string;
  shortName: string | null;
  kind: string;
  code: string;
  depth: number;
  sort: number;
  /** The current user may manage this unit (data scope). */
  inScope: boolean;
}

export interface PartyOrg {
  id: string;
  parentId: string | null;
  name: string;
  kind: string;
  orgUnitId: string | null;
  sort: number;
}

export const ORG_UNITS_KEY = ['/api/org-units'] as const;
export const PARTY_ORGS_KEY = ['/api/party-orgs'] as const;

export function useOrgUnits(enabled = true) {
  return useQuery({
    queryKey: ORG_UNITS_KEY,
    queryFn: () => api.get<Page<OrgUnit>>('/api/org-units'),
    select: (d) => d.items,
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function usePartyOrgs(enabled = true) {
  return useQuery({
    queryKey: PARTY_ORGS_KEY,
    queryFn: () => api.get<Page<PartyOrg>>('/api/party-orgs'),
    select: (d) => d.items,
    staleTime: 5 * 60_000,
    enabled,
  });
}

export interface TreeNode<T> {
  key: string;
  item: T;
  children: TreeNode<T>[];
}

/** Flat {id,parentId} rows → nested nodes; rows whose parent is not in the list become roots. */
export function buildTree<T extends { id: string; parentId: string | null }>(items: readonly T[]): TreeNode<T>[] {
  const nodes = new Map<string, TreeNode<T>>();
  for (const item of items) nodes.set(item.id, { key: item.id, item, children: [] });
  const roots: TreeNode<T>[] = [];
  for (const node of nodes.values()) {
    const parent = node.item.parentId ? nodes.get(node.item.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** The ids of a node and everything below it (e.g. to forbid moving a unit under itself). */
export function subtreeIds<T extends { id: string; parentId: string | null }>(items: readonly T[], rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const i of items) if (i.parentId) children.set(i.parentId, [...(children.get(i.parentId) ?? []), i.id]);
  const out = new Set<string>();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/** 'parent › child' names from the root, for showing where a unit sits. */
export function pathName<T extends { id: string; parentId: string | null; name: string }>(items: readonly T[], id: string | null): string {
  const byId = new Map(items.map((i) => [i.id, i]));
  const names: string[] = [];
  for (let cur = id ? byId.get(id) : undefined; cur; cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
    names.unshift(cur.name);
    if (names.length > 20) break;
  }
  return names.join(' › ');
}
