import { loadConfig } from './config.js';
import { createDeps, printStartRetry } from './deps.js';
import { buildApp } from './app.js';
import { bootstrap, formatBootstrapReport } from './seed/bootstrap.js';
import { formatJobReport, startDailyJobs } from './platform/jobs.js';
import { opinionJobs } from './modules/opinions/jobs.js';
import { rectificationJobs } from './modules/rectification/jobs.js';
import { describeDbError, isDatabaseUnavailable, retryWhileUnavailable } from './platform/dberrors.js';

let warn = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

/**
 * A lost database connection surfacing outside any request (a driver event, a background promise)
 * must not end the process: the pool reconnects on the next request. Anything else still does, as
 * Node would by default.
 */
function guardProcess() {
  const onFatal = (kind: string) => (err: unknown) => {
    if (isDatabaseUnavailable(err)) {
      warn(`数据库暂时不可用（${describeDbError(err)}），服务继续运行，将自动重连`);
      return;
    }
    process.stderr.write(`${kind}：${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', onFatal('未捕获的异常'));
  process.on('unhandledRejection', onFatal('未处理的 Promise 拒绝'));
}

// npm start: read config, open and migrate the database, seed an empty one, listen.
async function main() {
  const started = performance.now();
  const config = loadConfig();
  guardProcess();
  // A database still starting (or failing over) is waited for, up to RECTIFY_DB_START_RETRY_SECONDS.
  const deps = await createDeps(config, { retryStart: true });
  const report = await retryWhileUnavailable(() => bootstrap(deps, { demo: config.demo }), {
    seconds: config.dbStartRetrySeconds,
    onRetry: printStartRetry,
  });
  if (report.created) process.stdout.write(formatBootstrapReport(report));
  const app = await buildApp(deps, { logger: { level: config.logLevel } });
  warn = (message) => app.log.warn(message);
  deps.database.onConnectionError = (err) =>
    app.log.warn({ db: describeDbError(err) }, '数据库连接中断，下次请求时将自动重连');
  await app.listen({ port: config.port, host: config.host });
  // Daily jobs run once per day across however many processes share the database.
  // Each job says what happened: ran (with its result), done or running elsewhere, waiting for its
  // time, or failed with the reason; the same finding is not repeated every minute.
  const stopJobs = startDailyJobs(deps, [...opinionJobs(deps), ...rectificationJobs(deps)], {
    onReport: (r) => {
      const fields = { job: r.job, period: r.period, result: r.kind };
      const message = formatJobReport(r);
      if (r.kind === 'failed') app.log.warn({ ...fields, err: r.detail }, message);
      else if (r.kind === 'unreachable') app.log.warn({ ...fields, db: describeDbError(r.error) }, message);
      else if (r.kind === 'failed-elsewhere') app.log.warn(fields, message);
      else app.log.info({ ...fields, ...(r.kind === 'ran' ? { detail: r.detail } : {}) }, message);
    },
  });
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    stopJobs();
    await app.close();
    await deps.database.close();
    process.exit(0);
  };
  // Before the start line: whoever waits for that line may stop us at once.
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  process.stdout.write(
    `教育整顿工作平台已启动：http://${config.host}:${port}/ （数据库：${deps.dialect}，用时 ${Math.round(performance.now() - started)} ms）\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`启动失败：${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
