import { ageBand, ageOn, statisticsReport, type StatisticsCourse } from './statistics.rules';

/**
 * A known year (2026):
 * - g2: citizen c1, Beta (external), holistic, 1 November 2025 – ended 31 January 2026 (education):
 *   30 + 31 + 31 = 92 days;
 * - g1: citizen c1, Alfa (internal), holistic, 5 January – ended 31 March 2026 (job), extended once:
 *   27 + 28 + 31 = 86 days; it overlaps g2 on 5–31 January (27 days);
 * - g3: citizen c2, Beta, retention, 10 March 2026 – 28 February 2027, active; a mentor change on 1 June 2026;
 * - g4: citizen c3 (no birth date), Beta, retention, 1 December 2026 – 31 May 2027, active.
 */
const course = (over: Partial<StatisticsCourse> & Pick<StatisticsCourse, 'id' | 'citizenId' | 'supplierId' | 'start' | 'end'>): StatisticsCourse => ({
  mentorType: 'holistic',
  targetGroup: 'activity_ready_cash_benefit',
  status: 'active',
  outcome: null,
  endedOn: null,
  extensionsUsed: 0,
  ...over,
});

const grants: StatisticsCourse[] = [
  course({ id: 'g1', citizenId: 'c1', supplierId: 's-a', start: '2026-01-05', end: '2026-06-30', status: 'ended', outcome: 'job', endedOn: '2026-03-31', extensionsUsed: 1 }),
  course({ id: 'g2', citizenId: 'c1', supplierId: 's-b', start: '2025-11-01', end: '2026-01-31', status: 'ended', outcome: 'education', endedOn: '2026-01-31' }),
  course({ id: 'g3', citizenId: 'c2', supplierId: 's-b', start: '2026-03-10', end: '2027-02-28', mentorType: 'retention', targetGroup: 'job_ready_cash_benefit' }),
  course({ id: 'g4', citizenId: 'c3', supplierId: 's-b', start: '2026-12-01', end: '2027-05-31', mentorType: 'retention', targetGroup: 'job_ready_cash_benefit' }),
];

const sevenMonthStatus = { year: 2026, courses: 1, pending: 1, byStatus: [] };

const report = statisticsReport({
  year: 2026,
  grants,
  // The change of 15 December 2025 is outside the year.
  mentorChanges: [
    { grantId: 'g3', effectiveFrom: '2026-06-01' },
    { grantId: 'g2', effectiveFrom: '2025-12-15' },
  ],
  birthDates: new Map([
    ['c1', '2000-02-10'],
    ['c2', '1990-03-10'],
  ]),
  suppliers: [
    { id: 's-b', name: 'Beta Mentor', kind: 'mentor_supplier' },
    { id: 's-a', name: 'Alfa Jobcenter', kind: 'internal' },
  ],
  sevenMonthStatus,
});

describe('ageOn and ageBand', () => {
  it('counts whole years, a birthday on the day counting', () => {
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25);
    expect(ageOn('2000-02-29', '2026-03-01')).toBe(26);
    expect(ageOn('1990-03-10', '2026-03-10')).toBe(36);
    expect(ageOn('1990-03-10', '2026-03-09')).toBe(35);
  });

  it.each([
    ['2008-06-02', 'under_18'],
    ['2008-06-01', '18_24'],
    ['2001-06-02', '18_24'],
    ['2001-06-01', '25_29'],
    ['1996-06-01', '30_39'],
    ['1986-06-01', '40_49'],
    ['1976-06-01', '50_59'],
    ['1966-06-01', '60_plus'],
  ] as const)('born %s is %s on 1 June 2026', (birth, band) => {
    expect(ageBand(birth, '2026-06-01')).toBe(band);
  });

  it('is unknown without a birth date', () => {
    expect(ageBand(undefined, '2026-06-01')).toBe('unknown');
  });
});

