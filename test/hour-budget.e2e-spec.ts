import { randomBytes } from 'node:crypto';
import { approveGrant, procurementUser } from './support/factories';
import { fictitiousCpr, invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * The hour budget and case review on a known data set (2026), every number worked out by hand below:
 * - supplier A: retention g1, 120 min/week, 5 January to 30 June, extended to 30 September; retention g2 at
 *   level 4, 300 min/week, 1 September to 30 November; sessions for g1 on 2 March (120 min) and 9 March (90 min);
 * - supplier B: retention g3, 60 min/week, 2 March to 31 August; a session on 3 March (60 min);
 * - budgets: retention for every supplier 6,000 minutes (100 h), retention at A 9,000 minutes (150 h).
 */
describe('hour budget and case review', () => {
  let t: TestApp;
  let finance: TestUser;
  let caseworker: TestUser;
  let a: SupplierWithGrants;
  let b: SupplierWithGrants;
  let g2: { id: string; reference: string };

  const approvedInvoice = async (supplier: SupplierWithGrants, lines: Array<{ grantReference: string; date: string; minutes: number }>) => {
    const invoice = await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody(lines)).expect(201);
    await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
  };

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    [finance, caseworker] = await Promise.all([makeUser(t, 'finance'), makeUser(t, 'caseworker')]);
    const procurement = await procurementUser(t);
    a = await supplierWithGrants(t, { g1: { minutesPerWeek: 120, start: '2026-01-05', end: '2026-06-30' } });
    b = await supplierWithGrants(t, { g3: { minutesPerWeek: 60, start: '2026-03-02', end: '2026-08-31' } });
    await t.http.post(`/api/v1/grants/${a.grants.g1.id}/extend`).set(bearer(caseworker.token)).send({ newEnd: '2026-09-30' }).expect(200);
    await t.http.post(`/api/v1/agreements/${a.agreementId}/rates`).set(bearer(procurement.token)).send({ mentorType: 'retention', serviceLevel: 4, validFrom: '2026-01-01', rateOre: 45_000 }).expect(201);
    const citizen = await t.http
      .post('/api/v1/citizens')
      .set(bearer(caseworker.token))
      .send({ cpr: fictitiousCpr(), name: 'Borger g2', caseNumber: `J-${randomBytes(3).toString('hex')}`, targetGroup: 'sickness_benefit' })
      .expect(201);
    const grant = await t.http
      .post('/api/v1/grants')
      .set(bearer(caseworker.token))
      .send({ citizenId: citizen.body.id, agreementId: a.agreementId, mentorType: 'retention', serviceLevel: 4, minutesPerWeek: 300, start: '2026-09-01', end: '2026-11-30', goal: 'Fastholdelse i job', tasks: 'Samtaler', mentorName: 'Mette Mentor', mentorPhone: '12345678' });
    if (grant.status !== 201) throw new Error(`grant: ${grant.status} ${JSON.stringify(grant.body)}`);
    await approveGrant(t, grant.body.id, '2026-09-01');
    g2 = { id: grant.body.id, reference: grant.body.reference };
    await approvedInvoice(a, [
      { grantReference: a.grants.g1.reference, date: '2026-03-02', minutes: 120 },
      { grantReference: a.grants.g1.reference, date: '2026-03-09', minutes: 90 },
    ]);
    await approvedInvoice(b, [{ grantReference: b.grants.g3.reference, date: '2026-03-03', minutes: 60 }]);
    await t.http.put('/api/v1/hour-budgets/2026').set(bearer(finance.token)).send({ mentorType: 'retention', supplierId: null, minutes: 6_000 }).expect(200);
    await t.http.put('/api/v1/hour-budgets/2026').set(bearer(finance.token)).send({ mentorType: 'retention', supplierId: a.supplierId, minutes: 5_000 }).expect(200);
    // Raised from 5,000 to 9,000: the ledger appends +4,000.
    await t.http.put('/api/v1/hour-budgets/2026').set(bearer(finance.token)).send({ mentorType: 'retention', supplierId: a.supplierId, minutes: 9_000, note: 'Tillægsbevilling' }).expect(200);
  });
  afterAll(() => t.close());

  it('sets granted and delivered hours against the budgets, per mentor type and supplier', async () => {
    const report = await t.http.get('/api/v1/reports/hour-budget').query({ year: 2026 }).set(bearer(finance.token)).expect(200);
    // g1: 5 January–30 September = 27 + 28 + 31 + 30 + 31 + 30 + 31 + 31 + 30 = 269 days; 120 × 269 / 7 = 4,611.43 → 4,611.
    // g2: 1 September–30 November = 91 days; 300 × 91 / 7 = 3,900.
    // g3: 2 March–31 August = 30 + 30 + 31 + 30 + 31 + 31 = 183 days; 60 × 183 / 7 = 1,568.57 → 1,569.
    const byKey = Object.fromEntries((report.body.rows as Array<{ supplierId: string | null }>).map((row) => [row.supplierId ?? 'all', row]));
    expect(byKey.all).toMatchObject({ mentorType: 'retention', budgetMinutes: 6_000, grantedMinutes: 10_080, deliveredMinutes: 270, leftAfterGrantedMinutes: -4_080, grantedPercentOfBudget: 168 });
    // 8,511 / 9,000 = 94.57 % → 94.6.
    expect(byKey[a.supplierId]).toMatchObject({ budgetMinutes: 9_000, grantedMinutes: 8_511, deliveredMinutes: 210, leftAfterGrantedMinutes: 489, grantedPercentOfBudget: 94.6 });
    expect(byKey[b.supplierId]).toMatchObject({ budgetMinutes: null, grantedMinutes: 1_569, deliveredMinutes: 60, leftAfterGrantedMinutes: null, grantedPercentOfBudget: null });
    // The all-supplier budget counts once: 6,000, not 6,000 + 9,000.
    expect(report.body.totals).toEqual({ budgetMinutes: 6_000, grantedMinutes: 10_080, deliveredMinutes: 270 });
    // (120 + 300 + 60) / 3 = 160 minutes = 2.666… hours → 2.67.
    expect(report.body).toMatchObject({ grants: 3, averageGrantedHoursPerWeek: 2.67 });
  });

  it('lists the high-intensity grants for review: above 4 hours a week, or longer than 6 months in all', async () => {
    const report = await t.http.get('/api/v1/reports/hour-budget').query({ year: 2026 }).set(bearer(finance.token)).expect(200);
    expect(report.body.review).toEqual([
      { reference: g2.reference, supplierName: expect.any(String), mentorType: 'retention', minutesPerWeek: 300, start: '2026-09-01', end: '2026-11-30', reasons: ['above_4_hours_a_week'] },
      { reference: a.grants.g1.reference, supplierName: expect.any(String), mentorType: 'retention', minutesPerWeek: 120, start: '2026-01-05', end: '2026-09-30', reasons: ['longer_than_6_months'] },
    ]);
  });

  it('exports the table for people, and keeps the budget as a ledger whose sum is the budget', async () => {
    const csv = await t.http.get('/api/v1/reports/hour-budget.csv').query({ year: 2026 }).set(bearer(finance.token)).expect(200);
    expect(csv.text).toContain('section;mentor_type;supplier;budget_minutes');
    expect(csv.text).toContain(`review;Fastholdelsesmentor;`);
    const budgets = await t.http.get('/api/v1/hour-budgets/2026').set(bearer(finance.token)).expect(200);
    expect(budgets.body).toEqual([
      { year: 2026, mentorType: 'retention', supplierId: null, minutes: 6_000 },
      { year: 2026, mentorType: 'retention', supplierId: a.supplierId, minutes: 9_000 },
    ].sort((x, y) => String(x.supplierId ?? '').localeCompare(String(y.supplierId ?? ''))));
    const audit = await t.http.get('/api/v1/audit').query({ entityType: 'hour_budget' }).set(bearer((await makeUser(t, 'admin')).token)).expect(200);
    expect(JSON.stringify(audit.body)).toContain('"to":9000');
  });

  it('monitors the 2026 budget-guarantee limit against the full-time persons, and refuses a bad import whole', async () => {
    await t.http.put('/api/v1/budget-guarantee/2026').set(bearer(finance.token)).send({ fullTimePersons: '1234,56' }).expect(200);
    const report = await t.http.get('/api/v1/reports/budget-guarantee').query({ year: 2026 }).set(bearer(finance.token)).expect(200);
    // 1,234.56 × 10,602.00 kr. = 13,088,805.12 kr.; spent (210 + 60) minutes × 450 kr./hour = 2,025.00 kr.
    expect(report.body).toEqual({
      year: 2026,
      orePerFullTimePerson: 1_060_200,
      legalBasis: 'LAB § 203 a (L 77 2025-26)',
      fullTimePersonsHundredths: 123_456,
      fullTimePersonsSource: 'entered',
      limitOre: 1_308_880_512,
      spentOre: 202_500,
      leftOre: 1_308_678_012,
      spentPercentOfLimit: 0,
    });
    const refused = await t.http.post('/api/v1/budget-guarantee/import').set(bearer(finance.token)).send({ csv: 'year;full_time_persons\n2027;1000\n2028;12,345' }).expect(422);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'row 3.fullTimePersons', rule: 'type' })]);
    const none = await t.http.get('/api/v1/reports/budget-guarantee').query({ year: 2027 }).set(bearer(finance.token)).expect(200);
    expect(none.body).toMatchObject({ fullTimePersonsHundredths: null, limitOre: null });
    await t.http.post('/api/v1/budget-guarantee/import').set(bearer(finance.token)).send({ csv: 'year;full_time_persons\n2027;1000,5' }).expect(201);
    const imported = await t.http.get('/api/v1/reports/budget-guarantee').query({ year: 2027 }).set(bearer(finance.token)).expect(200);
    // 1,000.50 × 10,602.00 kr. = 10,607,301.00 kr.
    expect(imported.body).toMatchObject({ fullTimePersonsHundredths: 100_050, fullTimePersonsSource: 'imported', limitOre: 1_060_730_100 });
    const before2026 = await t.http.get('/api/v1/reports/budget-guarantee').query({ year: 2025 }).set(bearer(finance.token)).expect(200);
    expect(before2026.body).toMatchObject({ orePerFullTimePerson: null, limitOre: null });
  });

  it('counts supplier quality per year and quarter: findings per 100 invoiced hours and the share of hours approved', async () => {
    const report = await t.http.get('/api/v1/reports/supplier-quality').query({ year: 2026 }).set(bearer(finance.token)).expect(200);
    const ofA = (report.body.suppliers as Array<Record<string, unknown> & { supplierId: string; quarters: Array<Record<string, unknown>> }>).find((s) => s.supplierId === a.supplierId)!;
    // A's invoice is issued 20 November (Q4): 210 minutes = 3.5 hours invoiced, all approved.
    const findings = ofA.findings as number;
    expect(ofA).toMatchObject({ invoicedMinutes: 210, decidedMinutes: 210, approvedMinutes: 210, approvedPercent: 100, findingsPerHundredHours: Math.round((findings * 6000 * 100) / 210) / 100, progressReports: 0, lateProgressReports: 0, silentGrants: null });
    expect(ofA.quarters.map((q) => q.invoicedMinutes)).toEqual([0, 0, 0, 210]);
    const csv = await t.http.get('/api/v1/reports/supplier-quality.csv').query({ year: 2026 }).set(bearer(finance.token)).expect(200);
    expect(csv.text).toContain('2026-Q4;');
  });
});
