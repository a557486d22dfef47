import { loadConfig } from './config.js';
import { createDeps } from './deps.js';
import { buildApp } from './app.js';
import { bootstrap, formatBootstrapReport } from './seed/bootstrap.js';
import { startDailyJobs } from './platform/jobs.js';
import { opinionJobs } from './modules/opinions/jobs.js';

// npm start: read config, open and migrate the database, seed an empty one, listen.
async function main() {
  const started = performance.now();
  const config = loadConfig();
  const deps = await createDeps(config);
  const report = await bootstrap(deps, { demo: config.demo });
  if (report.created) process.stdout.write(formatBootstrapReport(report));
  const app = await buildApp(deps, { logger: { level: config.logLevel } });
  await app.listen({ port: config.port, host: config.host });
  // Daily jobs run once per day across however many processes share the database.
  const stopJobs = startDailyJobs(deps, [...opinionJobs(deps)], {
    onOutcome: (job, period, outcome) => app.log.info({ job, period, outcome: outcome.status }, 'daily job'),
  });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  process.stdout.write(
    `教育整顿工作平台已启动：http://${config.host}:${port}/ （数据库：${deps.dialect}，用时 ${Math.round(performance.now() - started)} ms）\n`,
  );
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    stopJobs();
    await app.close();
    await deps.database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`启动失败：${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
