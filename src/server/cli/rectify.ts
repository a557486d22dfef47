import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { createDeps } from '../deps.js';
import { bootstrap, formatBootstrapReport } from '../seed/bootstrap.js';
import { syncBuiltinRoles } from '../seed/roles.js';
import { verifyAuditChain } from '../platform/audit.js';
import { collectStats } from '../platform/stats.js';
import { runCommand, systemCtx } from '../platform/context.js';
import { generatePassword, hashPassword } from '../platform/auth.js';
import { isEmpty, PRIVATE_FILE_MODE } from '../db/index.js';
import '../modules/figures.js';
import { runScreening } from '../modules/screening/commands.js';

const HELP = `用法：npm run -s rectify -- <命令>
  seed                         向 DATABASE_URL 指向的空库写入演示数据（确定性）
  stats [--json]               输出教育整顿主要数据
  screen [--json]              按各名册的当前快照运行全部启用的排查规则，输出每条规则的命中数
  audit verify                 校验审计日志 SM3 链；完整时退出码 0，否则非 0 并指出首个断点
  backup <文件>                在线一致性备份（SQLite）；PostgreSQL 给出 pg_dump 用法
  user reset-password <用户名> 生成一次性密码，下次登录须修改
  migrate                      仅执行数据库迁移`;

const KEYLESS_COMMANDS = new Set(['migrate', 'stats', 'audit', 'backup']);

async function main(argv: string[]): Promise<number> {
  const [cmd, sub, arg] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help') {
    process.stdout.write(HELP + '\n');
    return cmd ? 0 : 2;
  }
  const config = loadConfig();
  // Waits for a database that is still starting; commands that never touch sealed fields neither
  // need nor create a field key (an auditor verifies the chain of a copy without the key).
  const deps = await createDeps(config, {
    poolSize: 2,
    retryStart: true,
    fieldKey: !KEYLESS_COMMANDS.has(cmd),
  });
  try {
    switch (cmd) {
      case 'migrate':
        // A database prepared by script gets this release's built-in roles too.
        if (!(await isEmpty(deps.db))) await syncBuiltinRoles(deps);
        process.stderr.write('迁移完成\n');
        return 0;
      case 'seed': {
        if (!(await isEmpty(deps.db))) {
          process.stderr.write('数据库非空，未写入演示数据（演示数据只写入空库）\n');
          return 1;
        }
        const report = await bootstrap(deps, { demo: true });
        process.stderr.write(formatBootstrapReport(report));
        return 0;
      }
      case 'screen': {
        const r = await runScreening(systemCtx(deps));
        if (sub === '--json') {
          process.stdout.write(JSON.stringify({
            runId: r.id, asOf: r.asOf,
            snapshots: r.snapshots.map((x) => ({ kind: x.kind, snapshotId: x.snapshotId, importedAt: x.importedAt, rows: x.rows })),
            rules: r.rules.map((x) => ({ code: x.code, name: x.name, version: x.version, hits: x.hits, new: x.new, unchanged: x.unchanged, resolved: x.resolved, skipped: x.skipped })),
          }) + '\n');
        } else {
          for (const x of r.rules) {
            process.stdout.write(x.skipped ? `${x.name}：未运行（${x.skipped}）\n` : `${x.name}（第 ${x.version} 版）：命中 ${x.hits}，新增 ${x.new}，未变 ${x.unchanged}，已消失 ${x.resolved}\n`);
          }
        }
        return 0;
      }
      case 'stats': {
        const stats = await collectStats(systemCtx(deps));
        process.stdout.write(sub === '--json' ? JSON.stringify(stats) + '\n' : JSON.stringify(stats, null, 2) + '\n');
        return 0;
      }
      case 'audit': {
        if (sub !== 'verify') break;
        const r = await verifyAuditChain(deps.db);
        if (r.ok) {
          process.stdout.write(`审计链完整：共 ${r.entries} 条\n`);
          return 0;
        }
        process.stdout.write(`审计链已被破坏：第 ${r.brokenAt} 条（seq=${r.brokenAt}）：${r.reason}\n`);
        return 3;
      }
      case 'backup': {
        if (!sub) break;
        if (deps.dialect === 'postgres') {
          process.stdout.write(
            'PostgreSQL 请使用 pg_dump 做在线一致性备份，例如：\n' +
              `  pg_dump --format=custom --file=${sub} "$DATABASE_URL"\n` +
              '恢复：pg_restore --clean --if-exists --dbname="$DATABASE_URL" ' + sub + '\n',
          );
          return 0;
        }
        const target = path.resolve(sub);
        // Created 0600 first, never over an existing file: the copy holds what the database holds.
        try {
          fs.closeSync(fs.openSync(target, 'wx', PRIVATE_FILE_MODE));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          process.stderr.write(`目标文件已存在：${target}\n`);
          return 1;
        }
        // better-sqlite3's online backup API copies a consistent snapshot while the app keeps writing.
        try {
          await deps.database.sqlite!.backup(target);
        } catch (err) {
          fs.rmSync(target, { force: true });
          throw err;
        }
        fs.chmodSync(target, PRIVATE_FILE_MODE);
        process.stdout.write(`已备份到 ${target}（${fs.statSync(target).size} 字节）\n`);
        return 0;
      }
      case 'user': {
        if (sub !== 'reset-password' || !arg) break;
        const user = await deps.db.selectFrom('app_user').select(['id', 'username']).where('username', '=', arg).executeTakeFirst();
        if (!user) {
          process.stderr.write(`用户不存在：${arg}\n`);
          return 1;
        }
        const password = generatePassword();
        const hash = await hashPassword(password);
        const now = deps.now().toISOString();
        await runCommand(systemCtx(deps), { action: 'reset_password', entityType: 'user' }, async (trx) => {
          await trx
            .updateTable('app_user')
            .set({ password_hash: hash, must_change_password: 1, status: 'active', password_changed_at: now, updated_at: now })
            .where('id', '=', user.id)
            .execute();
          await trx
            .updateTable('app_session')
            .set({ revoked_at: now, revoked_reason: 'password_reset' })
            .where('user_id', '=', user.id)
            .where('revoked_at', 'is', null)
            .execute();
          return { result: undefined, entityId: user.id, after: { via: 'cli', mustChangePassword: true } };
        });
        process.stdout.write(`${password}\n`);
        process.stderr.write(`已为 ${arg} 生成一次性密码（上一行），下次登录须修改\n`);
        return 0;
      }
      default:
        break;
    }
    process.stderr.write(HELP + '\n');
    return 2;
  } finally {
    await deps.database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`错误：${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
