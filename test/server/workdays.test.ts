import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, targets, type TestDb } from '../support/db.js';
import {
  addWorkdays, addWorkdaysYmd, calendarFrom, CALENDAR_DICTIONARIES, CN_2026_HOLIDAYS, CN_2026_MAKEUP_WORKDAYS, EMPTY_CALENDAR,
  isWorkday, loadCalendar, workdaysBetween,
} from '../../src/server/platform/workdays.js';

const CN2026 = calendarFrom(CN_2026_HOLIDAYS.map(([d]) => d), CN_2026_MAKEUP_WORKDAYS.map(([d]) => d));
const dow = (ymd: string) => new Date(`${ymd}T00:00:00Z`).getUTCDay();

describe('working days (Asia/Shanghai)', () => {
  it('skips weekends; the deadline is 23:59:59 Beijing of the last working day', () => {
    // Friday 27 Nov 2026, 10:00 Beijing.
    expect(addWorkdays('2026-11-27T02:00:00.000Z', 1, EMPTY_CALENDAR)).toBe('2026-11-30T15:59:59.000Z');
    expect(addWorkdays('2026-11-27T02:00:00.000Z', 2, EMPTY_CALENDAR)).toBe('2026-12-01T15:59:59.000Z');
    // Saturday and Sunday starts count from Monday.
    expect(addWorkdaysYmd('2026-11-28T02:00:00.000Z', 1, EMPTY_CALENDAR)).toBe('2026-11-30');
    expect(addWorkdaysYmd('2026-11-29T02:00:00.000Z', 1, EMPTY_CALENDAR)).toBe('2026-11-30');
  });

  it('takes the date in Beijing, not in UTC', () => {
    // 17:00 UTC Thursday is 01:00 Friday in Beijing: one working day later is Monday.
    expect(addWorkdaysYmd('2026-11-26T17:00:00.000Z', 1, EMPTY_CALENDAR)).toBe('2026-11-30');
    expect(addWorkdaysYmd('2026-11-26T15:59:59.000Z', 1, EMPTY_CALENDAR)).toBe('2026-11-27');
  });

  it('crosses a month and a year', () => {
    expect(addWorkdaysYmd('2026-11-27T02:00:00.000Z', 5, EMPTY_CALENDAR)).toBe('2026-12-04');
    expect(addWorkdaysYmd('2026-01-30T02:00:00.000Z', 1, EMPTY_CALENDAR)).toBe('2026-02-02');
    // New Year 2026: 1–3 Jan off, Sunday 4 Jan worked.
    expect(addWorkdaysYmd('2025-12-31T02:00:00.000Z', 1, CN2026)).toBe('2026-01-04');
    expect(addWorkdaysYmd('2025-12-31T02:00:00.000Z', 2, CN2026)).toBe('2026-01-05');
  });

  it('skips holidays and counts make-up working days', () => {
    // National Day: 1–7 Oct off.
    expect(addWorkdays('2026-09-30T02:00:00.000Z', 1, CN2026)).toBe('2026-10-08T15:59:59.000Z');
    // Saturday 10 Oct is a make-up working day.
    expect(addWorkdaysYmd('2026-10-09T02:00:00.000Z', 1, CN2026)).toBe('2026-10-10');
    expect(addWorkdaysYmd('2026-10-09T02:00:00.000Z', 2, CN2026)).toBe('2026-10-12');
    // Spring Festival: Saturday 14 Feb worked, 15–23 Feb off.
    expect(addWorkdaysYmd('2026-02-13T02:00:00.000Z', 1, CN2026)).toBe('2026-02-14');
    expect(addWorkdaysYmd('2026-02-13T02:00:00.000Z', 2, CN2026)).toBe('2026-02-24');
    // Without the calendar the same dates fall differently.
    expect(addWorkdaysYmd('2026-09-30T02:00:00.000Z', 1, EMPTY_CALENDAR)).toBe('2026-10-01');
  });

  it('answers isWorkday and counts working days between dates', () => {
    expect(isWorkday('2026-11-27', EMPTY_CALENDAR)).toBe(true);
    expect(isWorkday('2026-11-28', EMPTY_CALENDAR)).toBe(false);
    expect(isWorkday('2026-10-01', CN2026)).toBe(false);
    expect(isWorkday('2026-10-10', CN2026)).toBe(true);
    expect(isWorkday('2026-09-20', CN2026)).toBe(true);
    expect(() => isWorkday('2026-13-01', EMPTY_CALENDAR)).toThrow();
    expect(workdaysBetween('2026-09-30', '2026-10-12', CN2026)).toBe(4); // 8, 9, 10 (a worked Saturday) and 12 Oct
    expect(workdaysBetween('2026-11-27', '2026-11-27', EMPTY_CALENDAR)).toBe(0);
    expect(workdaysBetween('2026-11-27', '2026-12-04', EMPTY_CALENDAR)).toBe(5);
  });

  it('n = 0 is the start day when worked, else the next working day; negative n is refused', () => {
    expect(addWorkdaysYmd('2026-11-27T02:00:00.000Z', 0, EMPTY_CALENDAR)).toBe('2026-11-27');
    expect(addWorkdaysYmd('2026-10-01T02:00:00.000Z', 0, CN2026)).toBe('2026-10-08');
    expect(() => addWorkdays('2026-11-27T02:00:00.000Z', -1, EMPTY_CALENDAR)).toThrow();
    expect(() => addWorkdays('not a date', 1, EMPTY_CALENDAR)).toThrow();
  });

  it('the 2026 State Council schedule: 33 days off, 6 make-up days, all on weekends', () => {
    expect(CN_2026_HOLIDAYS).toHaveLength(33);
    expect(new Set(CN_2026_HOLIDAYS.map(([d]) => d)).size).toBe(33);
    expect(CN_2026_MAKEUP_WORKDAYS.map(([d]) => d)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    for (const [d] of CN_2026_MAKEUP_WORKDAYS) expect([0, 6]).toContain(dow(d));
    expect(CN_2026_HOLIDAYS.filter(([, l]) => l === '春节').map(([d]) => d)).toEqual([
      '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23',
    ]);
    expect(CALENDAR_DICTIONARIES.map((d) => d.code)).toEqual(['holiday', 'makeup_workday']);
  });
});

describe.each(targets())('loadCalendar on %s', (target) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(target, { demo: false });
  });
  afterAll(async () => t?.cleanup());

  it('reads the seeded 2026 schedule, enabled items only', async () => {
    const seeded = await loadCalendar(t.deps.db);
    expect(seeded.holidays.size).toBe(CALENDAR_DICTIONARIES[0]!.items.length);
    // A day taken off the calendar by disabling it.
    await t.deps.db.updateTable('dict_item').set({ enabled: 0 }).where('type_code', '=', 'holiday').where('code', '=', '2026-10-07').execute();
    const cal = await loadCalendar(t.deps.db);
    expect(cal.holidays.size).toBe(32);
    expect(cal.holidays.has('2026-10-01')).toBe(true);
    expect(cal.holidays.has('2026-10-07')).toBe(false);
    expect(cal.makeupWorkdays.has('2026-10-10')).toBe(true);
    expect(addWorkdaysYmd('2026-09-30T02:00:00.000Z', 1, cal)).toBe('2026-10-07');
  });
});
