// The one place incoming text is normalised, for every route (JSON, forms, query strings, path
// parameters, multipart fields) and every importer (Excel cells): characters that XML 1.0 cannot
// carry are removed, so nothing stored can later break an XML answer (Open311) or an Excel export.
//
// Removed: C0 controls except tab, line feed and carriage return; U+FFFE and U+FFFF; lone
// (unpaired) surrogates. Everything else is kept as sent (no Unicode normalisation: NFC would
// rewrite CJK compatibility ideographs, which can be part of a person's name).

// eslint-disable-next-line no-control-regex
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex
const QUICK = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** The text without characters illegal in XML 1.0. Fast path: most text has none. */
export function cleanText(s: string): string {
  return QUICK.test(s) ? s.replace(ILLEGAL, '') : s;
}

/** True when the text has a character cleanText would remove. */
export function hasIllegalChars(s: string): boolean {
  return QUICK.test(s) && s.replace(ILLEGAL, '') !== s;
}

/**
 * Cleans every string in a parsed body or query (objects, arrays, nested), in place where it can,
 * and answers the cleaned value. Keys are cleaned too. Buffers and other objects are left alone.
 */
export function cleanDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = cleanDeep(value[i], depth + 1);
    return value;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    const v = cleanDeep(obj[k], depth + 1);
    const ck = cleanText(k);
    if (ck !== k) {
      delete obj[k];
      obj[ck] = v;
    } else obj[k] = v;
  }
  return value;
}
