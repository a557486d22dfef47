// Dictionary labels (职务 post, …) from GET /api/dicts/all → {type: [{code,label}]}.
// Until the dictionary module answers, labels fall back to the stored code.
import { useCallback, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.js';

export interface DictItem {
  code: string;
  label: string;
}
export type Dicts = Record<string, DictItem[]>;

export const DICTS_KEY = ['/api/dicts/all'] as const;

function normalise(raw: unknown): Dicts {
  if (!raw || typeof raw !== 'object') return {};
  const out: Dicts = {};
  for (const [type, list] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(list)) continue;
    out[type] = list
      .map((e: any) => ({ code: String(e?.code ?? e?.value ?? ''), label: String(e?.label ?? e?.name ?? e?.code ?? '') }))
      .filter((e) => e.code);
  }
  return out;
}

export function useDicts() {
  const query = useQuery({
    queryKey: DICTS_KEY,
    queryFn: () => api.get<unknown>('/api/dicts/all').then(normalise, () => ({}) as Dicts),
    staleTime: 10 * 60_000,
  });
  const dicts = query.data ?? {};
  const maps = useMemo(
    () => Object.fromEntries(Object.entries(dicts).map(([k, list]) => [k, new Map(list.map((e) => [e.code, e.label]))])),
    [dicts],
  );
  const label = useCallback(
    (type: string, code: string | null | undefined) => (code ? (maps[type]?.get(code) ?? code) : ''),
    [maps],
  );
  const options = useCallback(
    (type: string) => (dicts[type] ?? []).map((e) => ({ value: e.code, label: e.label })),
    [dicts],
  );
  return { dicts, label, options, loading: query.isLoading };
}
