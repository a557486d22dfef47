import type { FastifyInstance } from 'fastify';

// 题库: questions per topic, import from Excel and Word, export to Excel.
export function bankRoutes(_app: FastifyInstance) {}
