import type { FastifyInstance } from 'fastify';

export function symposiumRoutes(_app: FastifyInstance) {
  // being written
}
