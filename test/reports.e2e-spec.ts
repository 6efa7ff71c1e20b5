import { Workbook } from 'exceljs';
import { randomBytes } from 'node:crypto';
import { binary } from './support/binary';
import { approveGrant, procurementUser } from './support/factories';
import { fictitiousCpr, invoiceBody, supplierWithGrants, type LineSpec, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

// A supplier name a spreadsheet would run as a formula; the exports must neutralise it.
const HOSTILE_NAME = '=HYPERLINK("http://evil.example","Klik")';

/**
 * The reports over a year set up through the API (today is 2026-11-25):
 * - supplier A (mentor supplier, renamed to HOSTILE_NAME): retention grants a1 (sickness benefit) and a2
 *   (activity-ready cash benefit, weekly minimum contact) and holistic a4 for a1's citizen, invoiced in
 *   October and ended; a1's session of 12 October credited; holistic a3 starting 1 December, active, at
 *   400 kr./hour to 15 December and 420 kr./hour after;
 * - company B (partner company, 250 kr./hour): grant p, 105 minutes registered in October, ended;
 * - supplier C (mentor supplier): retention c1 (invoiced in March and June, ended) and c2 (never invoiced).
 */
describe('reports', () => {
  let t: TestApp;
  let finance: TestUser;
  let procurement: TestUser;
  let caseworker: TestUser;
  let admin: TestUser;
  let a: SupplierWithGrants;
  let b: SupplierWithGrants;
  let c: SupplierWithGrants;
  const aGrants: Record<string, { id: string; reference: string }> = {};
  const invoiceCounts: Record<string, { errorCount: number; warningCount: number }> = {};
  const cprs: string[] = [];

  const citizen = async (targetGroup: string): Promise<string> => {
    const cpr = fictitiousCpr();
    cprs.push(cpr);
    const response = await t.http
      .post('/api/v1/citizens')
      .set(bearer(caseworker.token))
      .send({ cpr, name: `Borger ${randomBytes(2).toString('hex')}`, caseNumber: `J-${randomBytes(3).toString('hex')}`, targetGroup })
      .expect(201);
    return response.body.id as string;
  };
  const grant = async (citizenId: string, terms: { mentorType: string; minutesPerWeek: number; start: string; end: string }): Promise<{ id: string; reference: string }> => {
    const response = await t.http
      .post('/api/v1/grants')
      .set(bearer(caseworker.token))
      .send({ citizenId, agreementId: a.agreementId, serviceLevel: 1, goal: 'Fastholdelse i aktivitet', tasks: 'Samtaler', mentorName: 'Mette Mentor', mentorPhone: '12345678', ...terms });
    if (response.status !== 201) throw new Error(`grant: ${response.status} ${JSON.stringify(response.body)}`);
    await approveGrant(t, response.body.id, terms.start);
    return { id: response.body.id, reference: response.body.reference };
  };
  const approvedInvoice = async (supplier: SupplierWithGrants, name: string, lines: LineSpec[], extra: Record<string, unknown> = {}) => {
    const invoice = await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody(lines, extra)).expect(201);
    invoiceCounts[name] = { errorCount: invoice.body.errorCount, warningCount: invoice.body.warningCount };
    await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    return invoice.body as { id: string; invoiceNumber: string };
  };
  const end = (grantId: string, outcome: string, endedOn: string, reason?: string) => t.http.post(`/api/v1/grants/${grantId}/end`).set(bearer(caseworker.token)).send({ outcome, endedOn, reason }).expect(200);
  const report = (path: string, user: TestUser, year: string | number = 2026, shape: Record<string, string> = { format: 'raw' }) =>
    t.http.get(`/api/v1/reports/${path}`).query({ year, ...(path.includes('.') ? shape : {}) }).set(bearer(user.token));

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    [finance, caseworker, admin] = await Promise.all([makeUser(t, 'finance'), makeUser(t, 'caseworker'), makeUser(t, 'admin')]);
    procurement = await procurementUser(t);

    a = await supplierWithGrants(t, {});
    await t.http.patch(`/api/v1/suppliers/${a.supplierId}`).set(bearer(procurement.token)).send({ name: HOSTILE_NAME }).expect(200);
    for (const rate of [
      { validFrom: '2026-01-01', validTo: '2026-12-15', rateOre: 40_000 },
      { validFrom: '2026-12-16', rateOre: 42_000 },
    ]) {
      await t.http.post(`/api/v1/agreements/${a.agreementId}/rates`).set(bearer(procurement.token)).send({ mentorType: 'holistic', serviceLevel: 1, ...rate }).expect(201);
    }
    // Granted a holistic mentor too, so of a target group it is granted to (eligibility); like sickness benefit, no weekly contact.
    const sick = await citizen('education_benefit_activity_ready');
    const activityReady = await citizen('activity_ready_cash_benefit');
    const education = await citizen('education_benefit_activity_ready');
    aGrants.a1 = await grant(sick, { mentorType: 'retention', minutesPerWeek: 60, start: '2026-09-01', end: '2027-02-28' });
    aGrants.a2 = await grant(activityReady, { mentorType: 'retention', minutesPerWeek: 60, start: '2026-09-01', end: '2027-02-28' });
    aGrants.a4 = await grant(sick, { mentorType: 'holistic', minutesPerWeek: 60, start: '2026-09-01', end: '2027-02-28' });
    aGrants.a3 = await grant(education, { mentorType: 'holistic', minutesPerWeek: 90, start: '2026-12-01', end: '2027-05-31' });

    b = await supplierWithGrants(t, { p: { minutesPerWeek: 60, mentorType: 'company' } }, { kind: 'partner_company', rateOre: 25_000 });
    c = await supplierWithGrants(t, {
      c1: { minutesPerWeek: 120, start: '2026-03-02', end: '2026-08-31' },
      c2: { minutesPerWeek: 150, serviceLevel: 2, start: '2026-03-02', end: '2026-08-31' },
    });

    // October at A: 5 sessions of 60 minutes, the holistic one at 400 kr./hour.
    const october = await approvedInvoice(a, 'a-october', [
      { grantReference: aGrants.a1.reference, date: '2026-10-05', minutes: 60 },
      { grantReference: aGrants.a1.reference, date: '2026-10-12', minutes: 60 },
      { grantReference: aGrants.a2.reference, date: '2026-10-05', minutes: 60 },
      { grantReference: aGrants.a2.reference, date: '2026-10-19', minutes: 60 },
      { grantReference: aGrants.a4.reference, date: '2026-10-07', minutes: 60, rateOre: 40_000 },
    ]);
    await approvedInvoice(a, 'a-credit', [{ grantReference: aGrants.a1.reference, date: '2026-10-12', minutes: 60 }], { documentType: 'credit_note', creditsInvoiceNumbers: [october.invoiceNumber] });
    for (const [date, minutes] of [['2026-10-06', 60], ['2026-10-13', 45]] as const) {
      await t.http.post('/api/v1/hour-registrations').set(bearer(b.user.token)).send({ grantId: b.grants.p.id, date, minutes, contactForm: 'in_person' }).expect(201);
    }
    const selfBilling = await t.http.post('/api/v1/hour-registrations/2026-10/submit').set(bearer(b.user.token)).expect(200);
    invoiceCounts['b-october'] = { errorCount: selfBilling.body.errorCount, warningCount: selfBilling.body.warningCount };
    await t.http.post(`/api/v1/invoices/${selfBilling.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    await approvedInvoice(c, 'c-spring', [
      { grantReference: c.grants.c1.reference, date: '2026-03-02', minutes: 120 },
      { grantReference: c.grants.c1.reference, date: '2026-06-10', minutes: 90 },
    ]);

    await end(aGrants.a1.id, 'job', '2026-10-31');
    await end(aGrants.a2.id, 'education', '2026-11-15');
    // A holistic course ends early only for a lawful reason: here the citizen left the target group.
    await end(aGrants.a4.id, 'still_on_benefit', '2026-11-20', 'left_target_group');
    await end(b.grants.p.id, 'other_benefit', '2026-10-31');
    await end(c.grants.c1.id, 'job', '2026-08-31');
    await t.http.put('/api/v1/budgets/2026').set(bearer(finance.token)).send({ budgetOre: 1_000_000, frameOre: 300_000 }).expect(200);
  });
  afterAll(() => t.close());

  it('validates the invoices as the figures below assume: two weeks without minimum contact at A, no other findings', () => {
    expect(invoiceCounts).toEqual({
      'a-october': { errorCount: 0, warningCount: 2 },
      'a-credit': { errorCount: 0, warningCount: 0 },
      'b-october': { errorCount: 0, warningCount: 0 },
      'c-spring': { errorCount: 0, warningCount: 0 },
    });
  });

  it('follows the budget month by month: spent with credits negative, committed from the active grant, forecast = spent + committed', async () => {
    const { body } = await report('budget', finance).expect(200);
    expect(body).toMatchObject({ year: 2026, today: '2026-11-25', budgetOre: 1_000_000, frameOre: 300_000, forecastMethod: 'spent_plus_committed', unpricedGrants: [] });
    // a3 in December: 90 min/week × 15 days / 7 = 193 min at 400 kr. = 128 667 øre, and 206 min at 420 kr. = 144 200 øre.
    expect(body.totals).toEqual({ spentOre: 376_250, committedOre: 272_867, forecastOre: 649_117, budgetLeftAfterForecastOre: 350_883, forecastPercentOfBudget: 64.9 });
    const months = (body.months as Array<{ month: string; spentOre: number; committedOre: number; cumulativeForecastOre: number }>).filter((m) => m.spentOre !== 0 || m.committedOre !== 0);
    expect(months.map((m) => [m.month, m.spentOre, m.committedOre, m.cumulativeForecastOre])).toEqual([
      ['2026-03', 90_000, 0, 90_000],
      ['2026-06', 67_500, 0, 157_500],
      ['2026-10', 218_750, 0, 376_250],
      ['2026-12', 0, 272_867, 649_117],
    ]);
    expect(body.byMentorType.map((r: { mentorType: string; spentOre: number; committedOre: number }) => [r.mentorType, r.spentOre, r.committedOre])).toEqual([
      ['retention', 292_500, 0],
      ['company', 43_750, 0],
      ['holistic', 40_000, 272_867],
    ]);
    const supplier = (id: string) => body.bySupplier.find((r: { supplierId: string }) => r.supplierId === id);
    expect(supplier(a.supplierId)).toMatchObject({ supplierName: HOSTILE_NAME, supplierKind: 'mentor_supplier', spentOre: 175_000, committedOre: 272_867, forecastOre: 447_867 });
    expect(supplier(b.supplierId)).toMatchObject({ supplierKind: 'partner_company', spentOre: 43_750, committedOre: 0 });
    expect(supplier(c.supplierId)).toMatchObject({ spentOre: 157_500, committedOre: 0 });
    expect(body.bySupplier).toHaveLength(3);
  });

  it('reports amount, unique citizens and average per citizen by mentor type and supplier, and the share of external suppliers and companies', async () => {
    const { body } = await report('spend', procurement).expect(200);
    // 376 250 øre over 4 citizens = 94 062.5 → 94 063; a1's citizen also had holistic support and counts once.
    expect(body.total).toEqual({ amountOre: 376_250, citizens: 4, averagePerCitizenOre: 94_063 });
    expect(body.byMentorType).toEqual([
      { mentorType: 'retention', amountOre: 292_500, citizens: 3, averagePerCitizenOre: 97_500 },
      { mentorType: 'company', amountOre: 43_750, citizens: 1, averagePerCitizenOre: 43_750 },
      { mentorType: 'holistic', amountOre: 40_000, citizens: 1, averagePerCitizenOre: 40_000 },
    ]);
    const supplier = (id: string) => body.bySupplier.find((r: { supplierId: string }) => r.supplierId === id);
    expect(supplier(a.supplierId)).toEqual({ supplierId: a.supplierId, supplierName: HOSTILE_NAME, supplierKind: 'mentor_supplier', amountOre: 175_000, citizens: 2, averagePerCitizenOre: 87_500 });
    expect(supplier(b.supplierId)).toMatchObject({ amountOre: 43_750, citizens: 1, averagePerCitizenOre: 43_750 });
    expect(supplier(c.supplierId)).toMatchObject({ amountOre: 157_500, citizens: 1, averagePerCitizenOre: 157_500 });
    expect(body.bySupplierKind.map((k: { supplierKind: string; share: string; amountOre: number; citizens: number; percentOfAmount: number; coursesStarted: number }) => [k.supplierKind, k.share, k.amountOre, k.citizens, k.percentOfAmount, k.coursesStarted])).toEqual([
      ['mentor_supplier', 'external', 332_500, 3, 88.4, 6],
      ['partner_company', 'company', 43_750, 1, 11.6, 1],
      ['education_institution', 'external', 0, 0, 0, 0],
      ['internal', 'internal', 0, 0, 0, 0],
    ]);
  });

  it('counts courses started per month, and durations and outcomes of the courses ended in the year', async () => {
    const { body } = await report('spend', finance).expect(200);
    const { coursesStarted, endedCourses } = body.statistics;
    expect(coursesStarted.total).toBe(7);
    expect(coursesStarted.byMonth.filter((m: { started: number }) => m.started > 0)).toEqual([
      { month: '2026-03', started: 2, byMentorType: { retention: 2, company: 0, holistic: 0, discharge: 0, release: 0 } },
      { month: '2026-09', started: 4, byMentorType: { retention: 2, company: 1, holistic: 1, discharge: 0, release: 0 } },
      { month: '2026-12', started: 1, byMentorType: { retention: 0, company: 0, holistic: 1, discharge: 0, release: 0 } },
    ]);
    // 61 (a1), 76 (a2), 81 (a4), 61 (p), 183 (c1) days: mean 92.4 → 92, median 76.
    expect(endedCourses).toEqual({
      count: 5,
      averageDays: 92,
      medianDays: 76,
      byOutcome: [
        { outcome: 'job', count: 2, averageDays: 122, medianDays: 122, percent: 40 },
        { outcome: 'education', count: 1, averageDays: 76, medianDays: 76, percent: 20 },
        { outcome: 'education_started', count: 0, averageDays: null, medianDays: null, percent: 0 },
        { outcome: 'active_offer', count: 0, averageDays: null, medianDays: null, percent: 0 },
        { outcome: 'other_benefit', count: 1, averageDays: 61, medianDays: 61, percent: 20 },
        { outcome: 'still_on_benefit', count: 1, averageDays: 81, medianDays: 81, percent: 20 },
        { outcome: 'moved', count: 0, averageDays: null, medianDays: null, percent: 0 },
        { outcome: 'other', count: 0, averageDays: null, medianDays: null, percent: 0 },
      ],
    });
  });

  it('sets each supplier’s delivered minutes against its granted minutes to today, with findings per invoice and weeks without minimum contact', async () => {
    const { body } = await report('supplier-performance', procurement).expect(200);
    expect(body).toMatchObject({ year: 2026, measuredFrom: '2026-01-01', measuredThrough: '2026-11-25' });
    const supplier = (id: string) => body.suppliers.find((r: { supplierId: string }) => r.supplierId === id);
    // a1 523 + a2 651 + a4 694 granted minutes; 300 delivered less 60 credited.
    expect(supplier(a.supplierId)).toEqual({
      supplierId: a.supplierId,
      supplierName: HOSTILE_NAME,
      supplierKind: 'mentor_supplier',
      grants: 3,
      grantedMinutes: 1_868,
      deliveredMinutes: 240,
      deliveredPercent: 12.8,
      invoices: 2,
      errors: 0,
      warnings: 2,
      findingsPerInvoice: 1,
      missedMinimumContacts: 2,
      silentGrants: 0,
    });
    expect(supplier(b.supplierId)).toMatchObject({ grants: 1, grantedMinutes: 523, deliveredMinutes: 105, deliveredPercent: 20.1, invoices: 1, findingsPerInvoice: 0, missedMinimumContacts: 0 });
    // c1 120 and c2 150 minutes a week over 183 days: 3 137 + 3 921.
    expect(supplier(c.supplierId)).toMatchObject({ grants: 2, grantedMinutes: 7_058, deliveredMinutes: 210, deliveredPercent: 3, invoices: 1, errors: 0, warnings: 0 });
    expect(body.total).toEqual({ grants: 6, grantedMinutes: 9_449, deliveredMinutes: 555, deliveredPercent: 5.9, invoices: 4, errors: 0, warnings: 2, findingsPerInvoice: 0.5, missedMinimumContacts: 2, silentGrants: 0 });
  });

  it('never shows a citizen’s name or CPR number', async () => {
    for (const path of ['budget', 'spend', 'supplier-performance', 'spend.csv', 'budget.csv', 'supplier-performance.csv']) {
      const response = await report(path, admin).expect(200);
      const text = response.text || JSON.stringify(response.body);
      expect({ path, names: text.includes('Borger'), cpr: /\b\d{6}-(\d{4}|XXXX)\b/.test(text) || cprs.some((cpr) => text.includes(cpr) || text.includes(cpr.replace('-', ''))) }).toEqual({
        path,
        names: false,
        cpr: false,
      });
    }
  });

  it('exports each report as CSV and XLSX, with a formula in a supplier name neutralised', async () => {
    const csv = await report('spend.csv', finance).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="spend-2026.csv"');
    const rows = csv.text.replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(rows[0]).toBe('dimension;key;name;supplier_kind;amount_ore;amount_kr;citizens;average_per_citizen_ore;average_per_citizen_kr');
    expect(rows).toContain(`supplier;${a.supplierId};"'=HYPERLINK(""http://evil.example"",""Klik"")";mentor_supplier;175000;1.750,00 kr.;2;87500;875,00 kr.`);
    expect(rows[rows.length - 1]).toBe('total;total;I alt 2026;;376250;3.762,50 kr.;4;94063;940,63 kr.');
    expect(rows.some((row) => /(^|;)=/.test(row))).toBe(false);

    const budget = await report('budget.csv', finance).expect(200);
    const budgetRows = budget.text.replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(budgetRows[0]).toBe('dimension;key;name;period;spent_ore;committed_ore;forecast_ore;forecast_kr;budget_ore;frame_ore');
    expect(budgetRows).toContain('total;total;I alt;2026;376250;272867;649117;6.491,17 kr.;1000000;300000');

    const performance = await report('supplier-performance.csv', procurement).expect(200);
    const performanceRows = performance.text.replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(performanceRows[0]).toBe('supplier_id;supplier;supplier_kind;grants;granted_minutes;delivered_minutes;delivered_percent;invoices;errors;warnings;findings_per_invoice;missed_minimum_contacts;silent_grants');
    expect(performanceRows).toContain(`${a.supplierId};"'=HYPERLINK(""http://evil.example"",""Klik"")";mentor_supplier;3;1868;240;12,8;2;0;2;1;2;0`);

    for (const path of ['spend.xlsx', 'budget.xlsx', 'supplier-performance.xlsx']) {
      const xlsx = await report(path, admin).buffer(true).parse(binary).expect(200);
      expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const file = xlsx.body as Buffer;
      expect(file.subarray(0, 2).toString()).toBe('PK');
      const workbook = new Workbook();
      await workbook.xlsx.load(file as unknown as Parameters<Workbook['xlsx']['load']>[0]);
      const texts: unknown[] = [];
      workbook.worksheets[0].eachRow((row) => row.eachCell((cell) => texts.push(cell.value)));
      expect(texts).toContain(`'=HYPERLINK("http://evil.example","Klik")`);
    }
  });

  it('exports spend and budget for people: Danish headers and labels, kroner in #,##0.00, the period and a totals row; English with lang=en', async () => {
    const readSheet = async (path: string, query: Record<string, string> = {}) => {
      const xlsx = await report(path, finance, 2026, query).buffer(true).parse(binary).expect(200);
      const workbook = new Workbook();
      await workbook.xlsx.load(xlsx.body as Buffer as unknown as Parameters<Workbook['xlsx']['load']>[0]);
      return workbook.worksheets[0];
    };
    const spend = await readSheet('spend.xlsx', { by: 'supplier' });
    expect(spend.name).toBe('Forbrug 2026');
    expect(spend.getCell('A1').value).toBe('Forbrug 2026');
    expect(spend.getRow(2).values).toEqual([undefined, 'Periode', '01-01-2026 – 31-12-2026']);
    expect(spend.getRow(3).values).toEqual([undefined, 'Opdelt efter', 'leverandør']);
    expect(spend.getRow(6).values).toEqual([undefined, 'Leverandør', 'Leverandørtype', 'Beløb ekskl. moms (kr.)', 'Borgere', 'Gennemsnit pr. borger (kr.)']);
    const rowOfA = spend.getRows(7, spend.rowCount - 6)!.find((row) => row.getCell(1).value === `'=HYPERLINK("http://evil.example","Klik")`)!;
    expect(rowOfA.values).toEqual([undefined, `'=HYPERLINK("http://evil.example","Klik")`, 'Mentorleverandør', 1750, 2, 875]);
    expect([rowOfA.getCell(3).numFmt, rowOfA.getCell(5).numFmt]).toEqual(['#,##0.00', '#,##0.00']);
    const totals = spend.getRow(spend.rowCount);
    expect(totals.values).toEqual([undefined, 'I alt', undefined, 3762.5, 4, 940.63]);
    expect(totals.getCell(3).numFmt).toBe('#,##0.00');
    expect(totals.font?.bold).toBe(true);

    const byType = await readSheet('spend.xlsx');
    expect(byType.getRow(6).values).toEqual([undefined, 'Mentortype', 'Beløb ekskl. moms (kr.)', 'Borgere', 'Gennemsnit pr. borger (kr.)']);
    expect(byType.getCell('A7').value).toBe('Fastholdelsesmentor');

    const budget = await readSheet('budget.xlsx');
    expect(budget.getCell('A1').value).toBe('Budgetopfølgning 2026');
    expect(budget.getRow(3).values).toEqual([undefined, 'Budget', '10.000,00 kr.']);
    expect(budget.getRow(4).values).toEqual([undefined, 'Refusionsramme', '3.000,00 kr.']);
    expect(budget.getRow(8).values).toEqual([undefined, 'Måned', 'Forbrugt (kr.)', 'Bundet (kr.)', 'Prognose (kr.)', 'Prognose løbende (kr.)']);
    // Twelve months, each a date shown as its month, then the year's totals.
    expect(budget.getCell('A9').value).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(budget.getCell('A9').numFmt).toBe('yyyy-mm');
    expect(budget.rowCount).toBe(8 + 12 + 1);
    expect(budget.getRow(21).values).toEqual([undefined, 'I alt', 3762.5, 2728.67, 6491.17]);

    const english = await report('spend.csv', finance, 2026, { lang: 'en' }).expect(200);
    const lines = english.text.replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(lines.slice(0, 5)).toEqual(['Spend 2026', 'Period;2026-01-01 – 2026-12-31', 'Broken down by;mentor type', 'Filters;none', '']);
    expect(lines[5]).toBe('Mentor type;Amount excl. VAT (DKK);Citizens;Average per citizen (DKK)');
    expect(lines[lines.length - 1]).toBe('Total;3762.50;4;940.63');
    const danish = await report('spend.csv', finance, 2026, {}).expect(200);
    expect(danish.text.replace(/^\ufeff/, '').trimEnd().split('\r\n').pop()).toBe('I alt;3762,50;4;940,63');
  });

  it('answers a year without data or budget with zeros and nulls', async () => {
    const budget = await report('budget', finance, 2030).expect(200);
    expect(budget.body).toMatchObject({ budgetOre: null, frameOre: null, totals: { spentOre: 0, committedOre: 0, forecastOre: 0, budgetLeftAfterForecastOre: null }, byMentorType: [], bySupplier: [] });
    const spend = await report('spend', finance, 2030).expect(200);
    expect(spend.body.total).toEqual({ amountOre: 0, citizens: 0, averagePerCitizenOre: null });
    const performance = await report('supplier-performance', finance, 2030).expect(200);
    expect(performance.body).toMatchObject({ measuredThrough: null, suppliers: [] });
  });

  it('refuses a missing, malformed or out-of-range year with 422 naming the field', async () => {
    const missing = await t.http.get('/api/v1/reports/spend').set(bearer(finance.token)).expect(422);
    expect(missing.body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'The request has invalid fields',
      details: [{ field: 'year', rule: 'report_year', message: 'year is required, e.g. ?year=2026' }],
    });
    for (const year of ['abc', '1999', '2101', '2026.5', '0x7EA', '']) {
      const response = await report('budget', finance, year);
      expect({ year, status: response.status, details: response.body.details }).toEqual({
        year,
        status: 422,
        details: [{ field: 'year', rule: 'report_year', message: 'year must be a year from 2000 to 2100, e.g. ?year=2026' }],
      });
    }
    const csv = await report('spend.csv', finance, '20x6').expect(422);
    expect(csv.body.details[0]).toMatchObject({ field: 'year' });
    const extra = await t.http.get('/api/v1/reports/spend').query({ year: 2026, supplierId: 'x' }).set(bearer(finance.token)).expect(422);
    expect(extra.body.details[0]).toMatchObject({ field: 'supplierId', rule: 'unknown_field' });
  });

  it('lets finance and admin read the budget, procurement also spend and supplier performance, and nobody else', async () => {
    const supplierUser = a.user;
    for (const path of ['budget', 'budget.csv', 'budget.xlsx']) {
      await report(path, admin).expect(200);
      await report(path, procurement).expect(403);
      await report(path, caseworker).expect(403);
      await report(path, supplierUser).expect(403);
    }
    for (const path of ['spend', 'spend.csv', 'spend.xlsx', 'supplier-performance', 'supplier-performance.csv', 'supplier-performance.xlsx']) {
      await report(path, procurement).expect(200);
      await report(path, caseworker).expect(403);
      const refused = await report(path, supplierUser).expect(403);
      expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    }
  });

  it('counts weeks without minimum contact from the contact-gap rows written with an invoice’s findings, which its rejection removes', async () => {
    const gaps = async () =>
      ((await t.dataSource.query(`SELECT grant_reference, iso_week FROM contact_gap WHERE supplier_id = $1 ORDER BY iso_week`, [a.supplierId])) as Array<{ grant_reference: string; iso_week: string }>).map((row) => [
        row.grant_reference,
        row.iso_week,
      ]);
    const missed = async () => ((await report('supplier-performance', procurement).expect(200)).body.suppliers as Array<{ supplierId: string; missedMinimumContacts: number }>).find((s) => s.supplierId === a.supplierId)?.missedMinimumContacts;
    expect(await gaps()).toEqual([[aGrants.a2.reference, '2026-W42'], [aGrants.a4.reference, '2026-W43']]);
    // A pending invoice's gaps count as the findings did: W45 (2–8 November) is a week without contact on a2.
    const pending = await t.http
      .post('/api/v1/invoices')
      .set(bearer(a.user.token))
      .send(invoiceBody([{ grantReference: aGrants.a2.reference, date: '2026-10-26', minutes: 30 }, { grantReference: aGrants.a2.reference, date: '2026-11-09', minutes: 30 }]))
      .expect(201);
    expect(await gaps()).toEqual([[aGrants.a2.reference, '2026-W42'], [aGrants.a4.reference, '2026-W43'], [aGrants.a2.reference, '2026-W45']]);
    expect(await missed()).toBe(3);
    await t.http.post(`/api/v1/invoices/${pending.body.id}/reject`).set(bearer(finance.token)).send({ reason: 'Sessionerne er ikke dokumenteret' }).expect(200);
    expect(await gaps()).toEqual([[aGrants.a2.reference, '2026-W42'], [aGrants.a4.reference, '2026-W43']]);
    expect(await missed()).toBe(2);
  });
});
