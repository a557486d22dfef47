// The Chinese name of every headline figure, from the statistics registry (GET /api/stats/labels):
// every page that shows a figure names it from here, so one figure has one name everywhere.
import { useCallback } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.js';

export const STAT_LABELS_KEY = ['/api/stats/labels'] as const;

export function useStatLabels() {
  const q = useQuery({
    queryKey: STAT_LABELS_KEY,
    queryFn: () => api.get<Record<string, string>>('/api/stats/labels'),
    staleTime: Infinity,
  });
  const labels = q.data ?? {};
  /** A figure's name (wait for `ready`: before that, and for a figure without a name, its key). */
  const label = useCallback((key: string) => q.data?.[key] ?? key, [q.data]);
  // A failed request still lets the figures show (by key): better than none.
  return { labels, label, ready: q.isSuccess || q.isError, query: q };
}
