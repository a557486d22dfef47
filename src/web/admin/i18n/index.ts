// Every UI string of the staff app is reachable from here: one table per module, in Chinese.
//
//   import { common, people } from '../../i18n/index.js';
//
// A page imports the tables it shows; the bundler keeps each table with the pages that use it, so
// the login page carries only `common` and `shell`. An English or Mongolian locale follows by giving
// each table a sibling with the same keys and choosing between them here.
export { common } from './common.js';
export { imports } from './imports.js';
export { shell } from './shell.js';
export { home } from './home.js';
export { org } from './org.js';
export { people } from './people.js';
export { system } from './system.js';
export { opinions } from './opinions.js';
export { rectification } from './rectification.js';
export { selfChecks } from './selfChecks.js';
export { clues } from './clues.js';
export { screening } from './screening.js';
export { talks } from './talks.js';
export { service } from './service.js';
export { commitments } from './commitments.js';
export { cases } from './cases.js';
export { village } from './village.js';
export { interference } from './interference.js';
export { policies } from './policies.js';
export { exams } from './exams.js';
export { study } from './study.js';
