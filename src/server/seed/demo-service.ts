import type { Ctx, Trx } from '../platform/context.js';

// The demo bureau's 为民服务：便民利民措施、法律服务工作站、企业服务与法治体检.
export async function seedDemoService(_trx: Trx, _ctx: Ctx, _now: string): Promise<Record<string, unknown>> {
  return {};
}
