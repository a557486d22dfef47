import { sql } from 'kysely';
import type { AuditLogTable } from '../db/types.js';
import type { Dialect } from '../db/index.js';
import { SYSTEM_ACTOR_NAME, type CommandOutcome, type Ctx, type Trx } from './context.js';
import { entryHash, type AuditInput } from './audit.js';
import { scrubSnapshots } from './protect.js';
import { isDatabaseUnavailable } from './dberrors.js';
import { AppError } from './errors.js';

// Group commit: commands that arrive while the database is busy committing wait and are then run
// together in ONE transaction, each with its own audit entry (and savepoint, see below), and each caller
// is answered only after that transaction has committed. A durable commit (an fsync: WAL +
// synchronous=FULL on SQLite, the WAL flush on PostgreSQL) is the dominant cost of a small command;
// sharing it among the waiting commands raises throughput many times without acknowledging
// anything that is not on disk. Use it for a hot path of small, independent commands (public
// intake); everything else uses runCommand().
//
// Failure handling:
//  - a command that throws is rolled back to its savepoint and answered with its error; the others
//    in the batch go on (a refusal, a duplicate, a rate limit sink no one else);
//  - a command may instead say when it starts writing (`writesAfterChecks`, then `writing()`): it runs
//    without a savepoint, and a refusal before that point has nothing to roll back. A savepoint costs
//    two round trips per command on PostgreSQL (public submissions in-process: ~700 → ~780/s without);
//    on SQLite it makes FTS5 write out its pending index data each time, with no net gain measured.
//    A throw after `writing()`, or a failed statement at any point, rolls the whole batch back and
//    runs it again with a savepoint per command, as above (and so do the next batches for a while,
//    so a flood of late refusals costs no more than savepoints did);
//  - if the batch as a whole fails (commit refused, an error that aborts the transaction), nothing
//    of it was committed and nobody was answered yet: each command is run again alone, so a poison
//    command fails only itself. When the database is unreachable every caller gets that error at once.

export interface GroupOptions {
  /** Most commands in one transaction. */
  maxBatch?: number;
  /**
   * Batches in flight at once. SQLite: 1 (one connection, one writer). PostgreSQL: 4 by default, the
   * waiting commands shared among them, so their round trips overlap on several connections; the
   * audit head (locked at the end of each batch) still orders the batches. Measured in-process with
   * 50 submissions in flight: 1 → 108/s, 4 → 133–147/s, 8 → 90/s (more connections, more contention).
   */
  concurrency?: number;
}

/** Handed to a command's body; see `writesAfterChecks`. */
export interface GroupItemControl {
  /** Called before the command's first write: from here a throw must undo what it wrote. */
  writing(): void;
}

interface Item {
  ctx: Ctx;
  meta: { action: string; entityType: string };
  body: (trx: Trx, control: GroupItemControl) => Promise<CommandOutcome<unknown>>;
  /** Runs without a savepoint unless the batch takes one per command (see above). */
  writesAfterChecks: boolean;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** A command that wrote and then threw, in a batch without savepoints: the batch must run again with them. */
class NeedsSavepoints extends Error {
  constructor() {
    super('group commit: a command failed after writing; running the batch again with savepoints');
  }
}

/** Batches that take a savepoint per command after one had to be run again for a late failure. */
const SAVEPOINT_BATCHES_AFTER_LATE_FAILURE = 100;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

class GroupCommitter {
  private queue: Item[] = [];
  private running = 0;
  private scheduled = false;
  /** Figures for tests and the benchmark: batches committed and the commands in them. */
  readonly stats = { batches: 0, items: 0, largest: 0, reruns: 0, savepointReruns: 0 };
  /** Batches still to take a savepoint per command whatever their commands say. */
  private savepointBatches = 0;

  constructor(
    private readonly ctxOf: Pick<Ctx, 'db' | 'dialect'>,
    private readonly maxBatch: number,
    private readonly concurrency: number,
  ) {}

  submit(item: Item) {
    this.queue.push(item);
    // Start on the next turn of the event loop, not now: requests parsed in the same turn join.
    if (!this.scheduled && this.running < this.concurrency) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.pump();
      });
    }
  }

  private pump() {
    while (this.running < this.concurrency && this.queue.length) {
      // Waiting commands are shared among the free slots (PostgreSQL: their round trips overlap on
      // several connections instead of queueing on one).
      const share = Math.ceil(this.queue.length / (this.concurrency - this.running));
      const batch = this.queue.splice(0, Math.min(this.maxBatch, share));
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        // Everything that arrived while this batch committed forms the next one.
        this.pump();
      });
    }
  }

  private async run(batch: Item[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      const savepoints = this.savepointBatches > 0;
      if (savepoints) this.savepointBatches--;
      try {
        outcomes = await this.transact(batch, savepoints);
      } catch (err) {
        if (!(err instanceof NeedsSavepoints)) throw err;
        // Nothing was committed: once more, each command in its own savepoint.
        this.stats.savepointReruns++;
        this.savepointBatches = SAVEPOINT_BATCHES_AFTER_LATE_FAILURE;
        outcomes = await this.transact(batch, true);
      }
    } catch (err) {
      if (batch.length > 1 && !isDatabaseUnavailable(err)) {
        // Nothing was committed: find the culprit by running each alone.
        this.stats.reruns++;
        for (const item of batch) await this.run([item]);
        return;
      }
      for (const item of batch) item.reject(err);
      return;
    }
    this.stats.batches++;
    this.stats.items += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);
    batch.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.error);
    });
  }

  /** One transaction for the batch; resolves only once it has committed. */
  private async transact(batch: Item[], savepoints: boolean): Promise<Outcome[]> {
    const alone = batch.length === 1;
    return this.ctxOf.db.transaction().execute(async (trx) => {
      const outcomes: Outcome[] = [];
      const audits: { at: string; input: AuditInput }[] = [];
      for (const item of batch) {
        // A batch of one needs no savepoint: its error rolls the whole transaction back, as runCommand does.
        const savepoint = !alone && (savepoints || !item.writesAfterChecks);
        let wrote = false;
        const control: GroupItemControl = {
          writing: () => {
            wrote = true;
          },
        };
        if (savepoint) await sql`savepoint group_item`.execute(trx);
        try {
          const out = await item.body(trx, control);
          if (savepoint) await sql`release savepoint group_item`.execute(trx);
          outcomes.push({ ok: true, value: out.result });
          audits.push({ at: item.ctx.now().toISOString(), input: auditInput(item, out) });
        } catch (err) {
          if (alone) throw err;
          if (!savepoint) {
            // Refused before writing: nothing to undo. Its writes, or a failed statement (which on
            // PostgreSQL aborts the transaction, and on SQLite may end it), cannot be undone alone.
            if (wrote || fromDatabase(err)) throw new NeedsSavepoints();
            outcomes.push({ ok: false, error: err });
            continue;
          }
          // If the error already ended the transaction (SQLite does so on a full disk, for one),
          // this throws and the batch is re-run item by item.
          await sql`rollback to savepoint group_item`.execute(trx);
          await sql`release savepoint group_item`.execute(trx);
          outcomes.push({ ok: false, error: err });
        }
      }
      await appendAuditBatch(trx, this.ctxOf.dialect, audits);
      return outcomes;
    });
  }
}

