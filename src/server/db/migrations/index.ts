import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import { opinionsMigration } from './0002_opinions.js';
import * as m0003 from './0003_hardening.js';
import { listIndexesMigration } from './0004_list_indexes.js';
import * as m0005 from './0005_opinion_search.js';
import * as m0006 from './0006_webp.js';
import { listTotalsMigration } from './0007_list_totals.js';
import { personTermsMigration } from './0008_person_terms.js';
import { opinionTotalMigration } from './0009_opinion_total.js';
import * as m0010 from './0010_rectification.js';
import * as m0011 from './0011_self_checks.js';
import * as m0012 from './0012_talks_meetings.js';
import * as m0013 from './0013_clues.js';
import * as m0014 from './0014_study.js';
import * as m0015 from './0015_audio_types.js';
import * as m0016 from './0016_service.js';
import * as m0017 from './0017_village1155.js';
import * as m0018 from './0018_commitments_cases.js';
import * as m0019 from './0019_interference_policies.js';
import * as m0020 from './0020_study_list_indexes.js';
import { selfCheckTotalsMigration } from './0021_self_check_totals.js';
import * as m0022 from './0022_screening.js';
import * as m0023 from './0023_screening_scans.js';

// Listed statically so the same list runs from TypeScript (tests) and compiled JS (npm start).
// A migration that must differ per dialect receives it through its module's own check.
export function migrations(dialect: 'sqlite' | 'postgres'): Record<string, Migration> {
  return {
    '0001_foundation': m0001,
    '0002_opinions': opinionsMigration(dialect),
    '0003_hardening': m0003,
    '0004_list_indexes': listIndexesMigration(dialect),
    '0005_opinion_search': m0005,
    '0006_webp': m0006,
    '0007_list_totals': listTotalsMigration(dialect),
    '0008_person_terms': personTermsMigration(dialect),
    '0009_opinion_total': opinionTotalMigration(dialect),
    '0010_rectification': m0010,
    '0011_self_checks': m0011,
    '0012_talks_meetings': m0012,
    '0013_clues': m0013,
    '0014_study': m0014,
    '0015_audio_types': m0015,
    '0016_service': m0016,
    '0017_village1155': m0017,
    '0018_commitments_cases': m0018,
    '0019_interference_policies': m0019,
    '0020_study_list_indexes': m0020,
    '0021_self_check_totals': selfCheckTotalsMigration(dialect),
    '0022_screening': m0022,
    '0023_screening_scans': m0023,
  };
}
