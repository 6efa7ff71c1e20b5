import request from 'supertest';
import { approveGrant, makeAgreement, makeSupplierViaApi, procurementUser } from './support/factories';
import { invoiceBody, type LineSpec } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * The course statistics and the investment case of 2026 on a known data set built through the API, every
 * number worked out by hand below (retention, sickness benefit, 450 kr./hour):
 * - supplier A (mentor supplier):
 *   a1: citizen born 15 March 1984 (150384-2231), 120 min/week, 2 February – 31 May, extended to 30 June and
 *       ended 30 June with the outcome job: 27 + 31 + 30 + 31 + 30 = 149 days; sessions 2, 9 and 16 March of
 *       120 minutes: 6 hours × 450 kr. = 2,700 kr.;
 *   a2: citizen born 1 June 2000 (010600-4118), 120 min/week, 2 March – 30 June, ended 30 June still on
 *       benefit: 30 + 30 + 31 + 30 = 121 days; sessions 3 and 10 March of 120 minutes: 4 hours = 1,800 kr.;
 *   a3: citizen born 2 September 2007 (020907-4321), 60 min/week, 1 September 2026 – 28 February 2027,
 *       active, its mentor changed from 1 October;
 * - supplier B (internal, the municipality's own department):
 *   b1: citizen born 31 December 1965 (311265-1234), 60 min/week, 1 April – 30 September, active.
 * This municipality is Rebild (MUNICIPALITY_CODE 840) for the comparison with other municipalities.
 */
describe('statistics and the investment case', () => {
  let t: TestApp;
  let finance: TestUser;
  let caseworker: TestUser;
  let procurement: TestUser;
  let supplierA: { id: string; agreementId: string; user: TestUser };
  let supplierB: { id: string; name: string };
  const grants: Record<string, { id: string; reference: string }> = {};

  const post = (path: string, user: TestUser, body: Record<string, unknown>) => t.http.post(path).set(bearer(user.token)).send(body);
  const expectCreated = async (what: string, request: ReturnType<typeof post>, status = 201) => {
    const response = await request;
    if (response.status !== status) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as Record<string, unknown> & { id: string };
  };
  const makeGrant = async (name: string, cpr: string, agreementId: string, terms: { minutesPerWeek: number; start: string; end: string }) => {
    const citizen = await expectCreated('citizen', post('/api/v1/citizens', caseworker, { cpr, name: `Borger ${name}`, caseNumber: `J-${name}`, targetGroup: 'sickness_benefit' }));
    const grant = await expectCreated(
      'grant',
      post('/api/v1/grants', caseworker, { citizenId: citizen.id, agreementId, mentorType: 'retention', serviceLevel: 1, goal: 'Fastholdelse i job', tasks: 'Samtaler', mentorName: 'Mette Mentor', mentorPhone: '12345678', ...terms }),
    );
    await approveGrant(t, grant.id, terms.start);
    grants[name] = { id: grant.id, reference: grant.reference as string };
  };
  const approvedInvoice = async (lines: LineSpec[]) => {
    const invoice = await expectCreated('invoice', post('/api/v1/invoices', supplierA.user, invoiceBody(lines)));
    await post(`/api/v1/invoices/${invoice.id}/approve`, finance, {}).expect(200);
  };

  beforeAll(async () => {
    t = await startTestApp({ redis: false, env: { MUNICIPALITY_CODE: '840' } });
    [finance, caseworker] = await Promise.all([makeUser(t, 'finance'), makeUser(t, 'caseworker')]);
    procurement = await procurementUser(t);
    const a = await makeSupplierViaApi(t, { name: 'Alfa Mentor ApS' });
    const aAgreement = await makeAgreement(t, a.id);
    const b = await makeSupplierViaApi(t, { name: 'Beta Jobcenterets mentorkorps', kind: 'internal' });
    const bAgreement = await makeAgreement(t, b.id, { vatRateBasisPoints: 0 });
    for (const agreementId of [aAgreement.id, bAgreement.id]) {
      await expectCreated('rate', post(`/api/v1/agreements/${agreementId}/rates`, procurement, { mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-01', rateOre: 45_000 }));
    }
    supplierA = { id: a.id, agreementId: aAgreement.id, user: await makeUser(t, 'supplier', a.id) };
    supplierB = { id: b.id, name: b.name };

    await makeGrant('a1', '150384-2231', aAgreement.id, { minutesPerWeek: 120, start: '2026-02-02', end: '2026-05-31' });
    await makeGrant('a2', '010600-4118', aAgreement.id, { minutesPerWeek: 120, start: '2026-03-02', end: '2026-06-30' });
    await makeGrant('a3', '020907-4321', aAgreement.id, { minutesPerWeek: 60, start: '2026-09-01', end: '2027-02-28' });
    await makeGrant('b1', '311265-1234', bAgreement.id, { minutesPerWeek: 60, start: '2026-04-01', end: '2026-09-30' });
    await approvedInvoice([
      { grantReference: grants.a1.reference, date: '2026-03-02', minutes: 120 },
      { grantReference: grants.a1.reference, date: '2026-03-09', minutes: 120 },
      { grantReference: grants.a1.reference, date: '2026-03-16', minutes: 120 },
      { grantReference: grants.a2.reference, date: '2026-03-03', minutes: 120 },
      { grantReference: grants.a2.reference, date: '2026-03-10', minutes: 120 },
    ]);
    await post(`/api/v1/grants/${grants.a1.id}/extend`, caseworker, { newEnd: '2026-06-30' }).expect(200);
    await post(`/api/v1/grants/${grants.a1.id}/end`, caseworker, { outcome: 'job', endedOn: '2026-06-30' }).expect(200);
    await post(`/api/v1/grants/${grants.a2.id}/end`, caseworker, { outcome: 'still_on_benefit', endedOn: '2026-06-30' }).expect(200);
    await expectCreated(
      'mentor change',
      post(`/api/v1/grants/${grants.a3.id}/amendments`, caseworker, { kind: 'mentor', effectiveFrom: '2026-10-01', reason: 'Mentor er stoppet', mentorName: 'Karsten Mentor', mentorPhone: '87654321' }),
    );
  });
  afterAll(() => t.close());

  const statistics = async () => (await t.http.get('/api/v1/reports/statistics').query({ year: 2026 }).set(bearer(finance.token)).expect(200)).body;

  it('counts starts per month with the mentor change as a new course', async () => {
    const report = await statistics();
    const months = Object.fromEntries((report.startsByMonth as Array<{ month: string; courses: number }>).map((m) => [m.month, m]));
    // Starts in February (a1), March (a2), April (b1) and September (a3); the change in October.
    expect(months['2026-02']).toEqual({ month: '2026-02', started: 1, mentorChanges: 0, courses: 1 });
    expect(months['2026-03']).toEqual({ month: '2026-03', started: 1, mentorChanges: 0, courses: 1 });
    expect(months['2026-04']).toEqual({ month: '2026-04', started: 1, mentorChanges: 0, courses: 1 });
    expect(months['2026-09']).toEqual({ month: '2026-09', started: 1, mentorChanges: 0, courses: 1 });
    expect(months['2026-10']).toEqual({ month: '2026-10', started: 0, mentorChanges: 1, courses: 1 });
    expect(months['2026-01']).toEqual({ month: '2026-01', started: 0, mentorChanges: 0, courses: 0 });
    expect(report.totals).toEqual({ started: 4, mentorChanges: 1, courses: 5 });
  });

  it('gives durations, outcomes and extensions of the courses ended in the year', async () => {
    const report = await statistics();
    // (149 + 121) / 2 = 135; the median of two is their mean.
    expect(report.ended).toMatchObject({ count: 2, averageDays: 135, medianDays: 135 });
    const byOutcome = Object.fromEntries((report.ended.byOutcome as Array<{ outcome: string }>).map((o) => [o.outcome, o]));
    expect(byOutcome.job).toEqual({ outcome: 'job', count: 1, averageDays: 149, medianDays: 149, percent: 50 });
    expect(byOutcome.still_on_benefit).toEqual({ outcome: 'still_on_benefit', count: 1, averageDays: 121, medianDays: 121, percent: 50 });
    // a1 was extended once: 1 of 2 ended = 50 %.
    expect(report.extensions).toEqual({ endedCourses: 2, extended: 1, extendedPercent: 50, extensions: 1 });
    // No holistic courses: nobody to measure seven months after start.
    expect(report.sevenMonthStatus).toMatchObject({ year: 2026, courses: 0 });
  });

  it('counts each citizen’s days in mentor support to the year’s end and the internal share', async () => {
    const report = await statistics();
    // a1 149, a2 121, a3 1 September – 31 December = 30 + 31 + 30 + 31 = 122, b1 1 April – 30 September
    // = 30 + 31 + 30 + 31 + 31 + 30 = 183. Mean 575 / 4 = 143.75 → 144; median (122 + 149) / 2 = 135.5 → 136.
    // 183 days is still "up to 6 months".
    expect(report.cumulative).toEqual({
      citizens: 4,
      averageDays: 144,
      medianDays: 136,
      bands: [
        { band: 'up_to_6_months', citizens: 4 },
        { band: 'up_to_12_months', citizens: 0 },
        { band: 'over_12_months', citizens: 0 },
      ],
    });
    // b1 of 4 started at the internal supplier: 25 %.
    expect(report.internalShare).toEqual({ started: 4, internal: 1, external: 3, internalPercent: 25 });
  });

  it('breaks down by supplier, target group and age band at start, never showing a birth date or CPR number', async () => {
    const report = await statistics();
    expect(report.bySupplier).toEqual([
      { key: supplierA.id, name: 'Alfa Mentor ApS', supplierKind: 'mentor_supplier', started: 3, mentorChanges: 1, ended: 2, averageDays: 135, medianDays: 135 },
      { key: supplierB.id, name: supplierB.name, supplierKind: 'internal', started: 1, mentorChanges: 0, ended: 0, averageDays: null, medianDays: null },
    ]);
    expect(report.byTargetGroup).toEqual([{ key: 'sickness_benefit', started: 4, mentorChanges: 1, ended: 2, averageDays: 135, medianDays: 135 }]);
    // a1 41 on 2 February 2026; a2 25 on 2 March; a3 18 on 1 September (19 the day after); b1 60 on 1 April.
    const bands = Object.fromEntries((report.byAgeBand as Array<{ key: string; started: number }>).map((r) => [r.key, r]));
    expect(bands['40_49']).toEqual({ key: '40_49', started: 1, mentorChanges: 0, ended: 1, averageDays: 149, medianDays: 149 });
    expect(bands['25_29']).toEqual({ key: '25_29', started: 1, mentorChanges: 0, ended: 1, averageDays: 121, medianDays: 121 });
    expect(bands['18_24']).toEqual({ key: '18_24', started: 1, mentorChanges: 1, ended: 0, averageDays: null, medianDays: null });
    expect(bands['60_plus']).toEqual({ key: '60_plus', started: 1, mentorChanges: 0, ended: 0, averageDays: null, medianDays: null });
    expect(bands.unknown).toBeUndefined();
    const text = JSON.stringify(report);
    for (const secret of ['150384-2231', '1503842231', '1984-03-15']) expect(text).not.toContain(secret);
  });

  it('exports the statistics as CSV and XLSX', async () => {
    const csv = await t.http.get('/api/v1/reports/statistics.csv').query({ year: 2026, format: 'raw' }).set(bearer(finance.token)).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text).toContain(`supplier;${supplierA.id};Alfa Mentor ApS;3;1;2;135;135`);
    const xlsx = await t.http.get('/api/v1/reports/statistics.xlsx').query({ year: 2026 }).set(bearer(finance.token)).expect(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
  });

  it('works out the investment case from the year’s spending and the dated benefit rate', async () => {
    const report = (await t.http.get('/api/v1/reports/investment-case').query({ year: 2026 }).set(bearer(finance.token)).expect(200)).body;
    // Retention: 2,700 + 1,800 = 4,500 kr. for 2 citizens = 2,250 kr. each. Cash benefit 13,000 kr. a month
    // (example rate), 12 months on benefit at start by default: 30 % refund, so 9,100 kr. net a month.
    // 2,250 / 9,100 = 0.247 months → 2 tenths.
    expect(report).toMatchObject({ year: 2026, benefit: 'cash_benefit', monthlyBenefitOre: 1_300_000, monthlyBenefitSource: 'rule_data', monthlyBenefitExample: true, monthsOnBenefitAtStart: 12, refundPercent: 30, netMonthlyBenefitOre: 910_000 });
    const retention = (report.rows as Array<{ mentorType: string }>).find((r) => r.mentorType === 'retention');
    expect(retention).toEqual({ mentorType: 'retention', amountOre: 450_000, citizens: 2, costPerCitizenOre: 225_000, costSource: 'portal', breakEvenTenthsOfMonth: 2 });
  });

  it('answers "what if" with an entered benefit, time on benefit and cost per citizen, and refuses a malformed one', async () => {
    // 10,000 kr. a month after 3 months: 40 % refund, 6,000 kr. net. The portal's 2,250 kr.: 0.375 → 4 tenths.
    const portalCost = (await t.http.get('/api/v1/reports/investment-case').query({ year: 2026, monthlyBenefit: '10000', monthsOnBenefit: '3' }).set(bearer(finance.token)).expect(200)).body;
    expect(portalCost).toMatchObject({ monthlyBenefitOre: 1_000_000, monthlyBenefitSource: 'entered', monthlyBenefitExample: false, refundPercent: 40, netMonthlyBenefitOre: 600_000 });
    expect((portalCost.rows as Array<{ mentorType: string }>).find((r) => r.mentorType === 'retention')).toMatchObject({ costPerCitizenOre: 225_000, breakEvenTenthsOfMonth: 4 });
    // An entered 25,000 kr. per citizen: 25,000 / 6,000 = 4.167 → 42 tenths for every type.
    const entered = (await t.http.get('/api/v1/reports/investment-case').query({ year: 2026, monthlyBenefit: '10000', monthsOnBenefit: '3', costPerCitizen: '25000' }).set(bearer(finance.token)).expect(200)).body;
    expect(new Set((entered.rows as Array<{ breakEvenTenthsOfMonth: number; costSource: string }>).map((r) => `${r.costSource}:${r.breakEvenTenthsOfMonth}`))).toEqual(new Set(['entered:42']));
    const refused = await t.http.get('/api/v1/reports/investment-case').query({ year: 2026, monthlyBenefit: '12,5' }).set(bearer(finance.token)).expect(422);
    expect(JSON.stringify(refused.body)).toContain('monthlyBenefit');
  });

  describe('comparison with other municipalities', () => {
    const header = 'Område;Periode;Personer med mentor;Befolkning;Udgift kr';
    const importCsv = (csv: string, lang = 'en') => t.http.post('/api/v1/comparisons/import').set(bearer(finance.token)).set('Accept-Language', lang).set('Content-Type', 'text/csv').send(csv);

    it('imports the published figures and sets this municipality beside them', async () => {
      const imported = await importCsv(`${header}\r\n751 Aarhus;2026;1.234;250.000;12.345.678,50\r\nAalborg Kommune;2026;2.000;200.000;\r\n840 Rebild;2026;3;20.000;4.000,00\r\n`).expect(201);
      expect(imported.body).toEqual({ importId: expect.any(String), rows: 3, replaced: 0, periods: [2026] });
      const result = (await t.http.get('/api/v1/comparisons').query({ period: '2026' }).set(bearer(finance.token)).expect(200)).body;
      // The portal's own: 4 citizens with an approved grant in 2026, 4,500 kr. spent. Rebild's published population
      // 20,000: 4 / 20,000 = 0.02 %; 4,500 / 4 = 1,125.00 kr. per person; 4,500 / 20,000 = 0.225 kr. → 0.23 kr.
      expect(result.municipality).toEqual({ code: '840', name: 'Rebild' });
      expect(result.own).toEqual({ municipalityCode: '840', municipalityName: 'Rebild', personsWithMentor: 4, population: 20_000, costOre: 450_000, sharePercent: 0.02, costPerPersonWithMentorOre: 112_500, costPerInhabitantOre: 23 });
      // Rebild as published: 3 / 20,000 = 0.015 % → 0.02 (half up); 4,000 / 3 = 1,333.333 → 1,333.33 kr.
      expect(result.ownPublished).toMatchObject({ personsWithMentor: 3, sharePercent: 0.02, costPerPersonWithMentorOre: 133_333, costPerInhabitantOre: 20 });
      // Aalborg 2,000 / 200,000 = 1.00 % first; Aarhus 1,234 / 250,000 = 0.4936 → 0.49 %, 12,345,678.50 / 1,234
      // = 10,004.60 kr. per person, / 250,000 = 49.38 kr. per inhabitant.
      expect(result.others).toEqual([
        { municipalityCode: '851', municipalityName: 'Aalborg', personsWithMentor: 2_000, population: 200_000, costOre: null, sharePercent: 1, costPerPersonWithMentorOre: null, costPerInhabitantOre: null },
        { municipalityCode: '751', municipalityName: 'Aarhus', personsWithMentor: 1_234, population: 250_000, costOre: 1_234_567_850, sharePercent: 0.49, costPerPersonWithMentorOre: 1_000_460, costPerInhabitantOre: 4_938 },
      ]);
    });

    it('refuses a file with an unknown municipality or a malformed number whole, per row and column, in Danish or English', async () => {
      const bad = `${header}\n751 Aarhus;2026;9;250.000;\nGotham;2026;12;100;\nOdense;2026;1,5;200.000;12.34\n`;
      const danish = await importCsv(bad, 'da').expect(422);
      expect((danish.body.details as Array<{ field: string; rule: string }>).map((d) => [d.field, d.rule])).toEqual([
        ['rows[3].municipality', 'comparison_municipality'],
        ['rows[4].persons_with_mentor', 'comparison_number'],
        ['rows[4].cost', 'comparison_cost'],
      ]);
      expect(danish.body.details[0].message).toContain('Række 3, municipality: »Gotham« er ikke en af de 98 danske kommuner');
      const english = await importCsv(bad).expect(422);
      expect(english.body.details[1].message).toContain('row 4, persons_with_mentor: must be a whole number of persons');
      // Nothing applied: Aarhus still has 1,234.
      const result = (await t.http.get('/api/v1/comparisons').query({ period: '2026' }).set(bearer(finance.token)).expect(200)).body;
      expect((result.others as Array<{ municipalityCode: string; personsWithMentor: number }>).find((o) => o.municipalityCode === '751')?.personsWithMentor).toBe(1_234);
      await t.http.post('/api/v1/comparisons/import').set(bearer(finance.token)).send({ csv: bad }).expect(415);
    });

    it('replaces a municipality’s figures of a year on a new import, and audits each import', async () => {
      const again = await importCsv(`${header}\n751 Aarhus;2026;1.300;250.000;\n751 Aarhus;2025;1.100;248.000;\n`).expect(201);
      expect(again.body).toMatchObject({ rows: 2, replaced: 1, periods: [2025, 2026] });
      const admin = await makeUser(t, 'admin');
      const audit = await t.http.get('/api/v1/audit').query({ entityType: 'municipality_figure_import' }).set(bearer(admin.token)).expect(200);
      const entries = audit.body as Array<{ action: string; entityId: string; change: Record<string, unknown> }>;
      expect(entries.filter((e) => e.action === 'municipality_figures.imported')).toHaveLength(2);
      expect(entries.find((e) => e.entityId === again.body.importId)?.change).toEqual({ rows: 2, replaced: 1, periods: [2025, 2026] });
    });
  });

  it('documents the statistics, the investment case and the comparison with their response schemas in OpenAPI', async () => {
    const document = (await t.http.get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>; components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    const okSchema = (path: string, method = 'get', status = '200') => document.paths[path][method].responses[status].content?.['application/json'].schema.$ref;
    expect(okSchema('/api/v1/reports/statistics')).toBe('#/components/schemas/StatisticsReportDto');
    expect(okSchema('/api/v1/reports/investment-case')).toBe('#/components/schemas/InvestmentCaseDto');
    expect(okSchema('/api/v1/comparisons')).toBe('#/components/schemas/ComparisonDto');
    expect(okSchema('/api/v1/comparisons/import', 'post', '201')).toBe('#/components/schemas/ComparisonImportDto');
    expect(Object.keys(document.components.schemas.StatisticsReportDto.properties)).toEqual(expect.arrayContaining(['startsByMonth', 'ended', 'extensions', 'cumulative', 'internalShare', 'byAgeBand']));
    expect(Object.keys(document.components.schemas.InvestmentCaseDto.properties)).toEqual(expect.arrayContaining(['refundPercent', 'netMonthlyBenefitOre', 'rows']));
  });

  it('renders the statistics, investment-case and comparison pages in English too, with the same figures', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    await agent.post('/login').type('form').send({ _csrf: csrf, email: finance.email, password: finance.password, next: '/' }).expect(303);
    const statisticsPage = await agent.get('/finance/statistics?year=2026&lang=en').expect(200);
    expect(statisticsPage.text).toContain('Mentor course statistics 2026');
    const investmentPage = await agent.get('/finance/investment-case?year=2026&lang=en').expect(200);
    // 13,000 kr. less 30 % = 9,100 kr. a month.
    expect(investmentPage.text).toContain('9,100.00');
    const comparisonPage = await agent.get('/finance/comparison?year=2026&lang=en').expect(200);
    expect(comparisonPage.text).toContain('Comparison with other municipalities 2026');
    expect(comparisonPage.text).toContain('Rebild (the portal&#x27;s figures)');
    const refused = await agent.get('/finance/comparison?year=20266&lang=en').expect(422);
    expect(refused.text).toContain('aria-describedby');
  });
});
