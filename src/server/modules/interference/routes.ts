import type { FastifyInstance } from 'fastify';

// “三个规定”记录报告与零报告；制度文件.
export function interferenceRoutes(_app: FastifyInstance) {}
