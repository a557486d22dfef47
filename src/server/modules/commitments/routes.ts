import type { FastifyInstance } from 'fastify';

// 证明事项告知承诺制；行政复议与企业矛盾纠纷调解案件.
export function commitmentRoutes(_app: FastifyInstance) {}
