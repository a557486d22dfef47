import type { FastifyInstance } from 'fastify';

export function notificationRoutes(_app: FastifyInstance) {
  // filled in by the module's issue work
}
