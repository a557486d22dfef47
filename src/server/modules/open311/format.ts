import type { FastifyReply } from 'fastify';
import { XMLBuilder } from 'fast-xml-parser';
import { cleanText } from '../../platform/input.js';

// GeoReport v2 answers in the format named by the resource's extension (.json / .xml). JSON follows
// the spec's Spark convention: a list is a JSON array; in XML the same list is a container element
// with one child element per item (<services><service>…</service></services>).

export type Format = 'json' | 'xml';

/** "requests.xml" → {name:'requests', format:'xml'}; anything but .json/.xml → null. */
export function splitFormat(file: string): { name: string; format: Format } | null {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? { name: m[1]!, format: m[2] as Format } : null;
}

/** The format an error should be written in: the URL's extension, else JSON. */
export function formatOfUrl(url: string): Format {
  return /\.xml$/i.test(url.split('?')[0] ?? '') ? 'xml' : 'json';
}

const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: false, ignoreAttributes: true });

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

type XmlValue = string | number | boolean | null | undefined | XmlNode | XmlValue[];
interface XmlNode {
  [tag: string]: XmlValue;
}

/**
 * Nulls become empty elements (as in the spec's examples); booleans and numbers become text.
 * Characters XML 1.0 cannot carry are dropped: input is cleaned on the way in, but rows stored
 * before that must not make an answer ill-formed.
 */
function clean(v: XmlValue): XmlValue {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return cleanText(v);
  if (Array.isArray(v)) return v.map(clean);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)]));
  return v;
}

/** A list as XML: <container><item/>…</container>; an empty list stays an empty container. */
export function xmlList(itemTag: string, items: XmlValue[]): XmlValue {
  return items.length ? { [itemTag]: items } : '';
}

export function toXml(root: string, body: XmlValue): string {
  return XML_DECLARATION + String(builder.build({ [root]: clean(body) }));
}

export const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** Sends one answer in the asked format: `json` as given, `xml` built by the caller's mapping. */
export function send(reply: FastifyReply, format: Format, json: unknown, xml: () => string, status = 200) {
  const body = format === 'xml' ? xml() : JSON.stringify(json);
  return reply.status(status).header('content-type', CONTENT_TYPES[format]).send(body);
}

/** The spec's error answer: JSON [{code, description}], XML <errors><error><code/><description/></error></errors>. */
export function sendErrors(reply: FastifyReply, format: Format, status: number, descriptions: string[]) {
  const errors = descriptions.map((description) => ({ code: status, description }));
  return send(reply, format, errors, () => toXml('errors', xmlList('error', errors as unknown as XmlNode[])), status);
}

// Asia/Shanghai has had no daylight saving since 1991: a fixed +08:00 offset is exact.
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** ISO UTC text → W3C datetime in Asia/Shanghai with its offset: 2026-03-01T09:30:00+08:00. */
export function w3(isoUtc: string | null | undefined): string | null {
  if (!isoUtc) return null;
  const t = new Date(isoUtc).getTime();
  if (Number.isNaN(t)) return null;
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19) + '+08:00';
}

const W3_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses a W3C datetime (2010-01-01T00:00:00Z, …+08:00) or a plain date (taken as that day in
 * Asia/Shanghai). Answers the instant and whether only a date was given; null when malformed.
 */
export function parseW3(raw: string): { at: Date; dateOnly: boolean } | null {
  // An unencoded "+08:00" in a query string arrives as " 08:00".
  const text = raw.trim().replace(/ (\d{2}:\d{2})$/, '+$1');
  const m = W3_DATETIME.exec(text);
  if (!m) return null;
  // Reject dates the Date constructor would silently roll over (2026-02-30 → 2026-03-02).
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return null;
  const dateOnly = m[4] === undefined;
  const at = new Date(dateOnly ? `${m[1]}-${m[2]}-${m[3]}T00:00:00+08:00` : text);
  if (Number.isNaN(at.getTime())) return null;
  return { at, dateOnly };
}
