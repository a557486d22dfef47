// The fields of each table that an audit snapshot may never carry, defined once and applied by the
// audit writer (appendAudit) to every entry, whatever a command passes as before/after:
//   secret — never written at all (password hashes, receipt codes and their digests, request
//            digests, tokens, keys, sealed ciphertexts, blind indexes);
//   sealed — personal values kept only as "changed / unchanged" (birth date, location, contact).
// Modules with protected columns register them here when they add the table (clues, self-check
// reports and interference records will). test/server/protect.test.ts checks every registered table
// and that every column whose name looks secret is registered.
//
// Keys match in any spelling: snake_case columns and camelCase views both reduce to the same key
// (lower case, underscores removed), at any depth of the snapshot.

export interface ProtectedFields {
  secret?: readonly string[];
  sealed?: readonly string[];
}

const tables = new Map<string, { secret: string[]; sealed: string[] }>();
const secretKeys = new Set<string>();
const sealedKeys = new Set<string>();

export function normaliseKey(k: string): string {
  return k.replace(/_/g, '').toLowerCase();
}

export function protectFields(table: string, f: ProtectedFields): void {
  const cur = tables.get(table) ?? { secret: [], sealed: [] };
  for (const s of f.secret ?? []) {
    cur.secret.push(s);
    secretKeys.add(normaliseKey(s));
  }
  for (const s of f.sealed ?? []) {
    cur.sealed.push(s);
    sealedKeys.add(normaliseKey(s));
  }
  tables.set(table, cur);
}

/** Every registered table with its protected fields (for tests and documentation). */
export function protectedTables(): ReadonlyMap<string, { secret: readonly string[]; sealed: readonly string[] }> {
  return tables;
}

export function isSecretKey(k: string): boolean {
  return secretKeys.has(normaliseKey(k));
}
export function isSealedKey(k: string): boolean {
  return sealedKeys.has(normaliseKey(k));
}

export const SEALED_SET = '（受保护字段：已填写）';
export const SEALED_CHANGED = '（受保护字段：已修改）';
export const SEALED_UNCHANGED = '（受保护字段：未修改）';
export const SEALED_PRESENT = '（受保护字段）';

type Json = unknown;

