import type { MentorType } from '../rules/rule-set';
import type { ReportSupplier } from './report-supplier';
import { coursesStartedByMonth, endedCourses, spendFigures, spendReport, type SpendDelivery, type StatisticsGrant } from './spend.rules';

const SUPPLIERS: ReportSupplier[] = [
  { id: 'sup-a', name: 'Mentorhuset ApS', kind: 'mentor_supplier' },
  { id: 'sup-b', name: 'Byggefirma A/S', kind: 'partner_company' },
  { id: 'sup-c', name: 'Ørestad Mentor', kind: 'mentor_supplier' },
];

const paid = (citizenId: string, mentorType: MentorType, supplierId: string, approvedOre: number): SpendDelivery => ({ citizenId, mentorType, supplierId, approvedOre });

const DELIVERIES: SpendDelivery[] = [
  paid('c1', 'retention', 'sup-a', 45_000),
  paid('c1', 'retention', 'sup-a', 45_000),
  paid('c1', 'retention', 'sup-a', -45_000), // a credit
  paid('c2', 'retention', 'sup-a', 45_000),
  paid('c2', 'retention', 'sup-a', 45_000),
  paid('c1', 'holistic', 'sup-a', 40_000),
  paid('c3', 'company', 'sup-b', 25_000),
  paid('c3', 'company', 'sup-b', 18_750),
  paid('c4', 'retention', 'sup-c', 90_000),
  paid('c4', 'retention', 'sup-c', 67_500),
];

function course(patch: Partial<StatisticsGrant>): StatisticsGrant {
  return { mentorType: 'retention', supplierId: 'sup-a', status: 'active', start: '2026-09-01', endedOn: null, outcome: null, ...patch };
}

const COURSES: StatisticsGrant[] = [
  course({ start: '2026-03-02', status: 'ended', endedOn: '2026-08-31', outcome: 'job' }), // 183 days
  course({ start: '2026-03-02' }),
  course({ status: 'ended', endedOn: '2026-10-31', outcome: 'job' }), // 61
  course({ status: 'ended', endedOn: '2026-11-15', outcome: 'education' }), // 76
  course({ mentorType: 'holistic', status: 'ended', endedOn: '2026-11-20', outcome: 'still_on_benefit' }), // 81
  course({ mentorType: 'company', supplierId: 'sup-b', status: 'ended', endedOn: '2026-10-31', outcome: 'other_benefit' }), // 61
  course({ mentorType: 'holistic', start: '2026-12-01' }),
  // Started the year before, ended in this one: its whole duration counts, its start does not.
  course({ start: '2025-11-01', status: 'ended', endedOn: '2026-01-31', outcome: 'moved' }), // 92
  // Ends next year: not an ended course of this year.
  course({ start: '2026-10-01', status: 'ended', endedOn: '2027-01-15', outcome: 'other' }),
];

describe('spendFigures', () => {
  it('counts each citizen once and only with an approved amount above 0', () => {
    expect(spendFigures([paid('c5', 'retention', 'sup-a', 45_000), paid('c5', 'retention', 'sup-a', -45_000), paid('c6', 'retention', 'sup-a', 10)])).toEqual({
      amountOre: 10,
      citizens: 1,
      averagePerCitizenOre: 10,
    });
    expect(spendFigures([])).toEqual({ amountOre: 0, citizens: 0, averagePerCitizenOre: null });
  });
});