describe('statisticsReport', () => {
  it('counts starts and mentor changes per month, a change counting as a new course', () => {
    const months = Object.fromEntries(report.startsByMonth.map((m) => [m.month, m]));
    expect(report.startsByMonth).toHaveLength(12);
    expect(months['2026-01']).toEqual({ month: '2026-01', started: 1, mentorChanges: 0, courses: 1 });
    expect(months['2026-03']).toEqual({ month: '2026-03', started: 1, mentorChanges: 0, courses: 1 });
    expect(months['2026-06']).toEqual({ month: '2026-06', started: 0, mentorChanges: 1, courses: 1 });
    expect(months['2026-12']).toEqual({ month: '2026-12', started: 1, mentorChanges: 0, courses: 1 });
    expect(months['2026-02']).toEqual({ month: '2026-02', started: 0, mentorChanges: 0, courses: 0 });
    expect(report.totals).toEqual({ started: 3, mentorChanges: 1, courses: 4 });
  });

  it('measures the courses ended in the year in days, start and end day included, and their outcomes', () => {
    // (86 + 92) / 2 = 89; the median of two is their mean.
    expect(report.ended).toMatchObject({ count: 2, averageDays: 89, medianDays: 89 });
    const byOutcome = Object.fromEntries(report.ended.byOutcome.map((o) => [o.outcome, o]));
    expect(byOutcome.job).toEqual({ outcome: 'job', count: 1, averageDays: 86, medianDays: 86, percent: 50 });
    expect(byOutcome.education).toEqual({ outcome: 'education', count: 1, averageDays: 92, medianDays: 92, percent: 50 });
    expect(byOutcome.moved).toEqual({ outcome: 'moved', count: 0, averageDays: null, medianDays: null, percent: 0 });
  });

  it('counts the extensions of the ended courses and passes the seven-month status through', () => {
    expect(report.extensions).toEqual({ endedCourses: 2, extended: 1, extendedPercent: 50, extensions: 1 });
    expect(report.sevenMonthStatus).toBe(sevenMonthStatus);
  });

  it('counts each citizen’s days in mentor support up to the year’s end, an overlapping day once', () => {
    // c1: 92 + 86 − 27 = 151; c2: 10 March–31 December = 22 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31 = 297;
    // c3: 1–31 December = 31. Mean 479 / 3 = 159.67 → 160; median 151.
    expect(report.cumulative).toEqual({
      citizens: 3,
      averageDays: 160,
      medianDays: 151,
      bands: [
        { band: 'up_to_6_months', citizens: 2 },
        { band: 'up_to_12_months', citizens: 1 },
        { band: 'over_12_months', citizens: 0 },
      ],
    });
  });

  it('gives the internal suppliers’ share of the courses started', () => {
    // g1 at Alfa of 3 started: 33.3 %.
    expect(report.internalShare).toEqual({ started: 3, internal: 1, external: 2, internalPercent: 33.3 });
  });

  it('breaks down by mentor type, target group, supplier (by name) and age band at start', () => {
    const types = Object.fromEntries(report.byMentorType.map((r) => [r.key, r]));
    expect(types.holistic).toEqual({ key: 'holistic', started: 1, mentorChanges: 0, ended: 2, averageDays: 89, medianDays: 89 });
    expect(types.retention).toEqual({ key: 'retention', started: 2, mentorChanges: 1, ended: 0, averageDays: null, medianDays: null });
    expect(types.company).toEqual({ key: 'company', started: 0, mentorChanges: 0, ended: 0, averageDays: null, medianDays: null });

    expect(report.byTargetGroup).toEqual([
      { key: 'activity_ready_cash_benefit', started: 1, mentorChanges: 0, ended: 2, averageDays: 89, medianDays: 89 },
      { key: 'job_ready_cash_benefit', started: 2, mentorChanges: 1, ended: 0, averageDays: null, medianDays: null },
    ]);

    expect(report.bySupplier).toEqual([
      { key: 's-a', name: 'Alfa Jobcenter', supplierKind: 'internal', started: 1, mentorChanges: 0, ended: 1, averageDays: 86, medianDays: 86 },
      { key: 's-b', name: 'Beta Mentor', supplierKind: 'mentor_supplier', started: 2, mentorChanges: 1, ended: 1, averageDays: 92, medianDays: 92 },
    ]);

    // c1 born 10 February 2000: 25 on 5 January 2026 and on 1 November 2025; c2 born 10 March 1990: 36 on 10 March 2026.
    const bands = Object.fromEntries(report.byAgeBand.map((r) => [r.key, r]));
    expect(bands['25_29']).toEqual({ key: '25_29', started: 1, mentorChanges: 0, ended: 2, averageDays: 89, medianDays: 89 });
    expect(bands['30_39']).toEqual({ key: '30_39', started: 1, mentorChanges: 1, ended: 0, averageDays: null, medianDays: null });
    expect(bands.unknown).toEqual({ key: 'unknown', started: 1, mentorChanges: 0, ended: 0, averageDays: null, medianDays: null });
    expect(bands['18_24']).toMatchObject({ started: 0, ended: 0 });
    expect(report.sexRecorded).toBe(false);
  });

  it('leaves out the unknown age band and empty target groups when nothing falls in them', () => {
    const empty = statisticsReport({ year: 2026, grants: [], mentorChanges: [], birthDates: new Map(), suppliers: [], sevenMonthStatus });
    expect(empty.byAgeBand.map((r) => r.key)).not.toContain('unknown');
    expect(empty.byTargetGroup).toEqual([]);
    expect(empty.cumulative).toMatchObject({ citizens: 0, averageDays: null, medianDays: null });
    expect(empty.internalShare.internalPercent).toBeNull();
  });
});
