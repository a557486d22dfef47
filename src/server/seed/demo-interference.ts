import type { Ctx, Trx } from '../platform/context.js';

// The demo bureau's “三个规定”记录报告与零报告；制度文件.
export async function seedDemoInterference(_trx: Trx, _ctx: Ctx, _now: string): Promise<Record<string, unknown>> {
  return {};
}
