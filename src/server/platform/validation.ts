import { z } from 'zod';
import { badRequest } from './errors.js';
import { cleanDeep } from './input.js';

// Chinese validation messages everywhere; a missing value reads "不能为空" rather than a type name.
z.config(z.locales.zhCN());
z.config({
  customError: (iss) => {
    if (iss.code === 'invalid_type' && (iss.input === undefined || iss.input === null)) return '不能为空';
    return undefined;
  },
});

function inner(s: any): any {
  return s?._zod?.def?.innerType ?? s?._zod?.def?.in ?? undefined;
}

function labelOf(s: any): string | undefined {
  for (let cur = s; cur; cur = inner(cur)) {
    const meta = typeof cur.meta === 'function' ? cur.meta() : undefined;
    if (meta?.title) return String(meta.title);
    if (cur.description) return String(cur.description);
  }
  return undefined;
}

function fieldSchema(schema: any, path: PropertyKey[]): any {
  let s = schema;
  for (const key of path) {
    while (s && !(s instanceof z.ZodObject) && !(s instanceof z.ZodArray) && inner(s)) s = inner(s);
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, unknown>)[String(key)];
    else if (s instanceof z.ZodArray) s = s.element;
    else return undefined;
  }
  return s;
}

/** Parses or throws a 400 naming the first bad field by its Chinese label (its `.describe()`). */
export function parseInput<T extends z.ZodType>(schema: T, data: unknown, where = '请求'): z.output<T> {
  // Also reached by input that bypasses the route hook (multipart fields, Open311 forms): clean here too.
  const r = schema.safeParse(cleanDeep(data ?? {}));
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join('.') || undefined;
  const label = labelOf(fieldSchema(schema, issue.path)) ?? field ?? where;
  const details = r.error.issues.map((i) => ({
    field: i.path.map(String).join('.'),
    label: labelOf(fieldSchema(schema, i.path)) ?? i.path.map(String).join('.'),
    message: i.message,
  }));
  throw badRequest(`${label}：${issue.message}`, field, details);
}
