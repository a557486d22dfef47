// Every module's headline figures, registered in one place for the CLI, /api/stats and the dashboard.
import './stats/figures.js';
import './opinions/figures.js';
import './rectification/figures.js';
import './self-checks/figures.js';
import './talks/figures.js';
import './life-meetings/figures.js';
import './clues/figures.js';
import './exams/figures.js';
import './study/figures.js';
import './service/figures.js';
import './village/figures.js';
import './commitments/figures.js';
import './interference/figures.js';
import './screening/figures.js';
