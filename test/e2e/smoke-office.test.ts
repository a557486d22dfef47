import { smokeSuite } from './smoke.js';

// 整顿办, who sees the most pages (smoke.ts says what is checked).
smokeSuite('smoke-office', ['office']);