describe('spendReport: the council’s table by mentor type and supplier', () => {
  const report = spendReport({ year: 2026, deliveries: DELIVERIES, grants: COURSES, suppliers: SUPPLIERS });

  it('gives amount, unique citizens and the average per citizen rounded half up', () => {
    // 376 250 / 4 citizens = 94 062.5 → 94 063.
    expect(report.total).toEqual({ amountOre: 376_250, citizens: 4, averagePerCitizenOre: 94_063 });
    expect(report.byMentorType).toEqual([
      { mentorType: 'retention', amountOre: 292_500, citizens: 3, averagePerCitizenOre: 97_500 },
      { mentorType: 'company', amountOre: 43_750, citizens: 1, averagePerCitizenOre: 43_750 },
      { mentorType: 'holistic', amountOre: 40_000, citizens: 1, averagePerCitizenOre: 40_000 },
    ]);
    expect(report.bySupplier).toEqual([
      { supplierId: 'sup-b', supplierName: 'Byggefirma A/S', supplierKind: 'partner_company', amountOre: 43_750, citizens: 1, averagePerCitizenOre: 43_750 },
      // c1 (retention and holistic) counts once for the supplier.
      { supplierId: 'sup-a', supplierName: 'Mentorhuset ApS', supplierKind: 'mentor_supplier', amountOre: 175_000, citizens: 2, averagePerCitizenOre: 87_500 },
      { supplierId: 'sup-c', supplierName: 'Ørestad Mentor', supplierKind: 'mentor_supplier', amountOre: 157_500, citizens: 1, averagePerCitizenOre: 157_500 },
    ]);
    expect(report).toMatchObject({ year: 2026, from: '2026-01-01', to: '2026-12-31' });
  });

  it('shares the amount between external suppliers and companies, saying which kind is which', () => {
    expect(report.bySupplierKind).toEqual([
      {
        supplierKind: 'mentor_supplier',
        share: 'external',
        description: 'External mentor supplier under a framework agreement (ekstern leverandør)',
        amountOre: 332_500,
        citizens: 3,
        averagePerCitizenOre: 110_833, // 110 833.33
        percentOfAmount: 88.4, // 88.372
        coursesStarted: 7,
      },
      {
        supplierKind: 'partner_company',
        share: 'company',
        description: 'Company releasing an employee as mentor under a partnership agreement (virksomhedsmentor, frikøb)',
        amountOre: 43_750,
        citizens: 1,
        averagePerCitizenOre: 43_750,
        percentOfAmount: 11.6, // 11.628
        coursesStarted: 1,
      },
      { supplierKind: 'education_institution', share: 'external', description: 'Education institution under a framework agreement (uddannelsesinstitution)', amountOre: 0, citizens: 0, averagePerCitizenOre: null, percentOfAmount: 0, coursesStarted: 0 },
      { supplierKind: 'internal', share: 'internal', description: 'Another municipal department, settled internally (intern leverandør)', amountOre: 0, citizens: 0, averagePerCitizenOre: null, percentOfAmount: 0, coursesStarted: 0 },
    ]);
  });

  it('has no share of a total that is not above 0', () => {
    const empty = spendReport({ year: 2026, deliveries: [], grants: [], suppliers: SUPPLIERS });
    expect(empty.bySupplierKind.map((k) => [k.supplierKind, k.amountOre, k.percentOfAmount])).toEqual([
      ['mentor_supplier', 0, null],
      ['partner_company', 0, null],
      ['education_institution', 0, null],
      ['internal', 0, null],
    ]);
    expect(empty.statistics.endedCourses).toMatchObject({ count: 0, averageDays: null, medianDays: null });
  });
});

describe('course statistics', () => {
  it('counts courses started in each month of the year, by mentor type', () => {
    const months = coursesStartedByMonth(COURSES, 2026);
    expect(months).toHaveLength(12);
    expect(months.filter((m) => m.started > 0)).toEqual([
      { month: '2026-03', started: 2, byMentorType: { retention: 2, company: 0, holistic: 0, discharge: 0, release: 0 } },
      { month: '2026-09', started: 4, byMentorType: { retention: 2, company: 1, holistic: 1, discharge: 0, release: 0 } },
      { month: '2026-10', started: 1, byMentorType: { retention: 1, company: 0, holistic: 0, discharge: 0, release: 0 } },
      { month: '2026-12', started: 1, byMentorType: { retention: 0, company: 0, holistic: 1, discharge: 0, release: 0 } },
    ]);
    expect(spendReport({ year: 2026, deliveries: [], grants: COURSES, suppliers: SUPPLIERS }).statistics.coursesStarted.total).toBe(8);
  });

  it('gives durations of the courses ended in the year (both days included), overall and by outcome, with each outcome’s share', () => {
    expect(endedCourses(COURSES, 2026)).toEqual({
      // 183, 61, 76, 81, 61, 92: mean 92.33 → 92; median (76 + 81) / 2 = 78.5 → 79.
      count: 6,
      averageDays: 92,
      medianDays: 79,
      byOutcome: [
        { outcome: 'job', count: 2, averageDays: 122, medianDays: 122, percent: 33.3 },
        { outcome: 'education', count: 1, averageDays: 76, medianDays: 76, percent: 16.7 },
        { outcome: 'education_started', count: 0, averageDays: null, medianDays: null, percent: 0 },
        { outcome: 'active_offer', count: 0, averageDays: null, medianDays: null, percent: 0 },
        { outcome: 'other_benefit', count: 1, averageDays: 61, medianDays: 61, percent: 16.7 },
        { outcome: 'still_on_benefit', count: 1, averageDays: 81, medianDays: 81, percent: 16.7 },
        { outcome: 'moved', count: 1, averageDays: 92, medianDays: 92, percent: 16.7 },
        { outcome: 'other', count: 0, averageDays: null, medianDays: null, percent: 0 },
      ],
    });
  });
});
