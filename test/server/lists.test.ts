import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { listPage, listSettings, watchListQueries, type ListQueryEvent } from '../../src/server/platform/list.js';
import { newId } from '../../src/server/platform/ids.js';
import { topicAttemptsQuery } from '../../src/server/modules/exams/exam-queries.js';

// Every list endpoint: its default order and each filter are read from an index (no sort of the
// whole table, no full scan where an index exists), for each data scope. The plans are of exactly
// the queries the endpoint ran (watchListQueries), EXPLAINed on the same database.

/** The queries the lists ran while `fn` did its requests. */
async function captured(fn: () => Promise<unknown>): Promise<ListQueryEvent[]> {
  const seen: ListQueryEvent[] = [];
  const stop = watchListQueries((e) => seen.push(e));
  try {
    await fn();
  } finally {
    stop();
  }
  return seen;
}

interface Plan {
  text: string;
  /** A sort for ORDER BY anywhere in the plan. */
  sorts: boolean;
  /** The main table read whole (no index), or walked whole along an index. */
  scansMain: boolean;
  /** The main table reached only through an index condition (its matches, not all of it). */
  searchesMain: boolean;
  /** Each read of the main table's index condition ('' for none), e.g. "person_id=? AND status=?". */
  mainConds: string[];
}

async function planOf(s: TestServer, e: ListQueryEvent, main: string): Promise<Plan> {
  const { db, dialect } = s.deps;
  if (dialect === 'sqlite') {
    const r = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${e.query.sql}`, [...e.query.parameters]));
    const lines = r.rows.map((x) => x.detail);
    const onMain = lines.map((l) => l.trim()).filter((l) => new RegExp(`^(SCAN|SEARCH) ${main}\\b`).test(l));
    return {
      text: lines.join('\n'),
      sorts: lines.some((l) => l.includes('USE TEMP B-TREE FOR ORDER BY')),
      // "SCAN person" alone reads the table; "SCAN person USING INDEX …" walks an index in order.
      scansMain: onMain.some((l) => l === `SCAN ${main}`),
      searchesMain: onMain.length > 0 && onMain.every((l) => l.startsWith('SEARCH')),
      mainConds: onMain.map((l) => /\((.*)\)$/.exec(l)?.[1] ?? ''),
    };
  }
  // PostgreSQL on a small test database (analysed after seeding, so it knows the tables are small and
  // would happily sort 835 rows): with sequential scans, bitmap scans and sorts priced out, what is left
  // is an ordered index scan, or a Sort all the same when no index gives the order (what this looks for).
  return db.connection().execute(async (conn) => {
    await sql`set enable_seqscan = off`.execute(conn);
    await sql`set enable_bitmapscan = off`.execute(conn);
    await sql`set enable_sort = off`.execute(conn);
    try {
      const r = await conn.executeQuery<{ 'QUERY PLAN': unknown }>(
        CompiledQuery.raw(`explain (format json) ${e.query.sql}`, [...e.query.parameters]),
      );
      const raw = r.rows[0]!['QUERY PLAN'];
      const root = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PgNode }[];
      const nodes: PgNode[] = [];
      const walk = (n: PgNode) => {
        nodes.push(n);
        for (const c of n.Plans ?? []) walk(c);
      };
      walk(root[0]!.Plan);
      const onMain = nodes.filter((n) => n['Relation Name'] === main);
      return {
        text: JSON.stringify(nodes.map((n) => [n['Node Type'], n['Relation Name'] ?? '', n['Index Name'] ?? '', n['Index Cond'] ?? ''])),
        sorts: nodes.some((n) => n['Node Type'] === 'Sort' || n['Node Type'] === 'Incremental Sort'),
        scansMain: onMain.some((n) => n['Node Type'] === 'Seq Scan'),
        searchesMain: onMain.length > 0 && onMain.every((n) => n['Index Cond'] !== undefined),
        mainConds: onMain.map((n) => n['Index Cond'] ?? ''),
      };
    } finally {
      await sql`reset enable_seqscan`.execute(conn);
      await sql`reset enable_bitmapscan`.execute(conn);
      await sql`reset enable_sort`.execute(conn);
    }
  });
}

interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PgNode[];
}

describe.each(targets())('lists on %s', (target) => {
  let s: TestServer;
  const as = new Map<string, Client>();
  const unit = new Map<string, string>();

  beforeAll(async () => {
    s = await startServer(target);
    for (const u of ['office', 'unitadmin', 'officer', 'secadmin', 'auditor', 'admin', 'cluehandler']) as.set(u, await s.as(u));
    for (const u of await s.deps.db.selectFrom('org_unit').select(['id', 'code']).execute()) unit.set(u.code, u.id);
    // At least one row in each list, so each page is full at pageSize=1 and its count runs too.
    const office = as.get('office')!;
    expect((await office.post('/api/symposiums', {
      title: '列表测试座谈会', heldOn: '2021-04-02', host: '王局长', orgUnitId: unit.get('HSQ'),
      attendees: [{ kind: 'external', name: '李律师', organization: '某律师事务所' }],
    })).status).toBe(201);
    expect((await office.post('/api/surveys', {
      title: '列表测试问卷', onePerDevice: true, questions: [{ kind: 'rating', title: '打分', required: true }],
    })).status).toBe(201);
    const sec = as.get('secadmin')!;
    expect((await sec.post('/api/open311/keys', { name: '列表测试' })).status).toBe(201);
    // A privileged account waits for approval: one approval request.
    const asked = await sec.post('/api/users', { username: 'listoffice', displayName: '列表', orgUnitId: unit.get('CFSJ'), roleCodes: ['campaign_office'] });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const officeUser = await s.deps.db.selectFrom('app_user').select('id').where('username', '=', 'office').executeTakeFirstOrThrow();
    await s.deps.db
      .insertInto('notification')
      .values([0, 1].map((i) => ({ id: newId(), user_id: officeUser.id, title: `通知${i}`, body: null, link: null, created_at: new Date().toISOString(), read_at: null })))
      .execute();
  });
  afterAll(async () => {
    listSettings.countCap = 10_000;
    await s?.close();
  });

  /**
   * Every query `user`'s GET `path` ran reads `main` through an index. The page's keys come in an
   * index's order (no sort), except with `sortsMatches`: a filter on a set of units (a scope, a unit
   * subtree) or roles, found through an index, whose matches — never the whole table — are sorted.
   */
  async function expectIndexed(user: string, path: string, main: string, opts: { sortsMatches?: boolean } = {}) {
    const events = await captured(async () => {
      const r = await as.get(user)!.get(path);
      expect(r.status, `${user} GET ${path}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(200);
    });
    expect(events.length, `${path} ran no list query`).toBeGreaterThan(0);
    for (const e of events) {
      const plan = await planOf(s, e, main);
      const where = `${user} GET ${path} (${e.list}/${e.step}):\n${e.query.sql}\n${plan.text}`;
      if (e.step === 'keys') {
        if (opts.sortsMatches && plan.sorts) expect(plan.searchesMain, `sorts more than the matches: ${where}`).toBe(true);
        else expect(plan.sorts, `sorts: ${where}`).toBe(false);
        expect(plan.scansMain, `scans the table: ${where}`).toBe(false);
      } else if (e.step === 'rows') {
        expect(plan.scansMain, `rows by key scan the table: ${where}`).toBe(false);
      } else if (/limit/i.test(e.query.sql)) {
        // A capped count may read rows, but never more than the cap.
        expect(e.query.sql).toMatch(/limit/i);
      } else {
        expect(plan.scansMain, `exact count without an index: ${where}`).toBe(false);
      }
    }
    return events;
  }

  it('people: default order, every filter and every scope read an index in order', async () => {
    const hsq = unit.get('HSQ')!;
    const party = await s.deps.db.selectFrom('party_org').select('id').where('org_unit_id', '=', hsq).executeTakeFirstOrThrow();
    const paths = [
      '/api/people?pageSize=1',
      '/api/people?pageSize=1&page=40',
      `/api/people?pageSize=1&q=${encodeURIComponent('王')}`,
      `/api/people?pageSize=1&orgUnitId=${hsq}`,
      `/api/people?pageSize=1&orgUnitId=${hsq}&includeSub=0`,
      '/api/people?pageSize=1&status=active',
      '/api/people?pageSize=1&status=retired',
      '/api/people?pageSize=1&post=clerk',
      `/api/people?pageSize=1&partyOrgId=${party.id}`,
    ];
    for (const user of ['office', 'unitadmin']) {
      for (const p of paths) await expectIndexed(user, p, 'person');
    }
    // An officer sees one person (themself): found by key, nothing to walk.
    for (const p of paths) await expectIndexed('officer', p, 'person', { sortsMatches: true });
    // The export walks the same order in batches.
    await expectIndexed('admin', '/api/people/export', 'person');
  });

  it('people search: one range of the term index in the list order, person only looked up by key', async () => {
    const hsq = unit.get('HSQ')!;
    const party = await s.deps.db.selectFrom('party_org').select('id').where('org_unit_id', '=', hsq).executeTakeFirstOrThrow();
    const surname = encodeURIComponent('王');
    const paths = [
      `/api/people?pageSize=1&q=${surname}`,
      `/api/people?pageSize=1&page=3&q=${surname}`,
      // More than one character: the exact check reads the name and police number the index carries.
      `/api/people?pageSize=1&q=${encodeURIComponent('王芳')}`,
      '/api/people?pageSize=1&q=15',
      '/api/people?pageSize=1&q=A',
      `/api/people?pageSize=1&q=${surname}&orgUnitId=${hsq}`,
      `/api/people?pageSize=1&q=${surname}&orgUnitId=${hsq}&includeSub=0`,
    ];
    // Filters on person's own columns: SQLite walks the term range and looks each candidate up by key;
    // PostgreSQL may instead start from the filter's index when it expects few matches, and sort those.
    const byPerson = [
      `/api/people?pageSize=1&q=${surname}&status=active`,
      `/api/people?pageSize=1&q=${surname}&post=clerk`,
      `/api/people?pageSize=1&q=${surname}&partyOrgId=${party.id}`,
    ];
    const sortsMatches = s.deps.dialect === 'postgres';
    for (const user of ['office', 'unitadmin']) {
      for (const p of paths) {
        await expectIndexed(user, p, 'person_term');
        await expectIndexed(user, p, 'person');
      }
      for (const p of byPerson) {
        await expectIndexed(user, p, 'person_term', { sortsMatches });
        await expectIndexed(user, p, 'person', { sortsMatches });
      }
    }
    for (const p of [...paths, ...byPerson]) await expectIndexed('officer', p, 'person_term', { sortsMatches: true });
    await expectIndexed('admin', `/api/people/export?q=${surname}`, 'person_term');
  });

  it('accounts and sessions', async () => {
    const hsq = unit.get('HSQ')!;
    // Accounts in username order; those of a set of units or of a role are found by index and sorted.
    for (const p of ['/api/users?pageSize=1', '/api/users?pageSize=1&q=admin', '/api/users?pageSize=1&status=active']) {
      await expectIndexed('secadmin', p, 'app_user');
    }
    for (const p of [`/api/users?pageSize=1&orgUnitId=${hsq}`, '/api/users?pageSize=1&roleCode=officer']) {
      await expectIndexed('secadmin', p, 'app_user', { sortsMatches: true });
    }
    for (const p of ['/api/users?pageSize=1', '/api/users?pageSize=1&q=admin', '/api/users?pageSize=1&status=active', `/api/users?pageSize=1&orgUnitId=${hsq}`]) {
      await expectIndexed('unitadmin', p, 'app_user', { sortsMatches: true });
    }
    await expectIndexed('secadmin', '/api/sessions?pageSize=1', 'app_session');
  });

  it('audit and login logs', async () => {
    const day = new Date().toISOString().slice(0, 10);
    for (const p of [
      '/api/audit-logs?pageSize=1',
      '/api/audit-logs?pageSize=1&page=3',
      `/api/audit-logs?pageSize=1&actor=${encodeURIComponent('系统')}`,
      '/api/audit-logs?pageSize=1&action=login',
      '/api/audit-logs?pageSize=1&entityType=session',
      '/api/audit-logs?pageSize=1&entityType=user&entityId=x',
      `/api/audit-logs?pageSize=1&from=2020-01-01&to=${day}`,
    ]) {
      await expectIndexed('auditor', p, 'audit_log');
    }
    for (const p of [
      '/api/login-logs?pageSize=1',
      '/api/login-logs?pageSize=1&username=off',
      '/api/login-logs?pageSize=1&success=0',
      '/api/login-logs?pageSize=1&success=1',
      `/api/login-logs?pageSize=1&from=2020-01-01&to=${day}`,
      '/api/login-logs/export',
    ]) {
      await expectIndexed('auditor', p, 'login_log');
    }
  });

  it('dictionaries, campaigns, notifications, Open311 keys', async () => {
    await expectIndexed('admin', '/api/dicts', 'dict_type');
    await expectIndexed('office', '/api/dicts', 'dict_type');
    await expectIndexed('admin', '/api/dicts/post/items', 'dict_item');
    await expectIndexed('admin', '/api/dicts/post/items?includeDisabled=1', 'dict_item');
    await expectIndexed('admin', '/api/campaigns?pageSize=1', 'campaign');
    await expectIndexed('admin', '/api/campaigns?pageSize=1&status=closed', 'campaign');
    await expectIndexed('office', '/api/notifications?pageSize=1', 'notification');
    await expectIndexed('office', '/api/notifications?pageSize=1&unread=1', 'notification');
    await expectIndexed('secadmin', '/api/open311/keys?pageSize=1', 'open311_key');
  });

  it('symposiums, surveys and their responses, approvals', async () => {
    for (const user of ['office', 'unitadmin']) {
      // A county's meetings and questionnaires: its units' rows through an index, then sorted.
      const opts = { sortsMatches: user === 'unitadmin' };
      await expectIndexed(user, '/api/symposiums?pageSize=1', 'symposium', opts);
      await expectIndexed(user, `/api/symposiums?pageSize=1&q=${encodeURIComponent('座谈')}`, 'symposium', opts);
      await expectIndexed(user, '/api/surveys?pageSize=1', 'survey', opts);
      await expectIndexed(user, '/api/surveys?pageSize=1&status=draft', 'survey', opts);
    }
    const survey = (await as.get('office')!.get('/api/surveys?pageSize=1')).body.items[0];
    await expectIndexed('office', `/api/surveys/${survey.id}/results`, 'survey_response');
    for (const user of ['admin', 'secadmin']) {
      for (const p of [
        '/api/approvals?pageSize=1',
        '/api/approvals?pageSize=1&mine=1',
        '/api/approvals?pageSize=1&kind=create_user',
        '/api/approvals?pageSize=1&status=pending',
        '/api/approvals?pageSize=1&status=expired',
        '/api/approvals?pageSize=1&status=approved',
      ]) {
        await expectIndexed(user, p, 'approval_request');
      }
    }
  });

  it('rectification ledger: default order, every filter and every scope; the public ledger', async () => {
    const hsq = unit.get('HSQ')!;
    const category = await s.deps.db.selectFrom('problem_category').select('id').where('campaign_id', '=', 'campaign-1').where('code', '=', 'P1').executeTakeFirstOrThrow();
    const parent = await s.deps.db.selectFrom('rectification_item').select('id').where('child_count', '>', 0).executeTakeFirstOrThrow();
    const base = '/api/rectification/items?campaignId=campaign-1&pageSize=1';
    const paths = [
      base,
      `${base}&page=3`,
      `${base}&state=done`,
      `${base}&state=signed_off`,
      `${base}&orgUnitId=${hsq}`,
      `${base}&categoryId=${category.id}`,
      `${base}&source=opinion`,
      `${base}&list=project`,
      `${base}&parentId=${parent.id}`,
      `${base}&q=${encodeURIComponent('整治')}`,
    ];
    for (const p of paths) await expectIndexed('office', p, 'rectification_item');
    // Open states past or before the deadline: two status ranges, their matches sorted.
    for (const st of ['overdue', 'not_started', 'in_progress']) {
      await expectIndexed('office', `${base}&state=${st}`, 'rectification_item', { sortsMatches: true });
    }
    // A unit's and an officer's items are found through their units (or person) and sorted.
    for (const user of ['unitadmin', 'officer']) {
      for (const p of paths) await expectIndexed(user, p, 'rectification_item', { sortsMatches: true });
    }
    await expectIndexed('office', '/api/public/rectification?pageSize=1', 'rectification_item');
    await expectIndexed('office', '/api/public/rectification?pageSize=1&page=2', 'rectification_item');
  });

  it('self-check reports: who has not signed (people order) and the signed reports (newest first)', async () => {
    const hsq = unit.get('HSQ')!;
    for (const p of ['/api/self-checks/missing?campaignId=campaign-1&pageSize=1', `/api/self-checks/missing?campaignId=campaign-1&pageSize=1&orgUnitId=${hsq}`]) {
      await expectIndexed('office', p, 'person');
      await expectIndexed('unitadmin', p, 'person');
    }
    await expectIndexed('office', '/api/self-checks?campaignId=campaign-1&pageSize=1', 'self_check_report');
    await expectIndexed('office', '/api/self-checks?campaignId=campaign-1&pageSize=1&page=5', 'self_check_report');
    await expectIndexed('office', '/api/self-checks?campaignId=campaign-1&pageSize=1&declared=1', 'self_check_report');
    await expectIndexed('office', `/api/self-checks?campaignId=campaign-1&pageSize=1&orgUnitId=${hsq}`, 'self_check_report', { sortsMatches: true });
  });

  it('talks (a round, latest first; one unit; who has not talked) and life meetings', async () => {
    const round = await s.deps.db.selectFrom('talk_round').select('id').where('round', '=', 1).executeTakeFirstOrThrow();
    const hsq = unit.get('HSQ')!;
    await expectIndexed('office', `/api/talks?roundId=${round.id}&pageSize=1`, 'talk');
    await expectIndexed('office', `/api/talks?roundId=${round.id}&pageSize=1&page=30`, 'talk');
    await expectIndexed('office', `/api/talks?roundId=${round.id}&pageSize=1&orgUnitId=${hsq}`, 'talk');
    await expectIndexed('unitadmin', `/api/talks?roundId=${round.id}&pageSize=1`, 'talk', { sortsMatches: true });
    for (const user of ['office', 'unitadmin']) {
      await expectIndexed(user, `/api/talks/missing?roundId=${round.id}&pageSize=1`, 'person');
    }
    await expectIndexed('office', '/api/life-meetings?campaignId=campaign-1&pageSize=1', 'life_meeting');
  });

  it('为民服务: measures by group and unit, workstations, enterprises, service records latest first and by each filter', async () => {
    const hsq = unit.get('HSQ')!;
    for (const p of ['', '&group=convenience', `&orgUnitId=${hsq}`, '&page=3']) await expectIndexed('office', `/api/service/measures?pageSize=1${p}`, 'service_measure');
    await expectIndexed('unitadmin', '/api/service/measures?pageSize=1', 'service_measure', { sortsMatches: true });
    await expectIndexed('office', '/api/service/workstations?pageSize=1', 'legal_workstation');
    await expectIndexed('office', `/api/service/workstations?pageSize=1&orgUnitId=${hsq}`, 'legal_workstation');
    await expectIndexed('office', '/api/service/enterprises?pageSize=1&page=20', 'enterprise');
    await expectIndexed('office', `/api/service/enterprises?pageSize=1&orgUnitId=${hsq}`, 'enterprise');
    const ws = await s.deps.db.selectFrom('legal_workstation').select('id').orderBy('name').executeTakeFirstOrThrow();
    for (const p of ['', '&page=40', `&workstationId=${ws.id}`, `&countyId=${hsq}`, '&kind=health_check']) {
      await expectIndexed('office', `/api/service/records?pageSize=1${p}`, 'enterprise_service');
    }
    await expectIndexed('unitadmin', '/api/service/records?pageSize=1', 'enterprise_service', { sortsMatches: true });
  });

  it('1155: villages by county, pairings newest first and by each filter, services and visits latest first', async () => {
    const hsq = unit.get('HSQ')!;
    for (const p of ['', '&page=20', `&countyUnitId=${hsq}`]) await expectIndexed('office', `/api/village/villages?pageSize=1${p}`, 'village');
    const p1 = await s.deps.db.selectFrom('village_pairing').select(['id', 'cadre_person_id']).orderBy('id').executeTakeFirstOrThrow();
    for (const p of ['', '&page=20', `&countyUnitId=${hsq}`, '&status=active', `&cadrePersonId=${p1.cadre_person_id}`]) {
      await expectIndexed('office', `/api/village/pairings?pageSize=1${p}`, 'village_pairing');
    }
    await expectIndexed('unitadmin', '/api/village/pairings?pageSize=1', 'village_pairing', { sortsMatches: true });
    for (const p of ['', '&page=40', `&pairingId=${p1.id}`, '&type=visit', '&year=2026']) {
      await expectIndexed('office', `/api/village/records?pageSize=1${p}`, 'village_record');
    }
    await expectIndexed('unitadmin', '/api/village/records?pageSize=1', 'village_record', { sortsMatches: true });
    await expectIndexed('officer', '/api/village/records?pageSize=1', 'village_record', { sortsMatches: true });
  });

  it('clues: newest first, by stage and by source', async () => {
    for (const p of ['', '&stage=closed', '&source=tip_off', '&page=2']) {
      await expectIndexed('cluehandler', `/api/clues?campaignId=campaign-1&pageSize=1${p}`, 'clue');
    }
  });

  it('数据排查: hits newest first (by status, rule, both; still found), snapshots by register, runs', async () => {
    for (const p of ['', '&status=open', '&rule=enterprise_holding', '&rule=kin_avoidance&status=open', '&status=open&present=1', '&page=2']) {
      await expectIndexed('cluehandler', `/api/screening/hits?pageSize=1${p}`, 'screening_hit');
    }
    for (const p of ['', '&kind=staff', '&page=2']) await expectIndexed('cluehandler', `/api/screening/snapshots?pageSize=1${p}`, 'screening_snapshot');
    await expectIndexed('cluehandler', '/api/screening/runs?pageSize=1', 'screening_run');
  });

  it('“三个规定” records latest first (by quarter, by regulation), one’s own, who has not reported; policies and who has not read one', async () => {
    for (const p of ['', '&period=2021Q2', '&category=contact', '&page=3']) {
      await expectIndexed('office', `/api/interference/records?pageSize=1${p}`, 'interference_record');
    }
    await expectIndexed('officer', '/api/interference/mine/records?pageSize=1', 'interference_record');
    for (const user of ['office', 'unitadmin']) await expectIndexed(user, '/api/interference/missing?period=2021Q2&pageSize=1', 'person');
    for (const p of ['', '&category=correction', '&page=2']) await expectIndexed('officer', `/api/policies?pageSize=1${p}`, 'policy_document');
    const policy = await s.deps.db.selectFrom('policy_document').select('id').where('title', '=', '社区矫正工作规范').executeTakeFirstOrThrow();
    await expectIndexed('office', `/api/policies/${policy.id}/missing?pageSize=1`, 'person');
  });

  it('告知承诺 (latest first, by item, unit, status; the sampling queue by due date; the dishonesty list) and 案件受理 (latest first, by status, unit, overdue)', async () => {
    const hsq = unit.get('HSQ')!;
    const item = await s.deps.db.selectFrom('cert_item').select('id').where('name', '=', '亲属关系公证').executeTakeFirstOrThrow();
    for (const p of ['', '&page=5', `&itemId=${item.id}`, `&orgUnitId=${hsq}`, '&verifyStatus=true', '&queue=1', '&overdue=1']) {
      await expectIndexed('office', `/api/commitments?pageSize=1${p}`, 'cert_commitment');
    }
    await expectIndexed('unitadmin', '/api/commitments?pageSize=1', 'cert_commitment', { sortsMatches: true });
    await expectIndexed('office', '/api/commitments/export', 'cert_commitment');
    for (const p of ['', '&active=1']) await expectIndexed('office', `/api/commitments/dishonesty?pageSize=1${p}`, 'cert_dishonesty');
    for (const kind of [['reconsiderations', 'reconsideration_case', 'decided'], ['mediations', 'mediation_case', 'closed']] as const) {
      for (const p of ['', '&page=3', `&status=${kind[2]}`, `&orgUnitId=${hsq}`, '&overdue=1', '&from=2021-03-01&to=2021-06-30']) {
        await expectIndexed('office', `/api/cases/${kind[0]}?pageSize=1${p}`, kind[1]);
      }
      await expectIndexed('unitadmin', `/api/cases/${kind[0]}?pageSize=1`, kind[1], { sortsMatches: true });
    }
  });

  it('study: activities latest first (by mode, by unit, by dates; a county’s own) and the shares feed newest first', async () => {
    const hsq = unit.get('HSQ')!;
    const office = as.get('office')!;
    // Rows enough for a full page of one and a count, in the demo campaign.
    for (const [i, mode] of ['lecture', 'self_study', 'lecture'].entries()) {
      const r = await office.post('/api/study/activities', {
        mode, title: `列表测试学习活动${i}`, campaignId: 'campaign-1', startsAt: `2021-04-0${i + 1}T01:00:00Z`, endsAt: `2021-04-0${i + 1}T02:00:00Z`,
        orgUnitId: hsq, hours: 1, targetUnitIds: [hsq],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    const shares: string[] = [];
    for (const i of [0, 1, 2]) {
      const r = await as.get('officer')!.post('/api/study/shares', { kind: 'text', category: 'feeling', title: `列表测试分享${i}`, body: '学习感悟', campaignId: 'campaign-1' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      shares.push(r.body.id);
    }
    for (const id of shares.slice(0, 2)) expect((await office.post(`/api/study/shares/${id}/hide`)).status).toBe(200);
    const base = '/api/study/activities?campaignId=campaign-1&pageSize=1';
    for (const p of ['', '&page=2', '&mode=lecture', `&orgUnitId=${hsq}`, '&from=2021-04-01&to=2021-04-30', '&mode=lecture&from=2021-04-01']) {
      await expectIndexed('office', `${base}${p}`, 'study_activity');
    }
    for (const p of ['', '&mode=lecture']) await expectIndexed('unitadmin', `${base}${p}`, 'study_activity', { sortsMatches: true });
    const feed = '/api/study/shares?campaignId=campaign-1&pageSize=1';
    for (const user of ['office', 'unitadmin', 'officer']) await expectIndexed(user, feed, 'study_share');
    await expectIndexed('office', `${feed}&page=2`, 'study_share');
    await expectIndexed('office', `${feed}&date=${new Date().toISOString().slice(0, 10)}`, 'study_share');
    await expectIndexed('office', `${feed}&status=hidden`, 'study_share');
    for (const user of ['office', 'officer']) await expectIndexed(user, `${feed}&category=feeling`, 'study_share');
    await expectIndexed('officer', '/api/study/my/reviews?pageSize=1', 'study_review');
    await expectIndexed('unitadmin', `${feed}&status=hidden`, 'study_share', { sortsMatches: true });
  });

  it('question bank: a topic’s questions by type, difficulty and id, filtered by type, difficulty and status; its export', async () => {
    const office = as.get('office')!;
    const topic = await office.post('/api/study/topics', { campaignId: 'campaign-1', title: '列表测试题库专题' });
    expect(topic.status, JSON.stringify(topic.body)).toBe(201);
    const topicId = topic.body.id;
    const options = [{ key: 'A', text: '甲' }, { key: 'B', text: '乙' }];
    const ids: string[] = [];
    for (const [i, body] of [
      { type: 'single', options, answer: 'A' }, { type: 'single', options, answer: 'B' }, { type: 'single', options, answer: 'A', difficulty: 1 },
      { type: 'judge', answer: true }, { type: 'judge', answer: false },
    ].entries()) {
      const r = await office.post('/api/study/questions', { topicId, stem: `列表测试试题${i}`, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids.push(r.body.id);
    }
    for (const id of ids.slice(3)) expect((await office.post(`/api/study/questions/${id}/retire`)).status).toBe(200);
    const base = `/api/study/questions?topicId=${topicId}&pageSize=1`;
    for (const p of ['', '&page=2', '&type=single', '&type=single&difficulty=2', '&difficulty=2', '&status=retired', '&status=retired&type=judge']) {
      for (const user of ['office', 'unitadmin']) await expectIndexed(user, `${base}${p}`, 'question');
    }
    await expectIndexed('office', `/api/study/questions/export?topicId=${topicId}`, 'question');
    await expectIndexed('office', `/api/study/questions/export?topicId=${topicId}&type=single`, 'question');
  });

  it('exams: newest first (a topic’s), one exam’s results by person (by status; a county’s own), the wrong-answer book, topic results and the assessment in the people list’s order', async () => {
    const office = as.get('office')!;
    const exams = (await office.get('/api/study/exams?pageSize=50')).body.items as { id: string; topicId: string; kind: string }[];
    const online = exams.find((e) => e.kind === 'online_objective' && e.id)!;
    for (const p of ['', '&page=2', `&topicId=${online.topicId}`]) await expectIndexed('office', `/api/study/exams?pageSize=1${p}`, 'exam');
    const results = `/api/study/exams/${online.id}/results?pageSize=1`;
    for (const p of ['', '&page=3', '&status=graded']) await expectIndexed('office', `${results}${p}`, 'exam_attempt');
    for (const p of ['', '&status=graded']) await expectIndexed('unitadmin', `${results}${p}`, 'exam_attempt', { sortsMatches: true });
    await expectIndexed('officer', '/api/study/my/wrong-answers?pageSize=1', 'wrong_answer');
    for (const user of ['office', 'unitadmin']) {
      for (const p of ['', '&missing=1']) await expectIndexed(user, `/api/study/exams/${online.id}/expected?pageSize=1${p}`, 'person', { sortsMatches: true });
    }
    for (const user of ['office', 'unitadmin']) {
      await expectIndexed(user, `/api/study/topics/${online.topicId}/results?pageSize=1`, 'person');
      await expectIndexed(user, '/api/study/assessment?pageSize=1&year=2021', 'person');
    }
    // The assessment page's graded attempts are read by its people (exam_attempt_person_status), not
    // by status alone: that would walk every graded attempt there is (SQLite, without statistics).
    const assessed = (await office.get('/api/study/assessment?pageSize=20&year=2021')).body as { items: { personId: string; topics: { topicId: string }[] }[] };
    expect(assessed.items.length).toBe(20);
    expect(assessed.items[0]!.topics.length).toBeGreaterThan(0);
    const attempts = topicAttemptsQuery(s.deps.db, assessed.items.map((p) => p.personId), assessed.items[0]!.topics.map((t) => t.topicId)).compile();
    const attemptsPlan = await planOf(s, { list: 'assessment', step: 'rows', query: attempts }, 'exam_attempt');
    const attemptsWhere = `assessment attempts:\n${attempts.sql}\n${attemptsPlan.text}`;
    expect(attemptsPlan.searchesMain, attemptsWhere).toBe(true);
    for (const cond of attemptsPlan.mainConds) expect(cond, attemptsWhere).toMatch(/person_id/);
  });

  it('caps an expensive count and says so; an unfiltered count stays exact', async () => {
    const office = as.get('office')!;
    const all = (await office.get('/api/people?pageSize=1')).body;
    expect(all.total).toBeGreaterThan(800);
    listSettings.countCap = 5;
    try {
      const searched = await office.get(`/api/people?pageSize=2&q=${encodeURIComponent('王')}`);
      expect(searched.status).toBe(200);
      expect(searched.body.items).toHaveLength(2);
      expect(searched.body).toMatchObject({ total: 5, totalCapped: true });
      // Within the cap the count is exact and not flagged.
      const few = await office.get(`/api/people?pageSize=2&q=${encodeURIComponent('王')}&orgUnitId=${unit.get('HSQ-01')}&includeSub=0`);
      expect(few.body.total).toBeLessThanOrEqual(5);
      expect(few.body.totalCapped).toBeUndefined();
      // Index-only counts are never capped.
      const exact = await office.get('/api/people?pageSize=2');
      expect(exact.body).toEqual({ ...exact.body, total: all.total });
      expect(exact.body.totalCapped).toBeUndefined();
      const logs = await as.get('auditor')!.get('/api/audit-logs?pageSize=1&action=login');
      expect(logs.body).toMatchObject({ total: 5, totalCapped: true });
    } finally {
      listSettings.countCap = 10_000;
    }
  });

  it('unfiltered totals of people, opinions and logs come from counters the triggers keep exact', async () => {
    const admin = as.get('admin')!;
    const made = await admin.post('/api/people', { name: '计数甲', orgUnitId: unit.get('HSQ-01') });
    expect(made.status).toBe(201);
    expect((await admin.delete(`/api/people/${made.body.id}`)).status).toBe(200);
    await s.deps.db.deleteFrom('login_log').where('username', '=', 'nobody').execute();
    // An opinion filed by staff and one by a citizen; then one removed by hand (an operator's SQL).
    const filed = await as.get('office')!.post('/api/opinions', { channel: 'hotline', content: '计数用的意见，来电反映', identity: 'anonymous' });
    expect(filed.status).toBe(201);
    const submitted = await s.client().post('/api/public/opinions', { category: 'notary_service', content: '计数用的群众意见，网上提交', identity: 'anonymous' });
    expect(submitted.status).toBe(201);
    await s.deps.db.deleteFrom('opinion_adoption').where('opinion_id', '=', filed.body.id).execute();
    await s.deps.db.deleteFrom('opinion_event').where('opinion_id', '=', filed.body.id).execute();
    await s.deps.db.deleteFrom('opinion').where('id', '=', filed.body.id).execute();
    for (const table of ['person', 'audit_log', 'login_log', 'opinion'] as const) {
      const counted = await s.deps.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      const kept = await s.deps.db.selectFrom('list_total').select('n').where('table_name', '=', table).executeTakeFirstOrThrow();
      expect(Number(kept.n), table).toBe(Number(counted.n));
    }
    const people = await s.deps.db.selectFrom('person').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect((await as.get('office')!.get('/api/people?pageSize=1')).body.total).toBe(Number(people.n));
    // The kept total is read in the page's own statement: no count statement at all.
    const events = await captured(() => as.get('office')!.get('/api/people?pageSize=1'));
    expect(events.find((e) => e.step === 'rows')?.query.sql).toMatch(/list_total/);
    expect(events.filter((e) => e.step === 'count')).toEqual([]);
    const opinions = await s.deps.db.selectFrom('opinion').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect((await as.get('office')!.get('/api/opinions?pageSize=1')).body.total).toBe(Number(opinions.n));
    const opinionEvents = await captured(() => as.get('office')!.get('/api/opinions?pageSize=1'));
    expect(opinionEvents.find((e) => e.step === 'rows')?.query.sql).toMatch(/list_total/);
    expect(opinionEvents.filter((e) => e.step === 'count')).toEqual([]);
    // Its items carry no trace of it.
    const page = await as.get('office')!.get('/api/opinions?pageSize=1');
    expect(Object.keys(page.body.items[0])).not.toContain('list_total_n');
    const people1 = await as.get('office')!.get('/api/people?pageSize=1');
    expect(Object.keys(people1.body.items[0])).not.toContain('list_total_n');
    const audit = await as.get('auditor')!.get('/api/audit-logs?pageSize=1');
    expect(audit.status).toBe(200);
    expect(audit.body.total).toBe(Number((await s.deps.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n));
    expect(Object.keys(audit.body.items[0])).not.toContain('list_total_n');
    // Straight from the helper, rows as the database gives them: the ridden-along total is not one of their columns.
    const raw = await listPage(s.deps.db, {
      name: 'raw-people',
      from: s.deps.db.selectFrom('person'),
      id: 'person.id',
      order: [['person.sort_key', 'asc'], ['person.name', 'asc'], ['person.id', 'asc']],
      rows: (ids) => s.deps.db.selectFrom('person').select(['person.id', 'person.name']).where('person.id', 'in', ids),
      count: 'exact',
      page: 1,
      pageSize: 2,
    });
    expect(raw.items.map((r) => Object.keys(r))).toEqual([['id', 'name'], ['id', 'name']]);
    expect(raw.total).toBe(Number(people.n));
  });

  it('pages through equal names exactly once, by id', async () => {
    const admin = as.get('admin')!;
    const office01 = unit.get('HSQ-02')!;
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await admin.post('/api/people', { name: '同名列表', orgUnitId: office01 });
      expect(r.status).toBe(201);
      made.push(r.body.id);
    }
    const seen: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const r = await admin.get(`/api/people?q=${encodeURIComponent('同名列表')}&pageSize=2&page=${page}`);
      expect(r.body.total).toBe(7);
      seen.push(...r.body.items.map((p: { id: string }) => p.id));
    }
    expect(seen).toEqual([...made].sort());
  });

  it('keeps the people order users know (unit tree, then name) after org moves and renames', async () => {
    const admin = as.get('admin')!;
    const db = s.deps.db;
    /** Everyone under a unit, as the list pages them. */
    const listed = async (unitId: string) => {
      const out: string[] = [];
      for (let page = 1; ; page++) {
        const r = await admin.get(`/api/people?orgUnitId=${unitId}&pageSize=200&page=${page}`);
        expect(r.status).toBe(200);
        out.push(...r.body.items.map((p: { id: string }) => p.id));
        if (out.length >= r.body.total) return out;
      }
    };
    /** The same people ordered as the list always meant: by the unit's path, then name, then id. */
    const expected = async (unitId: string) => {
      const top = await db.selectFrom('org_unit').select('path').where('id', '=', unitId).executeTakeFirstOrThrow();
      const rows = await db
        .selectFrom('person')
        .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
        .select(['person.id', 'org_unit.path', 'person.name'])
        .where('org_unit.path', 'like', `${top.path}%`)
        .execute();
      // Compared in JS by code point, as both databases order these columns.
      const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      return rows.sort((a, b) => cmp(a.path, b.path) || cmp(a.name, b.name) || cmp(a.id, b.id)).map((r) => r.id);
    };
    const city = unit.get('CFSJ')!;
    expect(await listed(city)).toEqual(await expected(city));

    // Move a 司法所 (and its people) from 红山区 to 宁城县, rename a county, move a person.
    const moved = unit.get('HSQ-01')!;
    expect((await admin.patch(`/api/org-units/${moved}`, { parentId: unit.get('NCX') })).status).toBe(200);
    expect((await admin.patch(`/api/org-units/${unit.get('NCX')}`, { name: '宁城县司法局（改名）' })).status).toBe(200);
    const someone = await db.selectFrom('person').select('id').where('org_unit_id', '=', unit.get('HSQ-03')!).executeTakeFirstOrThrow();
    expect((await admin.patch(`/api/people/${someone.id}`, { orgUnitId: unit.get('NCX') })).status).toBe(200);

    expect(await listed(city)).toEqual(await expected(city));
    const ncx = await listed(unit.get('NCX')!);
    expect(ncx).toEqual(await expected(unit.get('NCX')!));
    expect(ncx).toContain(someone.id);
    const movedPeople = await db.selectFrom('person').select('id').where('org_unit_id', '=', moved).execute();
    expect(movedPeople.length).toBeGreaterThan(0);
    for (const p of movedPeople) expect(ncx).toContain(p.id);
    expect(await listed(unit.get('HSQ')!)).toEqual(await expected(unit.get('HSQ')!));
  });
});
