import type { FastifyInstance } from 'fastify';

// 学习活动、签到、分享、观评、巡回指导、选树典型 — routes added as the module is built.
export function studyRoutes(_app: FastifyInstance) {}
