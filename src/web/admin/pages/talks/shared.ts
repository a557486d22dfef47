// The API shapes of 谈心谈话 and 民主生活会 (src/server/modules/talks, life-meetings), their query keys
// and the rounds of a campaign. Light on purpose (both pages load it first): no components, no form
// library, no schema library.
import { useQuery } from '@tanstack/react-query';
import { api, qs, type Page } from '../../api.js';
import type { MustTalkReason, ProblemKind, TalkTopic } from '../../../../shared/schemas/talk-labels.js';
import type { ItemStatus } from '../../../../shared/schemas/rectification-labels.js';

export const ROUNDS_KEY = '/api/talks/rounds';
export const COVERAGE_KEY = '/api/talks/coverage';
export const MISSING_KEY = '/api/talks/missing';
export const TALKS_KEY = '/api/talks';
export const MEETINGS_KEY = '/api/life-meetings';

export interface Round {
  id: string;
  campaignId: string;
  round: number;
  name: string;
  startDate: string | null;
  endDate: string | null;
}

export interface UnitCoverage {
  unitId: string;
  unitName: string;
  total: number;
  covered: number;
  missing: number;
}

export interface Coverage {
  round: { id: string; round: number; name: string } | null;
  total: number;
  covered: number;
  missing: number;
  units: UnitCoverage[];
}

export interface MissingRow {
  personId: string;
  name: string;
  policeNo: string | null;
  orgUnitName: string;
}

export interface TalkRow {
  id: string;
  roundId: string;
  round: number;
  heldOn: string;
  talkerPersonId: string;
  talkerName: string;
  orgUnitName: string;
  reason: MustTalkReason | null;
  reasonLabel: string | null;
  topics: TalkTopic[];
  topicLabels: string[];
  summary: string;
  followUp: string | null;
  talkees: { id: string; name: string }[];
  talkeeCount: number;
}

export interface MeetingRow {
  id: string;
  title: string;
  heldOn: string;
  host: string;
  location: string | null;
  orgUnitName: string;
  attendeeCount: number;
  problemCount: number;
}

/** The meetings list also names the campaign it shows (the server's default when none was asked for). */
export type MeetingPage = Page<MeetingRow> & { campaignId: string | null };

export interface MeetingDetail {
  id: string;
  campaignId: string;
  title: string;
  heldOn: string;
  host: string;
  location: string | null;
  summary: string | null;
  attendees: { id: string; name: string }[];
  problems: {
    id: string;
    kind: ProblemKind;
    kindLabel: string;
    description: string;
    personName: string | null;
    /** The ledger item the problem became. */
    item: { id: string; seq: number; deadline: string | null; status: ItemStatus; progress: number } | null;
  }[];
}

/** A campaign's talk rounds, first round first; the answer names the campaign (the server's default when none is asked). */
export function useRounds(campaignId: string | undefined) {
  return useQuery({
    queryKey: [ROUNDS_KEY, { campaignId }],
    queryFn: () => api.get<Page<Round> & { campaignId: string | null }>(ROUNDS_KEY + qs({ campaignId })),
    staleTime: 60_000,
  });
}
