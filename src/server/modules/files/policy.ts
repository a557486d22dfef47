import type { Ctx } from '../../platform/context.js';

// Who may read an attachment besides its uploader is decided by the module owning the record it is
// attached to (an opinion, a clue…). Modules register their rule when their routes are set up.

export type FilePolicy = (ctx: Ctx, ownerId: string) => Promise<boolean>;

interface Registered {
  allow: FilePolicy;
  /** Reads through this rule are audited (attachments of restricted records such as clues). */
  auditReads: boolean;
}

const policies = new Map<string, Registered>();

export function registerFilePolicy(ownerType: string, allow: FilePolicy, opts: { auditReads?: boolean } = {}): void {
  policies.set(ownerType, { allow, auditReads: Boolean(opts.auditReads) });
}

export function filePolicy(ownerType: string): Registered | undefined {
  return policies.get(ownerType);
}

/**
 * How the caller may read an attachment: 'uploader', 'policy' (an owner rule said yes), or null.
 * A policy that throws counts as no: an attachment is never revealed by accident.
 */
export async function readAccess(
  ctx: Ctx,
  row: { uploaded_by: string | null; owner_type: string | null; owner_id: string | null },
): Promise<'uploader' | 'policy' | null> {
  const actor = ctx.actor;
  if (!actor) return null;
  if (row.uploaded_by && row.uploaded_by === actor.userId) return 'uploader';
  if (!row.owner_type || !row.owner_id) return null;
  const p = policies.get(row.owner_type);
  if (!p) return null;
  try {
    return (await p.allow(ctx, row.owner_id)) ? 'policy' : null;
  } catch {
    return null;
  }
}
