import type { Ctx } from './context.js';

// The campaign's headline figures, one registry: the CLI (`stats --json`), the dashboard and the
// generated campaign account all read these. Keys are dotted paths; output nests them.
//
// Every figure is computed within ctx.actor's data scope, like every list: a county's administrator
// sees the county's figures, never the city's. ctx.actor null (the CLI, the whole-bureau account
// of the campaign) means the whole bureau. Use `scopedCount` or applyScope(…, ctx.actor, …).

export type StatFn = (ctx: Ctx) => Promise<unknown>;
const registry = new Map<string, StatFn>();

export function registerStat(key: string, fn: StatFn) {
  registry.set(key, fn);
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
