import { hasAllScope } from '../../platform/access.js';
import type { Actor, Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, assertUnitWritable, peopleInScope, unitWritable } from '../../platform/access.js';
import { newId } from '../../platform/ids.js';
import { badRequest, notFound } from '../../platform/errors.js';
import type { SymposiumAttendeeTable, SymposiumTable } from '../../db/types.js';
import { enabledCodes } from '../dict/queries.js';
import { auditView, insertOpinion, type CreatedOpinion } from '../opinions/commands.js';
import { campaignForNewRecord } from '../campaigns/queries.js';
import type {
  AttendeeInput, SymposiumInput, SymposiumOpinionInput, SymposiumPatch,
} from '../../../shared/schemas/symposiums.js';

export const SYMPOSIUM_SCOPE = { unit: 'symposium.org_unit_id' };

const missing = () => notFound('座谈会不存在或不在您的数据范围内');

/**
 * Attendee rows; internal attendees must be people the caller may see (else their name and unit
 * would be copied into the meeting for anyone reading it), and carry their name and unit as of today.
 */
async function attendeeRows(trx: Trx, actor: Actor, symposiumId: string, input: AttendeeInput[]): Promise<SymposiumAttendeeTable[]> {
  const internal = input.map((a, i) => ({ a, i })).filter(({ a }) => a.kind === 'internal');
  const byId = await peopleInScope(trx, actor, internal.map(({ a }) => a.personId!), (k) => ({
    text: `参会干警：第 ${internal[k]!.i + 1} 位参会人员不存在或不在您的数据范围内`,
    field: `attendees.${internal[k]!.i}.personId`,
  }));
  const seen = new Set<string>();
  return input.map((a, i) => {
    if (a.kind === 'internal') {
      const p = byId.get(a.personId!)!;
      if (seen.has(p.id)) throw badRequest(`参会干警：第 ${i + 1} 位参会人员“${p.name}”重复`, `attendees.${i}.personId`);
      seen.add(p.id);
      return { id: newId(), symposium_id: symposiumId, kind: 'internal', person_id: p.id, name: p.name, organization: p.unit_name };
    }
    return { id: newId(), symposium_id: symposiumId, kind: 'external', person_id: null, name: a.name!, organization: a.organization || null };
  });
}

function attendeeSummary(rows: SymposiumAttendeeTable[]) {
  return {
    internal: rows.filter((r) => r.kind === 'internal').length,
    external: rows.filter((r) => r.kind === 'external').length,
    personIds: rows.filter((r) => r.person_id).map((r) => r.person_id),
  };
}

/** Opinions raised at the meeting, checked before anything is written so a bad one names its place in the list. */
async function checkOpinions(trx: Trx, opinions: SymposiumOpinionInput[]) {
  if (!opinions.some((o) => o.category)) return;
  const codes = new Set((await enabledCodes(trx, 'opinion_category')).map((c) => c.code));
  opinions.forEach((o, i) => {
    if (o.category && !codes.has(o.category)) throw badRequest(`意见类别：第 ${i + 1} 条意见的类别不在字典中`, `opinions.${i}.category`);
  });
}

/** The opinions of a meeting are received on the day it was held (noon in Shanghai), never in the future. */
function receivedAt(ctx: Ctx, heldOn: string): string {
  const noon = new Date(`${heldOn}T04:00:00Z`);
  const now = ctx.now();
  return (noon < now ? noon : now).toISOString();
}

async function insertOpinions(
  trx: Trx,
  ctx: Ctx,
  actor: Actor,
  s: Pick<SymposiumTable, 'id' | 'held_on' | 'campaign_id' | 'org_unit_id'>,
  opinions: SymposiumOpinionInput[],
) {
  await checkOpinions(trx, opinions);
  const created: (CreatedOpinion & { audit: ReturnType<typeof auditView> })[] = [];
  for (const o of opinions) {
    const c = await insertOpinion(trx, ctx, {
      channel: 'symposium',
      symposiumId: s.id,
      campaignId: s.campaign_id,
      category: o.category || null,
      content: o.content,
      identity: o.identity,
      name: o.identity === 'named' ? o.name : null,
      phone: o.identity === 'named' ? o.phone || null : null,
      submittedAt: receivedAt(ctx, s.held_on),
      enteredBy: actor.userId,
      // A county's or 司法所's own symposium: its opinions stay in that unit's scope until triage.
      ownerUnitId: hasAllScope(actor) ? null : s.org_unit_id,
    });
    // The audit keeps ids and categories, never the speaker's name or phone.
    created.push({ ...c, audit: auditView({ ...c, channel: 'symposium', identity: o.identity, category: o.category }) });
  }
  return created;
}

