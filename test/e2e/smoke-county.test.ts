import { smokeSuite } from './smoke.js';

// A county's unit admin and an officer, whose 403 page is checked too (smoke.ts says what is checked).
smokeSuite('smoke-county', ['unitadmin', 'officer']);
