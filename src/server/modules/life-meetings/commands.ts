import type { Ctx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { assertUnitWritable, peopleInScope, type ScopeColumns } from '../../platform/access.js';
import { badRequest } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { LifeMeetingTable } from '../../db/types.js';
import { PROBLEM_KINDS, type LifeMeetingInput } from '../../../shared/schemas/talks.js';
import { insertItem } from '../rectification/commands.js';

// 民主生活会: the meeting, who attended, and the problems raised (self-criticism, criticism, problems
// found). Each problem becomes a ledger item in the same transaction (source 民主生活会), with its
// measures and deadline, so "every problem got a rectification plan with a deadline" is a fact of the data.

export const LIFE_MEETING_SCOPE: ScopeColumns = { unit: 'life_meeting.org_unit_id' };

export async function createLifeMeeting(ctx: Ctx, input: LifeMeetingInput) {
  const actor = requirePermission(ctx, 'lifemeetings:write');
  return runCommand(ctx, { action: 'create', entityType: 'life_meeting' }, async (trx) => {
    const campaign = await trx.selectFrom('campaign').select('id').where('id', '=', input.campaignId).executeTakeFirst();
    if (!campaign) throw badRequest('教育整顿批次：不存在', 'campaignId');
    await assertUnitWritable(trx, actor, input.orgUnitId, '召开单位');
    const attendees = [...new Set(input.attendeePersonIds)];
    await peopleInScope(trx, actor, attendees, (i) => ({ text: `参会人员：第 ${i + 1} 人不存在或不在您的数据范围内`, field: `attendeePersonIds.${i}` }));
    const now = ctx.now().toISOString();
    const row: LifeMeetingTable = {
      id: newId(), campaign_id: input.campaignId, org_unit_id: input.orgUnitId, title: input.title, held_on: input.heldOn, host: input.host,
      location: input.location || null, summary: input.summary || null, created_by: actor.userId, created_at: now, updated_at: now,
    };
    await trx.insertInto('life_meeting').values(row).execute();
    await trx.insertInto('life_meeting_attendee').values(attendees.map((p) => ({ meeting_id: row.id, person_id: p }))).execute();
    const items: string[] = [];
    for (const [k, p] of input.problems.entries()) {
      if (p.personId) {
        await peopleInScope(trx, actor, [p.personId], () => ({ text: '问题所涉人员：不存在或不在您的数据范围内', field: `problems.${k}.personId` }));
      }
      const problemId = newId();
      const unitId = p.orgUnitId || input.orgUnitId;
      if (p.deadline && p.deadline < input.heldOn) throw badRequest('完成时限：不能早于会议日期', `problems.${k}.deadline`);
      const item = await insertItem(trx, ctx, actor, {
        campaignId: input.campaignId, list: 'ledger', parentId: null, source: 'life_meeting', sourceRef: problemId, categoryId: null,
        title: `${PROBLEM_KINDS[p.kind]}：${p.description.replace(/[，。；,.;].*$/s, '').slice(0, 24)}`.slice(0, 100),
        description: p.description, measures: p.measures || null, goal: null, orgUnitId: unitId, responsiblePersonId: p.personId || null,
        mode: p.deadline ? 'deadline' : 'concurrent', startDate: input.heldOn, deadline: p.deadline || null, isPublic: false, weight: 1,
      }).catch((e: { field?: string }) => {
        // Name the problem the ledger refused (its unit or person), not a field of the ledger form.
        if (e && typeof e === 'object' && 'field' in e && e.field) (e as { field: string }).field = `problems.${k}.${e.field}`;
        throw e;
      });
      await trx
        .insertInto('life_meeting_problem')
        .values({ id: problemId, meeting_id: row.id, kind: p.kind, person_id: p.personId || null, description: p.description, item_id: item.id, created_at: now })
        .execute();
      items.push(item.id);
    }
    return { result: { id: row.id, itemIds: items }, entityId: row.id, after: { ...row, attendees: attendees.length, problems: items.length } };
  });
}