function isPlain(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** One snapshot alone (no counterpart to compare with): secrets dropped, sealed values marked. */
function scrubOne(v: Json, depth: number, mark: string): Json {
  if (depth > 20) return v;
  if (Array.isArray(v)) return v.map((x) => scrubOne(x, depth + 1, mark));
  if (!isPlain(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (isSecretKey(k)) continue;
    if (isSealedKey(k)) {
      out[k] = x === null || x === undefined ? x : mark;
      continue;
    }
    out[k] = scrubOne(x, depth + 1, mark);
  }
  return out;
}

/**
 * Scrubs an audit entry's before/after pair. Sealed fields present in both say whether they
 * changed; present only in `after` (a creation) say they were filled; only in `before`, that there was one.
 */
export function scrubSnapshots(before: Json, after: Json): { before: Json; after: Json } {
  const walk = (b: Json, a: Json, depth: number): { before: Json; after: Json } => {
    if (depth > 20) return { before: b, after: a };
    if (isPlain(b) && isPlain(a)) {
      const ob: Record<string, unknown> = {};
      const oa: Record<string, unknown> = {};
      for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
        if (isSecretKey(k)) continue;
        const inB = k in b;
        const inA = k in a;
        if (isSealedKey(k)) {
          if (inB && inA) {
            const changed = !same(b[k], a[k]);
            ob[k] = b[k] === null || b[k] === undefined ? b[k] : SEALED_PRESENT;
            oa[k] = a[k] === null || a[k] === undefined ? a[k] : changed ? SEALED_CHANGED : SEALED_UNCHANGED;
          } else if (inB) ob[k] = b[k] === null || b[k] === undefined ? b[k] : SEALED_PRESENT;
          else oa[k] = a[k] === null || a[k] === undefined ? a[k] : SEALED_SET;
          continue;
        }
        if (inB && inA) {
          const r = walk(b[k], a[k], depth + 1);
          ob[k] = r.before;
          oa[k] = r.after;
        } else if (inB) ob[k] = scrubOne(b[k], depth + 1, SEALED_PRESENT);
        else oa[k] = scrubOne(a[k], depth + 1, SEALED_SET);
      }
      return { before: ob, after: oa };
    }
    return {
      before: b === undefined ? undefined : scrubOne(b, depth, SEALED_PRESENT),
      after: a === undefined ? undefined : scrubOne(a, depth, SEALED_SET),
    };
  };
  return walk(before, after, 0);
}

// ---- the foundation's and 开门纳谏's tables --------------------------------------------------------

protectFields('person', {
  secret: ['phone_enc', 'id_no_enc', 'id_no_index'],
  // The birth date is digits 7–14 of the ID number: with the mask beside it, it would complete it.
  sealed: ['birth_date'],
});
protectFields('app_user', { secret: ['password_hash', 'password', 'initial_password', 'new_password', 'old_password'] });
protectFields('app_session', { secret: ['csrf_token', 'token'] });
protectFields('open311_key', { secret: ['key_hash', 'api_key'] });
protectFields('opinion', {
  secret: [
    'receipt_hash', 'receipt_enc', 'receipt_code', 'request_digest', 'client_request_id', 'content_hash',
    'submitter_name_enc', 'submitter_phone_enc', 'submitter_email_enc', 'open311_meta_enc', 'open311_token',
    'source_ip_hash', 'altcha', 'search_tokens',
  ],
  sealed: ['location_text', 'lat', 'lon', 'long', 'address_string', 'media_url', 'submitter_name', 'submitter_phone', 'email'],
});
protectFields('attachment', { secret: ['content_hash'] });
protectFields('survey_response', { secret: ['device_hash'] });
protectFields('public_rate', { secret: ['ip_hash'] });
protectFields('spent_challenge', { secret: ['hash'] });
protectFields('approval_request', { secret: ['secret_enc'] });

// ---- 查纠整改 -----------------------------------------------------------------------------------------

protectFields('rectification_rating', { secret: ['rater_hash'] });
// What a person declared is for 整顿办's eyes (selfcheck:review, each read audited). Its digest is no
// secret to the signer, but beside an auditor's knowledge of the checklist it would tell an all-"no"
// report from one that declares something; nor do counts of declared matters belong in the log.
protectFields('self_check_report', { secret: ['answers', 'free_text', 'content_digest', 'digest', 'declared_count', 'declared'] });
protectFields('clue', { secret: ['summary_enc', 'reporter_name_enc', 'reporter_phone_enc', 'summary', 'reporter_name', 'reporter_phone'] });
protectFields('clue_event', { secret: ['note_enc', 'note'] });

// ---- 学习教育 -----------------------------------------------------------------------------------------

// The seed of an activity's rotating check-in code: whoever holds it can check in from anywhere.
protectFields('study_activity', { secret: ['checkin_secret', 'checkinSecret'] });

// ---- 智能化数据排查 -------------------------------------------------------------------------------

// Registers hold ID numbers as a keyed index to join by; hits say who is suspected of what.
for (const t of [
  'scr_staff', 'scr_relative', 'scr_enterprise_role', 'scr_former_staff', 'scr_lawyer', 'scr_correction_notice', 'scr_correction_intake',
  'scr_correction_checkin', 'scr_correction_leave', 'scr_correction_warning', 'scr_correction_visit', 'scr_correction_custody',
  'scr_correction_gap', 'scr_correction_checkin_district',
]) {
  protectFields(t, { secret: ['id_no_bidx', 'id_no_enc', 'staff_id_no_bidx', 'staff_id_no_enc', 'id_no', 'staff_id_no'] });
}
protectFields('screening_hit', { secret: ['subject_enc', 'summary_enc', 'evidence_enc', 'review_note_enc', 'fingerprint'] });
