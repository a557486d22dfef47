// The in-run baseline: a bare Fastify process with one GET route (and one POST route for the
// opinion benchmark), started exactly as the platform is (`node <file>`, PORT/HOST from the
// environment), so ratios show what the platform adds on top.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/api/health', async () => ({ status: 'ok' }));
// POST twin of the public opinion intake for bench/opinions-submit.ts: Fastify's own JSON body
// parsing and a 201, nothing else, so the submission figures have a POST baseline.
app.post('/api/public/opinions', async (req, reply) => {
  const content = typeof req.body?.content === 'string' ? req.body.content : '';
  reply.code(201);
  return { receiptCode: '0000-0000-0000-0000', publicNo: 'YJ00000000BENCH', duplicate: false, length: content.length };
});

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
