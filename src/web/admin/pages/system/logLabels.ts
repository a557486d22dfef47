// Labels of the logs' codes (audit actions, entity types, login failures). The shared schemas hold the
// server's own labels (also used in Excel exports); they win. system.codes covers codes other modules
// write that the shared lists do not name yet.
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES, LOGIN_FAILURE_REASONS } from '../../../../shared/schemas/logs.js';
import { system } from '../../i18n/index.js';

const more = system.codes;
// Spread twice: the shared actions come first in filter lists, and their labels win.
export const ACTION_LABELS: Record<string, string> = { ...AUDIT_ACTIONS, ...more.actions, ...AUDIT_ACTIONS };
export const ENTITY_LABELS: Record<string, string> = { ...AUDIT_ENTITY_TYPES, ...more.entities, ...AUDIT_ENTITY_TYPES };
export const LOGIN_REASON_LABELS: Record<string, string> = { ...more.loginReasons, ...LOGIN_FAILURE_REASONS };
