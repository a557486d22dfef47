// The API shapes of 问题线索 (src/server/modules/clues) and its query key. Light on purpose (the list
// loads it first): no components, no form library, no schema library.
import type { Page } from '../../api.js';
import type {
  ClueSource, ClueStage, DisposalMethod, Disposition, Leniency, VerificationOutcome,
} from '../../../../shared/schemas/clue-labels.js';

/** The list, and one clue under `${CLUES_KEY}/:id` (both audited by the server at every read). */
export const CLUES_KEY = '/api/clues';

export interface ClueSubject {
  personId: string | null;
  personName: string | null;
  orgUnitId: string | null;
  orgUnitName: string | null;
}

/** A list row: no clue text, by design. */
export interface ClueRow {
  id: string;
  clueNo: string;
  source: ClueSource;
  sourceLabel: string;
  categoryName: string | null;
  receivedOn: string;
  stage: ClueStage;
  stageLabel: string;
  disposalMethodLabel: string | null;
  disposalDue: string | null;
  /** The deadline of the step the clue is at (dispose, verify, decide); null when closed or shelved. */
  stageDue: string | null;
  overdue: boolean;
  subjects: ClueSubject[];
}

/** The list also names the campaign it shows (the server's default when none was asked for). */
export type CluePage = Page<ClueRow> & { campaignId: string | null };

export interface ClueDetail {
  id: string;
  clueNo: string;
  campaignId: string;
  source: ClueSource;
  sourceLabel: string;
  categoryId: string | null;
  categoryName: string | null;
  summary: string;
  receivedOn: string;
  stage: ClueStage;
  stageLabel: string;
  disposalMethod: DisposalMethod | null;
  disposalMethodLabel: string | null;
  disposalDue: string | null;
  stageDue: string | null;
  overdue: boolean;
  verificationOutcome: VerificationOutcome | null;
  verificationOutcomeLabel: string | null;
  verifiedOn: string | null;
  disposition: Disposition | null;
  dispositionLabel: string | null;
  closedOn: string | null;
  subjects: ClueSubject[];
  leniency: {
    personId: string;
    personName: string;
    leniency: Leniency;
    leniencyLabel: string;
    declaration: { reportId: string; version: number; signedAt: string; item: string; description: string | null } | null;
  }[];
  /** Without ?identity=1 only whether there is one; with it, who. */
  reporter: { named: boolean } | { name: string | null; phone: string | null };
  /** Oldest first. kind: registered, dispose:<method>, verify:<outcome>, close:<disposition>. */
  history: { at: string; kind: string; actorName: string | null; note: string | null }[];
  attachments: { id: string; name: string; size: number; mime: string }[];
}

/** The stage's tag colour: 待处置 asks for someone's action; 已办结 is done. */
export const STAGE_COLOR: Record<ClueStage, string> = { registered: 'gold', disposing: 'blue', verified: 'cyan', closed: 'green' };

/** "许涛凤（元宝山区司法局）", or the unit alone when the clue concerns a unit. */
export function subjectText(s: ClueSubject): string {
  if (s.personName) return s.orgUnitName ? `${s.personName}（${s.orgUnitName}）` : s.personName;
  return s.orgUnitName ?? '';
}

/** What each action needs: 处置 while registered (or shelved), 核实 after a real disposal, 办结 after 核实. */
export function nextSteps(c: Pick<ClueDetail, 'stage' | 'disposalMethod'>) {
  const shelved = c.stage === 'disposing' && c.disposalMethod === 'shelved';
  return {
    dispose: c.stage === 'registered' || shelved,
    verify: c.stage === 'disposing' && !shelved,
    close: c.stage === 'verified',
    shelved,
  };
}
