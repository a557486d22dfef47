import type { Ctx, Trx } from '../platform/context.js';

// The demo bureau's 证明事项告知承诺制；行政复议与企业矛盾纠纷调解案件.
export async function seedDemoCommitments(_trx: Trx, _ctx: Ctx, _now: string): Promise<Record<string, unknown>> {
  return {};
}
