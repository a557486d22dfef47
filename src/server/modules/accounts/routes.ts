import type { FastifyInstance } from 'fastify';

export function accountRoutes(_app: FastifyInstance) {
  // filled in by the module's issue work
}
