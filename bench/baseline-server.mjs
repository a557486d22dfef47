// The in-run baseline: a bare Fastify process with one route, started exactly as the platform is
// (`node <file>`, PORT/HOST from the environment), so ratios show what the platform adds on top.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/api/health', async () => ({ status: 'ok' }));

const port = Number(process.env.PORT ?? 3001);
const host = process.env.HOST ?? '127.0.0.1';
await app.listen({ port, host });
process.stdout.write(`baseline listening on http://${host}:${port}/\n`);

const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
