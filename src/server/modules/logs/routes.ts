import type { FastifyInstance } from 'fastify';

export function logRoutes(_app: FastifyInstance) {
  // filled in by the module's issue work
}
