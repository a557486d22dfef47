// Chinese labels for the codes the system pages show, and the helpers to show them. Unknown codes
// fall back to the raw code so a new action or entity type from a later module is still readable.
// No zod-bearing schema is imported here (each page imports the label list it needs), so a page that
// only needs these helpers does not load the schema library.

import { DATA_SCOPES, PERMISSIONS } from '../../../../shared/permissions.js';
import { CAMPAIGN_STATUS } from '../../../../shared/schemas/campaign-status.js';
import { system } from '../../i18n/index.js';

export const CAMPAIGN_STATUS_LABELS: Record<string, string> = { ...CAMPAIGN_STATUS };
export const CAMPAIGN_STATUS_COLORS: Record<string, string> = { planned: 'default', active: 'processing', closed: 'success' };

export const PERMISSION_GROUP_LABELS: Record<string, string> = system.codes.permissionGroups;

export function label(map: Record<string, string>, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return map[code] ?? code;
}

export const dataScopeLabel = (code: string | null | undefined) => label(DATA_SCOPES as Record<string, string>, code);
export const permissionLabel = (code: string) => (PERMISSIONS as Record<string, string>)[code] ?? code;

export function permissionGroup(code: string): string {
  const i = code.indexOf(':');
  return i < 0 ? code : code.slice(0, i);
}

/** Options for a Select from a label map. */
export function optionsOf(map: Record<string, string>) {
  return Object.entries(map).map(([value, text]) => ({ value, label: text }));
}
