// A privileged change the server filed for approval (HTTP 202) instead of making it. The notice that
// says so is PendingApprovalModal (loaded when it is first shown).
export { isPendingApproval } from '../../../../shared/schemas/approvals.js';
export type { PendingApproval } from '../../../../shared/schemas/approvals.js';
