import { sql } from 'kysely';
import type { Deps, Trx } from '../platform/context.js';
import { runCommand, systemCtx } from '../platform/context.js';
import { newId } from '../platform/ids.js';
import { generatePassword, hashPassword } from '../platform/auth.js';
import { isEmpty, liftTimeouts, lockExclusive } from '../db/index.js';
import { BUILTIN_ROLES } from '../../shared/permissions.js';
import { DICTIONARIES } from './reference.js';
import { seedDemo } from './demo.js';
import { syncBuiltinRoles } from './roles.js';
import { seedDemoOpinions } from './demo-opinions.js';
import { seedDemoRectification } from './demo-rectification.js';
import { seedDemoSelfChecks } from './demo-self-checks.js';
import { seedDemoTalks } from './demo-talks.js';
import { seedDemoService } from './demo-service.js';
import { seedDemoVillage } from './demo-village.js';
import { seedDemoCommitments } from './demo-commitments.js';
import { seedDemoInterference } from './demo-interference.js';
import { seedDemoClues } from './demo-clues.js';
import { seedDemoExams } from './demo-exams.js';
import { seedDemoStudy } from './demo-study.js';
import { seedDemoScreening } from './demo-screening.js';
import { linkPendingAdoptions } from '../modules/rectification/commands.js';

export interface BootstrapReport {
  created: boolean;
  demo: boolean;
  /** Accounts whose password was generated here: shown once, changed at first login. */
  generated: { username: string; role: string; password: string }[];
  /** Accounts with an operator-chosen password (RECTIFY_ADMIN_PASSWORD / RECTIFY_DEMO_PASSWORD). */
  chosen: { username: string; role: string }[];
}