export async function createSymposium(ctx: Ctx, input: SymposiumInput) {
  const actor = requirePermission(ctx, 'symposiums:write');
  if (!(await ctx.db.selectFrom('org_unit').select('id').where('id', '=', input.orgUnitId).executeTakeFirst())) {
    throw badRequest('组织单位：不存在', 'orgUnitId');
  }
  await assertUnitWritable(ctx.db, actor, input.orgUnitId, '所选单位');
  const campaignId = await campaignForNewRecord(ctx, input.campaignId, input.heldOn);
  return runCommand(ctx, { action: 'create', entityType: 'symposium' }, async (trx) => {
    const now = ctx.now().toISOString();
    const row: SymposiumTable = {
      id: newId(),
      campaign_id: campaignId,
      title: input.title,
      held_on: input.heldOn,
      host: input.host,
      location: input.location || null,
      org_unit_id: input.orgUnitId,
      summary: input.summary || null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('symposium').values(row).execute();
    const attendees = await attendeeRows(trx, actor, row.id, input.attendees);
    await trx.insertInto('symposium_attendee').values(attendees).execute();
    const opinions = await insertOpinions(trx, ctx, actor, row, input.opinions ?? []);
    return {
      result: { id: row.id, opinions: opinions.map((o) => ({ id: o.id, publicNo: o.publicNo, receiptCode: o.receiptCode })) },
      entityId: row.id,
      after: {
        title: row.title,
        heldOn: row.held_on,
        orgUnitId: row.org_unit_id,
        campaignId: row.campaign_id,
        attendees: attendeeSummary(attendees),
        opinions: opinions.map((o) => o.audit),
      },
    };
  });
}

/** A symposium the actor may change: in their scope (else 404, as if it did not exist) and of a unit they write. */
async function writableSymposium(ctx: Ctx, trx: Trx, actor: Actor, id: string): Promise<SymposiumTable> {
  const row = await applyScope(trx.selectFrom('symposium').selectAll(), actor, SYMPOSIUM_SCOPE)
    .where('symposium.id', '=', id)
    .executeTakeFirst();
  if (!row || !(await unitWritable(trx, actor, row.org_unit_id))) throw missing();
  return row;
}

export async function updateSymposium(ctx: Ctx, id: string, patch: SymposiumPatch) {
  const actor = requirePermission(ctx, 'symposiums:write');
  return runCommand(ctx, { action: 'update', entityType: 'symposium' }, async (trx) => {
    const before = await writableSymposium(ctx, trx, actor, id);
    const set: Partial<SymposiumTable> = {
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.heldOn !== undefined ? { held_on: patch.heldOn } : {}),
      ...(patch.host !== undefined ? { host: patch.host } : {}),
      ...(patch.location !== undefined ? { location: patch.location || null } : {}),
      ...(patch.summary !== undefined ? { summary: patch.summary || null } : {}),
      updated_at: ctx.now().toISOString(),
    };
    await trx.updateTable('symposium').set(set).where('id', '=', id).execute();
    let attendees: ReturnType<typeof attendeeSummary> | undefined;
    let attendeesBefore: ReturnType<typeof attendeeSummary> | undefined;
    if (patch.attendees) {
      attendeesBefore = attendeeSummary(
        await trx.selectFrom('symposium_attendee').selectAll().where('symposium_id', '=', id).execute(),
      );
      const rows = await attendeeRows(trx, actor, id, patch.attendees);
      await trx.deleteFrom('symposium_attendee').where('symposium_id', '=', id).execute();
      await trx.insertInto('symposium_attendee').values(rows).execute();
      attendees = attendeeSummary(rows);
    }
    const { summary: _s, ...beforeView } = before;
    const { summary: _a, ...afterView } = { ...before, ...set };
    return {
      result: { id },
      entityId: id,
      // The minutes can be long; the audit records that they changed, not their text.
      before: { ...beforeView, ...(attendeesBefore ? { attendees: attendeesBefore } : {}) },
      after: {
        ...afterView,
        ...(patch.summary !== undefined ? { summaryChanged: true } : {}),
        ...(attendees ? { attendees } : {}),
      },
    };
  });
}

export async function addSymposiumOpinions(ctx: Ctx, id: string, opinions: SymposiumOpinionInput[]) {
  const actor = requirePermission(ctx, 'symposiums:write');
  return runCommand(ctx, { action: 'update', entityType: 'symposium' }, async (trx) => {
    const s = await writableSymposium(ctx, trx, actor, id);
    const created = await insertOpinions(trx, ctx, actor, s, opinions);
    await trx.updateTable('symposium').set({ updated_at: ctx.now().toISOString() }).where('id', '=', id).execute();
    return {
      result: { opinions: created.map((o) => ({ id: o.id, publicNo: o.publicNo, receiptCode: o.receiptCode })) },
      entityId: id,
      after: { opinionsAdded: created.map((o) => o.audit) },
    };
  });
}
