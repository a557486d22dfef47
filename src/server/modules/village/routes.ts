import type { FastifyInstance } from 'fastify';

// 法律志愿服务进乡村“1155”工程.
export function villageRoutes(_app: FastifyInstance) {}
