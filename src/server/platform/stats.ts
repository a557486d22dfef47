import type { Ctx } from './context.js';

// The campaign's headline figures, one registry: the CLI (`stats --json`), the dashboard and the
// generated campaign account all read these. Keys are dotted paths; output nests them.
//
// Every figure is computed within ctx.actor's data scope, like every list: a county's administrator
// sees the county's figures, never the city's. ctx.actor null (the CLI, the whole-bureau account
// of the campaign) means the whole bureau. Use `scopedCount` or applyScope(…, ctx.actor, …).

//
// Every figure is registered with its Chinese name: the home page, the statistics pages and the
// campaign account all show that one name (GET /api/stats/labels), never a name of their own.

export type StatFn = (ctx: Ctx) => Promise<unknown>;
const registry = new Map<string, StatFn>();
const labels = new Map<string, string>();

/**
 * `names`: the figure's name, or names by full dotted key — the figure's own, its parts' (an object
 * figure such as `opinions`) and the group above it (`people` for `people.total`).
 */
export function registerStat(key: string, fn: StatFn, names: string | Record<string, string>) {
  registry.set(key, fn);
  for (const [k, label] of Object.entries(typeof names === 'string' ? { [key]: names } : names)) {
    const known = labels.get(k);
    if (known !== undefined && known !== label) throw new Error(`统计指标 ${k} 已命名为“${known}”，不能再命名为“${label}”`);
    labels.set(k, label);
  }
}

/** Every registered figure's Chinese name, by dotted key. */
export function statLabels(): Record<string, string> {
  return Object.fromEntries(labels);
}

export async function collectStats(ctx: Ctx, only?: string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, fn] of registry) {
    if (only && !only.some((p) => key === p || key.startsWith(`${p}.`))) continue;
    const value = await fn(ctx);
    const parts = key.split('.');
    let node = out as Record<string, unknown>;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = value;
  }
  return out;
}
