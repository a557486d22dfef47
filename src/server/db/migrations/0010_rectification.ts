import type { Kysely } from 'kysely';

// 查纠整改, first part: the problem catalogue per campaign ("7+2" and the seven disciplines) and the
// rectification ledger (整治台账 and 项目清单 in one table, told apart by `list`) with progress
// reports and the public's ratings of published items.
//
// Indexes follow platform/list.ts: the default order is (campaign, list, parent, seq); each filter
// sits between the equalities and seq, so a filtered page is one index range read in order.
// `parent_key` is parent_id or '' so top-level items are an equality, and (campaign, list,
// parent_key, seq) is unique — two writers numbering at once on PostgreSQL cannot both win.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('problem_category')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaign.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('problem_category_code', ['campaign_id', 'code'])
    .execute();
  await db.schema.createIndex('problem_category_order').on('problem_category').columns(['campaign_id', 'sort', 'id']).execute();

  await db.schema
    .createTable('rectification_item')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaign.id'))
    .addColumn('list', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('rectification_item.id'))
    .addColumn('parent_key', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('child_count', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text')
    .addColumn('category_id', 'text', (c) => c.references('problem_category.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('measures', 'text')
    .addColumn('goal', 'text')
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('responsible_person_id', 'text', (c) => c.references('person.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text')
    .addColumn('deadline', 'text')
    .addColumn('is_public', 'integer', (c) => c.notNull())
    .addColumn('weight', 'real', (c) => c.notNull())
    // Leaves: the latest report's percentage; items with sub-items: the weighted mean of theirs.
    .addColumn('progress', 'real', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('signed_off_at', 'text')
    .addColumn('signed_off_by', 'text')
    .addColumn('sign_off_note', 'text')
    // The Asia/Shanghai day the responsible unit was last told the item is overdue (the daily job).
    .addColumn('overdue_noticed_on', 'text')
    .addColumn('rating_count', 'integer', (c) => c.notNull())
    .addColumn('rating_sum', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  const item = (name: string, columns: string[], unique = false) => {
    let b = db.schema.createIndex(name).on('rectification_item').columns(columns);
    if (unique) b = b.unique();
    return b.execute();
  };
  await item('rectification_item_order', ['campaign_id', 'list', 'parent_key', 'seq'], true);
  await item('rectification_item_status', ['campaign_id', 'list', 'parent_key', 'status', 'seq']);
  await item('rectification_item_unit', ['campaign_id', 'list', 'parent_key', 'org_unit_id', 'seq']);
  await item('rectification_item_category', ['campaign_id', 'list', 'parent_key', 'category_id', 'seq']);
  await item('rectification_item_source', ['campaign_id', 'list', 'parent_key', 'source', 'seq']);
  // The item an opinion (or a clue, a life meeting…) became.
  await item('rectification_item_source_ref', ['source', 'source_ref']);
  // The daily overdue check: open items by deadline.
  await item('rectification_item_due', ['status', 'deadline']);
  // The public ledger, newest first.
  await item('rectification_item_public', ['is_public', 'parent_key', 'created_at', 'id']);
  await item('rectification_item_parent', ['parent_id']);

  await db.schema
    .createTable('rectification_progress')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('rectification_item.id'))
    .addColumn('percent', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('evidence_count', 'integer', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rectification_progress_item').on('rectification_progress').columns(['item_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('rectification_rating')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('rectification_item.id'))
    .addColumn('rating', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    // Keyed digest of the rater's address: one rating per address and item, the address itself never kept.
    .addColumn('rater_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('rectification_rating_once', ['item_id', 'rater_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rectification_rating').ifExists().execute();
  await db.schema.dropTable('rectification_progress').ifExists().execute();
  await db.schema.dropTable('rectification_item').ifExists().execute();
  await db.schema.dropTable('problem_category').ifExists().execute();
}
