// Client-made ids and the little this device keeps. Nothing personal is stored: a device id for
// "one response per device" questionnaires, the ids of what was answered or rated here, and receipt
// codes only when the user asks for it.

/** A v4 UUID. crypto.randomUUID exists only on HTTPS (or localhost); a bureau's intranet may serve
 * plain HTTP, where getRandomValues still works. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') {
    try {
      return crypto.randomUUID();
    } catch {
      /* insecure context */
    }
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // disabled by the browser's privacy settings
  }
}

let memoryDevice: string | undefined;
export function deviceId(): string {
  const s = storage();
  try {
    const v = s?.getItem('rectify-device');
    if (v && /^[0-9a-f-]{36}$/i.test(v)) return v;
    const id = uuid();
    s?.setItem('rectify-device', id);
    if (s) return id;
  } catch {
    /* storage full or refused */
  }
  return (memoryDevice ??= uuid());
}

export interface SavedReceipt {
  code: string;
  publicNo: string;
  at: string;
}
const RECEIPTS = 'rectify-receipts';

export function savedReceipts(): SavedReceipt[] {
  try {
    const list = JSON.parse(storage()?.getItem(RECEIPTS) ?? '[]');
    return Array.isArray(list) ? list.filter((r) => r && typeof r.code === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberReceipt(r: SavedReceipt, on: boolean): boolean {
  const s = storage();
  if (!s) return false;
  const rest = savedReceipts().filter((x) => x.code !== r.code);
  const list = on ? [r, ...rest].slice(0, 20) : rest;
  try {
    if (list.length) s.setItem(RECEIPTS, JSON.stringify(list));
    else s.removeItem(RECEIPTS);
    return true;
  } catch {
    return false;
  }
}

export function forgetReceipts() {
  try {
    storage()?.removeItem(RECEIPTS);
  } catch {
    /* nothing to do */
  }
}

// Ids of what this device has already done (questionnaires answered, ledger items rated): the page
// says so at once instead of after a filled-in form is refused. The server's own check stays the rule.
function doneList(key: string): string[] {
  try {
    const list = JSON.parse(storage()?.getItem(key) ?? '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}
function markDone(key: string, id: string) {
  try {
    storage()?.setItem(key, JSON.stringify([id, ...doneList(key).filter((x) => x !== id)].slice(0, 200)));
  } catch {
    /* storage refused: the server still refuses a second one */
  }
}
const SURVEYS = 'rectify-surveys-done';
export const surveyDone = (id: string) => doneList(SURVEYS).includes(id);
export const markSurveyDone = (id: string) => markDone(SURVEYS, id);
const RATED = 'rectify-ledger-rated';
export const itemRated = (id: string) => doneList(RATED).includes(id);
export const markItemRated = (id: string) => markDone(RATED, id);

/** What people type for a receipt code → XXXX-XXXX-XXXX-XXXX, as the server reads it (Crockford
 * base32: lower case, spaces and dashes accepted; O→0, I/L→1, U→V). Null when it cannot be one. */
export function normalizeCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s\-‐-―－]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1').replace(/U/g, 'V');
  if (!/^[0-9A-HJKMNP-TV-Z]{16}$/.test(s)) return null;
  return s.match(/.{4}/g)!.join('-');
}
