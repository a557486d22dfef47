import type { FastifyInstance } from 'fastify';

export function fileRoutes(_app: FastifyInstance) {
  // filled in by the module's issue work
}
