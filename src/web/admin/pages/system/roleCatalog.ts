// The permission catalogue (GET /api/permissions) and its grouping by module, for the role drawers.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { DATA_SCOPES, PERMISSIONS, PROTECTED_PERMISSIONS } from '../../../../shared/permissions.js';
import { PERMISSION_GROUP_LABELS, permissionGroup } from './labels.js';

export const isProtected = (code: string) => (PROTECTED_PERMISSIONS as readonly string[]).includes(code);

export interface PermissionCatalog {
  items: { code: string; label: string }[];
  dataScopes: { code: string; label: string }[];
}

/** The server's catalogue, or the shared constants while it loads. */
export function useCatalog(): PermissionCatalog {
  const q = useQuery({
    queryKey: ['/api/permissions'],
    queryFn: () => api.get<PermissionCatalog>('/api/permissions'),
    staleTime: 5 * 60_000,
    retry: false,
  });
  return useMemo(
    () =>
      q.data ?? {
        items: Object.entries(PERMISSIONS).map(([code, label]) => ({ code, label })),
        dataScopes: Object.entries(DATA_SCOPES).map(([code, label]) => ({ code, label })),
      },
    [q.data],
  );
}

export function groupPermissions(items: { code: string; label: string }[]) {
  const groups = new Map<string, { code: string; label: string }[]>();
  for (const p of items) {
    const g = permissionGroup(p.code);
    groups.set(g, [...(groups.get(g) ?? []), p]);
  }
  return [...groups].map(([key, perms]) => ({ key, label: PERMISSION_GROUP_LABELS[key] ?? key, perms }));
}