/** An error the database raised (SQLite and PostgreSQL errors carry a code; our refusals are AppErrors). */
function fromDatabase(err: unknown): boolean {
  return !(err instanceof AppError) && typeof (err as { code?: unknown } | null)?.code === 'string';
}

function auditInput(item: Item, out: CommandOutcome<unknown>): AuditInput {
  const { ctx } = item;
  return {
    actorId: ctx.actor?.userId ?? null,
    actorName: ctx.actor ? `${ctx.actor.displayName}(${ctx.actor.username})` : SYSTEM_ACTOR_NAME,
    ip: ctx.ip,
    action: item.meta.action,
    entityType: item.meta.entityType,
    entityId: out.entityId,
    before: out.before,
    after: out.after,
  };
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/**
 * The batch's audit entries, chained in order: the same rows appendAudit() writes one by one, with
 * one read and one update of the head. The head is locked last (as runCommand does), so batches of
 * several processes queue on it only for this step and never deadlock with the items' own locks.
 */
async function appendAuditBatch(trx: Trx, dialect: Dialect, entries: { at: string; input: AuditInput }[]) {
  if (!entries.length) return;
  let q = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  if (dialect === 'postgres') q = q.forUpdate();
  const head = await q.executeTakeFirstOrThrow();
  let seq = Number(head.seq);
  let prev = head.hash;
  const rows: AuditLogTable[] = entries.map(({ at, input }) => {
    seq += 1;
    const scrubbed = scrubSnapshots(input.before, input.after);
    const row: Omit<AuditLogTable, 'hash'> = {
      seq, at, actor_id: input.actorId, actor_name: input.actorName, ip: input.ip, action: input.action,
      entity_type: input.entityType, entity_id: input.entityId, before_json: json(scrubbed.before),
      after_json: json(scrubbed.after), prev_hash: prev,
    };
    prev = entryHash(row);
    return { ...row, hash: prev };
  });
  // 11 parameters a row: chunks stay far below SQLite's 32,766-parameter limit.
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto('audit_log').values(rows.slice(i, i + 500)).execute();
  await trx.updateTable('audit_head').set({ seq, hash: prev }).where('id', '=', 1).execute();
}

const committers = new WeakMap<object, GroupCommitter>();

function committerFor(ctx: Ctx, opts: GroupOptions): GroupCommitter {
  // One per open database (tests hold several in one process).
  let c = committers.get(ctx.database);
  if (!c) {
    const concurrency = ctx.dialect === 'sqlite' ? 1 : Math.max(1, opts.concurrency ?? 4);
    c = new GroupCommitter({ db: ctx.db, dialect: ctx.dialect }, Math.max(1, opts.maxBatch ?? 200), concurrency);
    committers.set(ctx.database, c);
  }
  return c;
}

/**
 * runCommand()'s twin for hot paths: the same contract (the body's changes and its audit entry are
 * saved together or not at all; the promise settles after the commit) but the transaction is shared
 * with other commands waiting at the same moment. The body must use only `trx` (never ctx.db: on
 * SQLite the one connection is held by the batch) and must not depend on running alone.
 */
export function runGrouped<T>(
  ctx: Ctx,
  meta: { action: string; entityType: string },
  body: (trx: Trx, control: GroupItemControl) => Promise<CommandOutcome<T>>,
  opts: GroupOptions & {
    /**
     * The body reads and checks first and calls control.writing() before its first write: it then
     * runs without a savepoint of its own (see the top of this file). Without it every command in
     * a batch gets a savepoint.
     */
    writesAfterChecks?: boolean;
  } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    committerFor(ctx, opts).submit({
      ctx, meta, body, writesAfterChecks: opts.writesAfterChecks ?? false, resolve: resolve as (v: unknown) => void, reject,
    });
  });
}

/** Batches committed so far on this database, for tests and benchmarks. */
export function groupCommitStats(ctx: Pick<Ctx, 'database'>) {
  return committers.get(ctx.database)?.stats ?? { batches: 0, items: 0, largest: 0, reruns: 0, savepointReruns: 0 };
}
