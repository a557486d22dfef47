import type { Kysely } from 'kysely';

// 学习教育 "九学": activities in nine modes with expected participants and attendance (hours in tenths
// of an hour, so sums stay exact on both dialects), shares with plays and likes, reviews after major
// events, roving supervision of party organisations, commendations; and the exams: topics, question
// banks, papers (fixed or by rules), online attempts and offline scores, the wrong-answer book.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('study_topic')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaign.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('starts_on', 'text')
    .addColumn('ends_on', 'text')
    // A topic's result: online × weight + offline × weight, in percent of each exam's full marks.
    .addColumn('online_weight', 'integer', (c) => c.notNull())
    .addColumn('offline_weight', 'integer', (c) => c.notNull())
    .addColumn('pass_score', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('study_topic_order').on('study_topic').columns(['campaign_id', 'starts_on', 'id']).execute();

  await db.schema
    .createTable('study_series')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaign.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull()) // HH:MM, Asia/Shanghai
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('rota', 'text', (c) => c.notNull()) // JSON array of person ids, in speaking order
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('study_activity')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaign.id'))
    .addColumn('topic_id', 'text', (c) => c.references('study_topic.id'))
    .addColumn('series_id', 'text', (c) => c.references('study_series.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('held_on', 'text', (c) => c.notNull()) // Shanghai calendar date of starts_at
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('place', 'text')
    // The organising unit: whose record it is (data scope).
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('party_org_id', 'text', (c) => c.references('party_org.id'))
    .addColumn('speaker', 'text')
    .addColumn('speaker_person_id', 'text', (c) => c.references('person.id'))
    .addColumn('summary', 'text')
    .addColumn('links', 'text', (c) => c.notNull()) // JSON [{title, url, kind}]
    .addColumn('hours_tenths', 'integer', (c) => c.notNull())
    // Seed of the rotating check-in code shown as a QR at the session; never leaves the server.
    .addColumn('checkin_secret', 'text', (c) => c.notNull())
    .addColumn('expected_count', 'integer', (c) => c.notNull())
    .addColumn('attended_count', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('study_activity_order').on('study_activity').columns(['campaign_id', 'held_on', 'id']).execute();
  await db.schema.createIndex('study_activity_mode').on('study_activity').columns(['campaign_id', 'mode', 'held_on', 'id']).execute();
  await db.schema.createIndex('study_activity_unit').on('study_activity').columns(['campaign_id', 'org_unit_id', 'held_on', 'id']).execute();
  await db.schema.createIndex('study_activity_topic').on('study_activity').columns(['topic_id', 'held_on']).execute();

  // Who is expected: the people of whole units (and below), or named people.
  await db.schema
    .createTable('study_activity_target')
    .addColumn('activity_id', 'text', (c) => c.notNull().references('study_activity.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // unit | person
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('study_activity_target_pk', ['activity_id', 'kind', 'target_id'])
    .execute();

  await db.schema
    .createTable('study_attendance')
    .addColumn('activity_id', 'text', (c) => c.notNull().references('study_activity.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('person.id'))
    .addColumn('method', 'text', (c) => c.notNull()) // qr | list
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .addColumn('held_on', 'text', (c) => c.notNull()) // the activity's date: the archive's order and year
    .addColumn('hours_tenths', 'integer', (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .addPrimaryKeyConstraint('study_attendance_pk', ['activity_id', 'person_id'])
    .execute();
  await db.schema.createIndex('study_attendance_person').on('study_attendance').columns(['person_id', 'held_on', 'activity_id']).execute();

  await db.schema
    .createTable('study_review')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('activity_id', 'text', (c) => c.notNull().references('study_activity.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('person.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('study_review_once', ['activity_id', 'person_id'])
    .execute();
  await db.schema.createIndex('study_review_activity').on('study_review').columns(['activity_id', 'submitted_at', 'id']).execute();
  await db.schema.createIndex('study_review_person').on('study_review').columns(['person_id', 'submitted_at', 'id']).execute();

  await db.schema
    .createTable('study_share')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaign.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // text | audio
    .addColumn('category', 'text', (c) => c.notNull()) // reading | red_story | feeling | other
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('audio_file_id', 'text')
    .addColumn('author_person_id', 'text', (c) => c.notNull().references('person.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('published_on', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // published | hidden
    .addColumn('plays', 'integer', (c) => c.notNull())
    .addColumn('likes', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('study_share_feed').on('study_share').columns(['campaign_id', 'status', 'published_at', 'id']).execute();
  await db.schema.createIndex('study_share_category').on('study_share').columns(['campaign_id', 'status', 'category', 'published_at', 'id']).execute();
  await db.schema.createIndex('study_share_author').on('study_share').columns(['author_person_id', 'published_at']).execute();
  await db.schema
    .createTable('study_share_like')
    .addColumn('share_id', 'text', (c) => c.notNull().references('study_share.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('person.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('study_share_like_pk', ['share_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('supervision_visit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaign.id'))
    .addColumn('party_org_id', 'text', (c) => c.notNull().references('party_org.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('visited_on', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('follow_up', 'text')
    .addColumn('follow_up_due', 'text')
    .addColumn('follow_up_done_on', 'text')
    .addColumn('follow_up_result', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervision_visit_order').on('supervision_visit').columns(['campaign_id', 'visited_on', 'id']).execute();
  await db.schema.createIndex('supervision_visit_party').on('supervision_visit').columns(['campaign_id', 'party_org_id']).execute();

  await db.schema
    .createTable('commendation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.references('campaign.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // party_org | person
    .addColumn('party_org_id', 'text', (c) => c.references('party_org.id'))
    .addColumn('person_id', 'text', (c) => c.references('person.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('title', 'text', (c) => c.notNull()) // 先进基层党组织, 优秀共产党员 ...
    .addColumn('conferred_by', 'text', (c) => c.notNull())
    .addColumn('conferred_on', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('commendation_order').on('commendation').columns(['conferred_on', 'id']).execute();

  // --- exams ---
  await db.schema
    .createTable('question')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('topic_id', 'text', (c) => c.notNull().references('study_topic.id'))
    .addColumn('type', 'text', (c) => c.notNull()) // single | multiple | judge | blank | essay
    .addColumn('difficulty', 'integer', (c) => c.notNull()) // 1 easy, 2 medium, 3 hard
    .addColumn('stem', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull()) // JSON [{key, text}]
    .addColumn('answer', 'text', (c) => c.notNull()) // JSON, by type
    .addColumn('explanation', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // active | retired
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('question_bank').on('question').columns(['topic_id', 'status', 'type', 'difficulty', 'id']).execute();
  await db.schema.createIndex('question_order').on('question').columns(['topic_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('exam')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('topic_id', 'text', (c) => c.notNull().references('study_topic.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // online_objective | offline_subjective
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('opens_at', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer')
    .addColumn('full_score', 'integer', (c) => c.notNull())
    .addColumn('pass_score', 'integer', (c) => c.notNull())
    .addColumn('paper_mode', 'text') // fixed | random (online only)
    .addColumn('rules', 'text', (c) => c.notNull()) // JSON [{type, difficulty?, count, points}]
    .addColumn('shuffle_questions', 'integer', (c) => c.notNull())
    .addColumn('shuffle_options', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // draft | published
    .addColumn('expected_count', 'integer', (c) => c.notNull())
    // Kept with every attempt's change, in the same transaction: the list's city-wide figures
    // without reading the attempts (a scoped viewer's figures count their own people's attempts).
    .addColumn('attempts_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('submitted_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('graded_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('passed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('score_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exam_order').on('exam').columns(['opens_at', 'id']).execute();
  await db.schema.createIndex('exam_topic').on('exam').columns(['topic_id', 'opens_at', 'id']).execute();

  await db.schema
    .createTable('exam_target')
    .addColumn('exam_id', 'text', (c) => c.notNull().references('exam.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // unit | person
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('exam_target_pk', ['exam_id', 'kind', 'target_id'])
    .execute();

  // A fixed paper's questions, in order.
  await db.schema
    .createTable('exam_question')
    .addColumn('exam_id', 'text', (c) => c.notNull().references('exam.id'))
    .addColumn('question_id', 'text', (c) => c.notNull().references('question.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('exam_question_pk', ['exam_id', 'question_id'])
    .execute();

  await db.schema
    .createTable('exam_attempt')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exam_id', 'text', (c) => c.notNull().references('exam.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('person.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    // online: the paper as drawn for this person [{q, points, order}]; offline: []
    .addColumn('paper', 'text', (c) => c.notNull())
    .addColumn('answers', 'text', (c) => c.notNull()) // JSON {questionId: answer}
    .addColumn('marks', 'text', (c) => c.notNull()) // JSON {questionId: points awarded}
    .addColumn('started_at', 'text')
    .addColumn('deadline_at', 'text')
    .addColumn('saved_at', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // in_progress | submitted (awaits essay marking) | graded
    .addColumn('auto_score', 'integer', (c) => c.notNull()) // tenths of a point, exact
    .addColumn('score', 'integer') // tenths of a point once graded
    .addColumn('passed', 'integer')
    .addColumn('tab_switches', 'integer', (c) => c.notNull())
    .addColumn('graded_by', 'text')
    .addColumn('graded_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('exam_attempt_once', ['exam_id', 'person_id'])
    .execute();
  await db.schema.createIndex('exam_attempt_list').on('exam_attempt').columns(['exam_id', 'status', 'person_id']).execute();
  await db.schema.createIndex('exam_attempt_person').on('exam_attempt').columns(['person_id', 'exam_id']).execute();
  await db.schema.createIndex('exam_attempt_deadline').on('exam_attempt').columns(['status', 'deadline_at']).execute();

  // 错题本: one row per person and question they got wrong, kept at grading.
  await db.schema
    .createTable('wrong_answer')
    .addColumn('person_id', 'text', (c) => c.notNull().references('person.id'))
    .addColumn('question_id', 'text', (c) => c.notNull().references('question.id'))
    .addColumn('exam_id', 'text', (c) => c.notNull().references('exam.id'))
    .addColumn('answer', 'text', (c) => c.notNull()) // the person's wrong answer, JSON
    .addColumn('times', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('wrong_answer_pk', ['person_id', 'question_id'])
    .execute();
  await db.schema.createIndex('wrong_answer_order').on('wrong_answer').columns(['person_id', 'last_at', 'question_id']).execute();

  // 年度考评: the formula per year, as the office set it.
  await db.schema
    .createTable('study_assessment_rule')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'study_assessment_rule', 'wrong_answer', 'exam_attempt', 'exam_question', 'exam_target', 'exam', 'question', 'commendation',
    'supervision_visit', 'study_share_like', 'study_share', 'study_review', 'study_attendance', 'study_activity_target',
    'study_activity', 'study_series', 'study_topic',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
