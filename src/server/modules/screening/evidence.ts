import { sm3 } from '../../platform/crypto.js';
import { DATASETS, type DatasetKind } from '../../../shared/schemas/screening.js';

// What a rule answers for each finding, and the two helpers every engine builds it with: a fingerprint
// of what was found (keyed parts only, so it reveals nothing) and an evidence row without ID numbers.

export interface Evidence {
  dataset: DatasetKind;
  datasetLabel: string;
  snapshotId: string;
  row: number;
  fields: { label: string; value: string }[];
}

export interface Finding {
  fingerprint: string;
  /** Who the finding concerns, as shown (a name and what they are). */
  subject: string;
  /** Blind index of the ID number of the person it concerns: links it to an officer of the platform. */
  subjectIdBidx: string | null;
  summary: string;
  reasoning: string;
  evidence: Evidence[];
}

/** The same parts give the same fingerprint in every run, whatever the parameters or the snapshot. */
export const fingerprint = (...parts: (string | number)[]) => sm3(parts.join('\u241f'));

/** One register row as evidence: the fields that matter, empty ones left out. */
export const evidence = (dataset: DatasetKind, snapshotId: string, row: number, fields: [string, string | number | null | undefined][]): Evidence => ({
  dataset, datasetLabel: DATASETS[dataset].label, snapshotId, row,
  fields: fields.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([label, v]) => ({ label, value: String(v) })),
});
