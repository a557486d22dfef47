import type { FastifyInstance } from 'fastify';

export function open311Routes(_app: FastifyInstance) {
  // being written
}