export async function seedReference(trx: Trx, now: string) {
  for (const r of BUILTIN_ROLES) {
    await trx
      .insertInto('role')
      .values({
        id: `role-${r.code}`,
        code: r.code,
        name: r.name,
        description: r.description,
        builtin: 1,
        permissions: JSON.stringify(r.permissions),
        data_scope: r.dataScope,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  for (const d of DICTIONARIES) {
    await trx
      .insertInto('dict_type')
      .values({ code: d.code, name: d.name, description: d.description ?? null, builtin: 1, created_at: now, updated_at: now })
      .execute();
    await trx
      .insertInto('dict_item')
      .values(
        d.items.map(([code, label], i) => ({
          id: `dict-${d.code}-${i + 1}`, type_code: d.code, code, label, sort: (i + 1) * 10, enabled: 1,
          created_at: now, updated_at: now,
        })),
      )
      .execute();
  }
}

export async function createAccount(
  trx: Trx,
  now: string,
  a: { username: string; displayName: string; orgUnitId: string; personId?: string | null; roleCode: string; password: string; mustChange: boolean },
) {
  const id = newId();
  await trx
    .insertInto('app_user')
    .values({
      id,
      username: a.username,
      display_name: a.displayName,
      person_id: a.personId ?? null,
      org_unit_id: a.orgUnitId,
      password_hash: await hashPassword(a.password),
      must_change_password: a.mustChange ? 1 : 0,
      status: 'active',
      password_changed_at: now,
      last_login_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await trx.insertInto('user_role').values({ user_id: id, role_id: `role-${a.roleCode}` }).execute();
  return id;
}

/** Another process filled the database while this one waited for the bootstrap lock. */
class AlreadyBootstrapped extends Error {}

/**
 * Fills an empty database: roles, dictionaries, the org root (or the whole demo bureau), and the
 * three separated administrator accounts. Does nothing on a database that has users.
 * Safe when several processes start together on an empty database: one fills it, the others wait
 * and then find it filled.
 */
export async function bootstrap(deps: Deps, opts: { demo: boolean }): Promise<BootstrapReport> {
  const empty = (): BootstrapReport => ({ created: false, demo: opts.demo, generated: [], chosen: [] });
  let report = empty();
  if (!(await isEmpty(deps.db))) {
    // An existing database: its built-in roles follow this release (new permissions, new roles).
    await syncBuiltinRoles(deps);
    // Opinions adopted before the ledger existed become its items (none pending: one cheap read).
    await linkPendingAdoptions(systemCtx(deps));
    return report;
  }
  const ctx = systemCtx(deps);
  const now = deps.now().toISOString();
  try {
    await runCommand(ctx, { action: 'bootstrap', entityType: 'system' }, async (trx) => {
      // The demo seed takes a while: the pool's statement and lock timeouts must not cut it (or the
      // others' wait for it) short. PostgreSQL: one bootstrap per schema at a time (an advisory lock
      // held until commit); SQLite: BEGIN IMMEDIATE already admits one writer.
      await liftTimeouts(trx, deps.dialect);
      await lockExclusive(trx, deps.dialect, 'rectify/bootstrap');
      if (!(await isEmpty(trx))) throw new AlreadyBootstrapped();
      report = empty();
      await seedReference(trx, now);
      let rootId: string;
      let demoSummary: unknown = null;
      if (opts.demo) {
        const demo = await seedDemo(trx, deps, now);
        rootId = demo.rootId;
        const opinions = await seedDemoOpinions(trx, ctx, now);
        const ledger = await seedDemoRectification(trx, ctx, now);
        const selfChecks = await seedDemoSelfChecks(trx, demo.accounts.filter((a) => a.username === 'officer').flatMap((a) => (a.personId ? [a.personId] : [])));
        const talks = await seedDemoTalks(trx, ctx, now);
        const clues = await seedDemoClues(trx, ctx, now);
        const exams = await seedDemoExams(trx, now);
        const study = await seedDemoStudy(trx, ctx, now);
        const service = await seedDemoService(trx, ctx, now);
        const village = await seedDemoVillage(trx, ctx, now);
        const commitments = await seedDemoCommitments(trx, ctx, now);
        const interference = await seedDemoInterference(trx, ctx, now);
        const screening = await seedDemoScreening(trx, ctx, now);
        demoSummary = {
          ...demo.summary, ...opinions, ...ledger, ...selfChecks, ...talks, ...clues, ...exams, ...study, ...service, ...village,
          ...commitments, ...interference, ...screening,
        };
        const password = deps.config.demoPassword ?? generatePassword();
        for (const acc of demo.accounts) {
          await createAccount(trx, now, { ...acc, password, mustChange: !deps.config.demoPassword });
          if (deps.config.demoPassword) report.chosen.push({ username: acc.username, role: acc.roleName });
          else report.generated.push({ username: acc.username, role: acc.roleName, password });
        }
      } else {
        rootId = newId();
        await trx
          .insertInto('org_unit')
          .values({
            id: rootId, parent_id: null, name: '市司法局', short_name: null, kind: 'city_bureau', code: 'CITY',
            path: `/${rootId}/`, depth: 0, sort: 0, created_at: now, updated_at: now,
          })
          .execute();
      }
      const adminPassword = deps.config.adminPassword ?? generatePassword();
      await createAccount(trx, now, {
        username: 'admin', displayName: '系统管理员', orgUnitId: rootId, roleCode: 'sysadmin',
        password: adminPassword, mustChange: !deps.config.adminPassword,
      });
      if (deps.config.adminPassword) report.chosen.unshift({ username: 'admin', role: '系统管理员' });
      else report.generated.unshift({ username: 'admin', role: '系统管理员', password: adminPassword });
      // In the demo these two are demo logins like the others and share RECTIFY_DEMO_PASSWORD.
      const shared = opts.demo ? deps.config.demoPassword : undefined;
      for (const [username, displayName, roleCode] of [
        ['secadmin', '安全管理员', 'secadmin'],
        ['auditor', '审计管理员', 'auditor'],
      ] as const) {
        const password = shared ?? generatePassword();
        await createAccount(trx, now, { username, displayName, orgUnitId: rootId, roleCode, password, mustChange: !shared });
        if (shared) report.chosen.push({ username, role: displayName });
        else report.generated.push({ username, role: displayName, password });
      }
      return { result: undefined, entityId: null, after: { demo: opts.demo, summary: demoSummary } };
    });
  } catch (err) {
    if (err instanceof AlreadyBootstrapped) return empty();
    throw err;
  }
  report.created = true;
  // The planner's statistics for what was just loaded: without them PostgreSQL takes the freshly seeded
  // tables for empty and plans anti-joins (who has not signed, not talked) as nested loops over both.
  // Only this schema's tables (a database may hold others'), and past the pool's statement timeout
  // as the seeding itself is: a slow ANALYZE is no reason for a first start to fail.
  if (deps.dialect === 'postgres') {
    await deps.db.transaction().execute(async (trx) => {
      await liftTimeouts(trx, deps.dialect);
      const tables = await sql<{ t: string }>`select tablename as t from pg_tables where schemaname = current_schema()`.execute(trx);
      if (tables.rows.length) await sql.raw(`ANALYZE ${tables.rows.map((r) => `"${r.t.replace(/"/g, '""')}"`).join(', ')}`).execute(trx);
    });
  }
  return report;
}

export function formatBootstrapReport(r: BootstrapReport): string {
  if (!r.created) return '';
  const lines = ['', '================ 教育整顿工作平台：首次启动 ================'];
  lines.push(r.demo ? '已载入演示数据（赤峰市司法局，835 名干警，325 条意见建议）。' : '已创建空库（仅含根单位“市司法局”）。');
  if (r.generated.length) {
    lines.push('以下账号的初始密码只显示这一次，首次登录须修改：');
    for (const g of r.generated) lines.push(`  ${g.username.padEnd(12)} ${g.role.padEnd(8, '　')} 初始密码：${g.password}`);
  }
  if (r.chosen.length) {
    lines.push('以下账号使用环境变量设定的密码：');
    for (const c of r.chosen) lines.push(`  ${c.username.padEnd(12)} ${c.role}`);
  }
  lines.push('忘记密码：npm run -s rectify -- user reset-password <用户名>');
  lines.push('==========================================================', '');
  return lines.join('\n');
}
