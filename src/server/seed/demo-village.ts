import type { Ctx, Trx } from '../platform/context.js';

// The demo bureau's 法律志愿服务进乡村“1155”工程.
export async function seedDemoVillage(_trx: Trx, _ctx: Ctx, _now: string): Promise<Record<string, unknown>> {
  return {};
}
