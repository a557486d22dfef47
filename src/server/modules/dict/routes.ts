import type { FastifyInstance } from 'fastify';

export function dictRoutes(_app: FastifyInstance) {
  // filled in by the module's issue work
}
