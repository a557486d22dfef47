import type { FastifyInstance } from 'fastify';

export function campaignRoutes(_app: FastifyInstance) {
  // filled in by the module's issue work
}
