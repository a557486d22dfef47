import type { Kysely } from 'kysely';

// 谈心谈话 (rounds per campaign; each talk with its talker, talkees, reason, topics, summary and
// follow-ups) and 民主生活会 (the meeting, its attendees, and the problems raised, each of which becomes
// a ledger item). Coverage per round reads talk_participant by (round, person).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('talk_round')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaign.id'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text')
    .addColumn('end_date', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('talk_round_number', ['campaign_id', 'round'])
    .execute();

  await db.schema
    .createTable('talk')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('talk_round.id'))
    .addColumn('talker_person_id', 'text', (c) => c.notNull().references('person.id'))
    // The talker's unit: whose record it is (data scope).
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('held_on', 'text', (c) => c.notNull())
    .addColumn('reason', 'text') // a 六个必谈 case, or null for a routine talk
    .addColumn('topics', 'text', (c) => c.notNull()) // JSON array of 八谈 codes
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('follow_up', 'text')
    .addColumn('talkee_count', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('talk_round_order').on('talk').columns(['round_id', 'held_on', 'id']).execute();
  await db.schema.createIndex('talk_unit_order').on('talk').columns(['round_id', 'org_unit_id', 'held_on', 'id']).execute();

  await db.schema
    .createTable('talk_participant')
    .addColumn('talk_id', 'text', (c) => c.notNull().references('talk.id'))
    .addColumn('round_id', 'text', (c) => c.notNull().references('talk_round.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('person.id'))
    .addColumn('role', 'text', (c) => c.notNull()) // talker | talkee
    .addPrimaryKeyConstraint('talk_participant_pk', ['talk_id', 'person_id'])
    .execute();
  // "Has this person talked in this round?": one index probe per person.
  await db.schema.createIndex('talk_participant_round_person').on('talk_participant').columns(['round_id', 'person_id']).execute();
  await db.schema.createIndex('talk_participant_person').on('talk_participant').columns(['person_id', 'round_id']).execute();

  await db.schema
    .createTable('life_meeting')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaign.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('held_on', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('summary', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('life_meeting_order').on('life_meeting').columns(['campaign_id', 'held_on', 'id']).execute();
  await db.schema
    .createTable('life_meeting_attendee')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('life_meeting.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('person.id'))
    .addPrimaryKeyConstraint('life_meeting_attendee_pk', ['meeting_id', 'person_id'])
    .execute();
  await db.schema
    .createTable('life_meeting_problem')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('life_meeting.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // self_criticism | criticism | found
    .addColumn('person_id', 'text', (c) => c.references('person.id')) // whose problem, when one person's
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.references('rectification_item.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('life_meeting_problem_meeting').on('life_meeting_problem').columns(['meeting_id', 'created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['life_meeting_problem', 'life_meeting_attendee', 'life_meeting', 'talk_participant', 'talk', 'talk_round']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
