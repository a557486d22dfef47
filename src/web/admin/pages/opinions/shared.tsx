// Pieces the 开门纳谏 pages share: API shapes, status tags, category labels, the one-time receipt.
import { useCallback } from 'react';
import { Tag } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { CHANNELS, OPINION_STATUS, type OpinionStatus } from '../../../../shared/schemas/opinions.js';
import { useDicts } from '../../components/useDicts.js';
import { opinions as ot } from '../../i18n/index.js';

export const OPINIONS_KEY = '/api/opinions';
export const OPINION_STATS_KEY = '/api/opinions/stats';
export const CATEGORY_DICT = 'opinion_category';

export interface OpinionRow {
  id: string;
  publicNo: string;
  channel: string;
  category: string | null;
  suggestedCategory: string | null;
  suggestedConfidence: number | null;
  excerpt: string;
  identity: 'named' | 'anonymous';
  status: OpinionStatus;
  assignedUnitId: string | null;
  assignedUnitName: string | null;
  deadlineAt: string | null;
  overdue: boolean;
  submittedAt: string;
  repliedAt: string | null;
  rating: number | null;
  mergedIntoId: string | null;
  adopted?: ('ledger' | 'project')[];
}

export interface DuplicateRow {
  id: string;
  publicNo: string;
  excerpt: string;
  status: OpinionStatus;
  submittedAt: string;
  distance: number;
}

export interface OpinionDetail extends OpinionRow {
  content: string;
  reply: string | null;
  rejectReason: string | null;
  ratingComment: string | null;
  ratedAt: string | null;
  location: { text: string | null; lat: number | null; lon: number | null } | null;
  wantsContact: boolean;
  canSeeIdentity: boolean;
  attachments: { id: string; name: string; mime: string; size: number }[];
  events: { at: string; kind: string; public: boolean; publicText: string | null; detail: any; actorName: string | null }[];
  adoptions: { id: string; target: 'ledger' | 'project'; title: string; note: string | null; status: string; targetRef: string | null; createdAt: string }[];
  mergedFrom: { id: string; publicNo: string }[];
  suggestion: { category: string; confidence: number; ranking: { category: string; p: number }[] } | null;
  duplicates: DuplicateRow[];
}

export interface Receipt {
  publicNo: string;
  receiptCode: string;
}

const STATUS_COLOR: Record<string, string> = {
  received: 'blue',
  assigned: 'gold',
  replied: 'green',
  rejected: 'default',
  merged: 'purple',
};

export function StatusTag({ status, overdue }: { status: string; overdue?: boolean }) {
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <Tag color={STATUS_COLOR[status] ?? 'default'}>{OPINION_STATUS[status as OpinionStatus] ?? status}</Tag>
      {overdue ? <Tag color="red">{ot.common.overdue}</Tag> : null}
    </span>
  );
}

export const statusOptions = Object.entries(OPINION_STATUS).map(([value, label]) => ({ value, label }));
export const channelOptions = Object.entries(CHANNELS).map(([value, label]) => ({ value, label }));
export const channelLabel = (c: string) => CHANNELS[c as keyof typeof CHANNELS] ?? c;

/** Similarity shown to people: 1 − Hamming distance / 64 bits of the SimHash. */
export const similarity = (distance: number) => `${Math.round((1 - distance / 64) * 100)}%`;

/** Category label and options from the dictionary (12 categories). */
export function useCategories() {
  const { label, options, loading } = useDicts();
  return {
    categoryLabel: useCallback((code: string | null | undefined) => (code ? label(CATEGORY_DICT, code) : ot.common.unsorted), [label]),
    categoryOptions: options(CATEGORY_DICT),
    loading,
  };
}

/** After any change to an opinion: every list, every detail and the statistics ask again. */
export function useInvalidateOpinions() {
  const qc = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: [OPINIONS_KEY] }),
        qc.invalidateQueries({ queryKey: [OPINION_STATS_KEY] }),
        qc.invalidateQueries({ queryKey: ['/api/symposiums'] }),
      ]),
    [qc],
  );
}

