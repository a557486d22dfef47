import { expect, it } from 'vitest';
import { routesNobodyOpens, smokeSuite } from './smoke.js';

// The login page, and the three separated duties and the clue handler (smoke.ts says what is checked).
smokeSuite('smoke-admin', ['admin', 'secadmin', 'auditor', 'cluehandler'], { login: true });

it('every staff route is one some demo user may open, so one of the smoke files opens it', () => {
  expect(routesNobodyOpens()).toEqual([]);
});
