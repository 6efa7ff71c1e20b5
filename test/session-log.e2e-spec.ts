import { auditActions } from './support/factories';
import { supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/** A Peppol BIS 3 invoice with one monthly line per grant: hours (HUR) over a period, the grant as line reference. */
function monthlyInvoice(
  cvr: string,
  number: string,
  lines: Array<{ reference: string; hours: number }>,
  options: { buyer?: string; orderReference?: string; from?: string; to?: string } = {},
): string {
  const from = options.from ?? '2026-11-01';
  const to = options.to ?? '2026-11-30';
  const net = lines.reduce((sum, line) => sum + line.hours * 450, 0);
  const vat = net / 4;
  const xmlLines = lines
    .map(
      (line, i) => `
  <cac:InvoiceLine>
    <cbc:ID>${i + 1}</cbc:ID>
    <cbc:InvoicedQuantity unitCode="HUR">${line.hours}</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="DKK">${(line.hours * 450).toFixed(2)}</cbc:LineExtensionAmount>
    <cac:InvoicePeriod><cbc:StartDate>${from}</cbc:StartDate><cbc:EndDate>${to}</cbc:EndDate></cac:InvoicePeriod>
    <cac:OrderLineReference><cbc:LineID>${line.reference}</cbc:LineID></cac:OrderLineReference>
    <cac:Item><cbc:Name>Mentorstøtte november</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="DKK">450.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>${number}</cbc:ID>
  <cbc:IssueDate>2026-11-25</cbc:IssueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>Jobcenter mentor</cbc:BuyerReference>
  <cac:InvoicePeriod><cbc:StartDate>${from}</cbc:StartDate><cbc:EndDate>${to}</cbc:EndDate></cac:InvoicePeriod>${options.orderReference ? `\n  <cac:OrderReference><cbc:ID>${options.orderReference}</cbc:ID></cac:OrderReference>` : ''}
  <cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0184">${cvr}</cbc:EndpointID><cac:PartyLegalEntity><cbc:RegistrationName>Mentor ApS</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="0088">${options.buyer ?? '5798000000001'}</cbc:EndpointID><cac:PartyLegalEntity><cbc:RegistrationName>Jobcenter</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="DKK">${vat.toFixed(2)}</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="DKK">${net.toFixed(2)}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="DKK">${net.toFixed(2)}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="DKK">${(net + vat).toFixed(2)}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="DKK">${(net + vat).toFixed(2)}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>${xmlLines}
</Invoice>`;
}

// Four sessions of an hour in four ISO weeks of November (weeks 45–48), all before the test's today (2026-11-25).
const NOVEMBER = ['2026-11-03', '2026-11-10', '2026-11-17', '2026-11-24'];

interface Line {
  lineNo: number;
  date: string;
  minutes: number;
  approvableOre: number;
  findings: Array<{ code: string; values: Record<string, unknown>; message: { da: string; en: string } }>;
}

describe('the session log and monthly e-invoices', () => {
  let t: TestApp;
  let mentor: SupplierWithGrants;
  let other: SupplierWithGrants;
  let finance: TestUser;
  let admin: TestUser;
  let caseworker: TestUser;

  const count = async (table: string): Promise<number> => Number(((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`)) as Array<{ n: string }>)[0].n);
  const logSession = (user: TestUser, body: Record<string, unknown>) => t.http.post('/api/v1/sessions').set(bearer(user.token)).send(body);
  const submitXml = (user: TestUser, xml: string) => t.http.post('/api/v1/invoices').set(bearer(user.token)).set('Content-Type', 'application/xml').send(xml);
  const logMonth = async (grantId: string) => {
    for (const date of NOVEMBER) await logSession(mentor.user, { grantId, date, minutes: 60, contactForm: 'in_person', withWhom: 'citizen' }).expect(201);
  };

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    finance = await makeUser(t, 'finance');
    admin = await makeUser(t, 'admin');
    caseworker = await makeUser(t, 'caseworker');
    mentor = await supplierWithGrants(t, { four: { minutesPerWeek: 60 }, six: { minutesPerWeek: 60 }, none: { minutesPerWeek: 60 }, form: { minutesPerWeek: 120 }, json: { minutesPerWeek: 60 }, csv: { minutesPerWeek: 60 } });
    other = await supplierWithGrants(t, { x: {} });
  });
  afterAll(() => t.close());

  it('matches a monthly line of 4 hours against four logged sessions: 240 approvable minutes in the logged weeks', async () => {
    await logMonth(mentor.grants.four.id);
    const response = await submitXml(mentor.user, monthlyInvoice(mentor.cvr, 'NOV-4', [{ reference: mentor.grants.four.reference, hours: 4 }])).expect(201);
    const lines = response.body.lines as Line[];
    expect(lines.map((line) => [line.date, line.minutes, line.approvableOre])).toEqual(NOVEMBER.map((date) => [date, 60, 45_000]));
    expect(lines.flatMap((line) => line.findings)).toEqual([]);
    expect(response.body).toMatchObject({ netOre: 180_000, approvableOre: 180_000, errorCount: 0 });

    // The sessions are invoiced now: visible as such, and no longer changed.
    const log = await t.http.get('/api/v1/sessions').query({ grantId: mentor.grants.four.id }).set(bearer(mentor.user.token)).expect(200);
    expect(log.body).toMatchObject({ totalMinutes: 240, notInvoicedMinutes: 0 });
    expect((log.body.items as Array<{ invoiced: boolean; invoiceId: string }>).every((s) => s.invoiced && s.invoiceId === response.body.id)).toBe(true);
    const first = log.body.items[0] as { id: string };
    const refused = await t.http.patch(`/api/v1/sessions/${first.id}`).set(bearer(mentor.user.token)).send({ minutes: 45 }).expect(409);
    expect(refused.body.details).toEqual([expect.objectContaining({ rule: 'session_invoiced' })]);
    await t.http.delete(`/api/v1/sessions/${first.id}`).set(bearer(mentor.user.token)).expect(409);
  });

  it('a line of 6 hours gives a finding on the 2 hours beyond the log, which approval does not pay', async () => {
    await logMonth(mentor.grants.six.id);
    const response = await submitXml(mentor.user, monthlyInvoice(mentor.cvr, 'NOV-6', [{ reference: mentor.grants.six.reference, hours: 6 }])).expect(201);
    const lines = response.body.lines as Line[];
    expect(lines.map((line) => [line.date, line.minutes, line.approvableOre])).toEqual([...NOVEMBER.map((date) => [date, 60, 45_000]), ['2026-11-24', 120, 0]]);
    const beyond = lines[4].findings;
    expect(beyond).toEqual([
      expect.objectContaining({
        code: 'hours_beyond_log',
        values: { grantReference: mentor.grants.six.reference, invoiceLineNo: 1, invoicedMinutes: 360, loggedMinutes: 240, lineMinutes: 120 },
      }),
    ]);
    expect(beyond[0].message.en).toBe(`Line 5: invoice line 1 invoices 360 minutes on grant ${mentor.grants.six.reference}, but the session log holds 240 minutes in its period; these 120 minutes beyond the log cannot be approved`);
    expect(beyond[0].message.da).toContain('ud over loggen kan ikke godkendes');
    expect(response.body).toMatchObject({ netOre: 270_000, approvableOre: 180_000, errorCount: 1 });

    // Approval validates the stored lines again as received: the minutes beyond the log stay unpaid.
    const approved = await t.http.post(`/api/v1/invoices/${response.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    expect(approved.body).toMatchObject({ status: 'partly_approved', approvedOre: 180_000 });
  });

  it('without a log, a monthly line is placed on its first day as before', async () => {
    const response = await submitXml(mentor.user, monthlyInvoice(mentor.cvr, 'NOV-NONE', [{ reference: mentor.grants.none.reference, hours: 4 }])).expect(201);
    const lines = response.body.lines as Line[];
    expect(lines.map((line) => [line.date, line.minutes, line.approvableOre])).toEqual([['2026-11-01', 240, 45_000]]);
    expect(lines[0].findings.map((f) => f.code)).toEqual(['week_over_grant']);
  });

  it('lets a JSON or CSV invoice line name a period instead of retyping the logged sessions', async () => {
    await logMonth(mentor.grants.json.id);
    await logMonth(mentor.grants.csv.id);
    const json = await t.http
      .post('/api/v1/invoices')
      .set(bearer(mentor.user.token))
      .send({ invoiceNumber: 'NOV-JSON', issueDate: '2026-11-25', lines: [{ grantReference: mentor.grants.json.reference, date: '2026-11-01', periodTo: '2026-11-30', minutes: 240, rateOre: 45_000 }] })
      .expect(201);
    expect((json.body.lines as Line[]).map((line) => [line.date, line.minutes, line.approvableOre])).toEqual(NOVEMBER.map((date) => [date, 60, 45_000]));
    expect(json.body).toMatchObject({ periodFrom: '2026-11-01', periodTo: '2026-11-30', approvableOre: 180_000 });
    const csv = await t.http
      .post('/api/v1/invoices')
      .query({ invoiceNumber: 'NOV-CSV', issueDate: '2026-11-25' })
      .set(bearer(mentor.user.token))
      .set('Content-Type', 'text/csv')
      .send(`bevilling;dato;til;minutter;timepris\r\n${mentor.grants.csv.reference};2026-11-01;2026-11-30;300;450,00\r\n`)
      .expect(201);
    expect((csv.body.lines as Line[]).map((line) => [line.date, line.minutes, line.approvableOre, line.findings.map((f) => f.code)])).toEqual([
      ...NOVEMBER.map((date) => [date, 60, 45_000, []]),
      ['2026-11-24', 60, 0, ['hours_beyond_log']],
    ]);
  });

  it('refuses an e-invoice addressed to another EAN, naming it, and stores nothing', async () => {
    const before = await count('invoice');
    const response = await submitXml(mentor.user, monthlyInvoice(mentor.cvr, 'NOV-EAN', [{ reference: mentor.grants.none.reference, hours: 1 }], { buyer: '5790000000005' }))
      .set('Accept-Language', 'en')
      .expect(422);
    expect(response.body.details).toEqual([
      expect.objectContaining({ field: 'buyer.endpoint', rule: 'buyer_endpoint', values: { endpoint: '5790000000005' } }),
    ]);
    expect(response.body.details[0].message).toContain("not the job centre's location number (5798000000001)");
    expect(await count('invoice')).toBe(before);
  });

  it('refuses an e-invoice whose order reference names another supplier’s grant', async () => {
    const response = await submitXml(mentor.user, monthlyInvoice(mentor.cvr, 'NOV-REF', [{ reference: mentor.grants.none.reference, hours: 1 }], { orderReference: other.grants.x.reference })).expect(422);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'orderReference', rule: 'order_reference', values: { reference: other.grants.x.reference } })]);
  });

  describe('logging sessions', () => {
    it('is refused clearly, with nothing stored, for another supplier’s grant, a day after today, a duplicate and malformed minutes', async () => {
      const before = await count('mentor_session');
      await logSession(mentor.user, { grantId: other.grants.x.id, date: '2026-11-02', minutes: 60, contactForm: 'phone', withWhom: 'citizen' }).expect(404);
      const future = await logSession(mentor.user, { grantId: mentor.grants.form.id, date: '2026-11-26', minutes: 60, contactForm: 'phone', withWhom: 'citizen' }).expect(422);
      expect(future.body.details).toEqual([expect.objectContaining({ field: 'date', rule: 'not_in_future' })]);
      const malformed = await logSession(mentor.user, { grantId: mentor.grants.form.id, date: '2026-11-02', minutes: 'sixty', contactForm: 'phone', withWhom: 'the neighbour' });
      expect([400, 422]).toContain(malformed.status);
      expect([...new Set((malformed.body.details as Array<{ field: string }>).map((d) => d.field))].sort()).toEqual(['minutes', 'withWhom']);
      await logSession(mentor.user, { grantId: mentor.grants.form.id, date: '2026-11-02', minutes: 45, contactForm: 'phone', withWhom: 'citizen_and_employer' }).expect(201);
      const duplicate = await logSession(mentor.user, { grantId: mentor.grants.form.id, date: '2026-11-02', minutes: 45, contactForm: 'video', withWhom: 'citizen' }).expect(409);
      expect(duplicate.body.details).toEqual([expect.objectContaining({ field: 'date', rule: 'session_duplicate' })]);
      expect(await count('mentor_session')).toBe(before + 1);
      // Staff do not log sessions.
      await logSession(caseworker, { grantId: mentor.grants.form.id, date: '2026-11-03', minutes: 45, contactForm: 'phone', withWhom: 'citizen' }).expect(403);
    });

    it('changes and removes a session not invoiced, each change audited', async () => {
      const created = await logSession(mentor.user, { grantId: mentor.grants.form.id, date: '2026-11-04', minutes: 30, contactForm: 'phone', withWhom: 'citizen' }).expect(201);
      const changed = await t.http.patch(`/api/v1/sessions/${created.body.id}`).set(bearer(mentor.user.token)).send({ minutes: 50, withWhom: 'employer_or_network' });
      expect([changed.status, changed.body.details]).toEqual([200, undefined]);
      expect(changed.body).toMatchObject({ minutes: 50, withWhom: 'employer_or_network', invoiced: false });
      await t.http.patch(`/api/v1/sessions/${created.body.id}`).set(bearer(other.user.token)).send({ minutes: 40 }).expect(404);
      await t.http.delete(`/api/v1/sessions/${created.body.id}`).set(bearer(other.user.token)).expect(404);
      await t.http.delete(`/api/v1/sessions/${created.body.id}`).set(bearer(mentor.user.token)).expect(204);
      const audit = await auditActions(t, admin, 'mentor_session', created.body.id);
      expect(audit.map((a) => a.action).sort()).toEqual(['session.changed', 'session.logged', 'session.removed']);
      expect(audit.find((a) => a.action === 'session.changed')?.change).toEqual({ grantReference: mentor.grants.form.reference, minutes: { from: 30, to: 50 }, withWhom: { from: 'citizen', to: 'employer_or_network' } });
    });

    it('logs a CSV file whole, or nothing with a clear error per row, and refuses a file over the size limit', async () => {
      const csv = (rows: string[]) => ['bevilling;dato;minutter;kontaktform;med_hvem', ...rows].join('\r\n');
      const upload = (text: string) => t.http.post('/api/v1/sessions/import').set(bearer(mentor.user.token)).set('Content-Type', 'text/csv').send(text);
      const before = await count('mentor_session');
      const bad = await upload(
        csv([
          `${mentor.grants.form.reference};2026-11-05;45;fremmøde;borger`,
          `${mentor.grants.form.reference};2026-12-01;45;telefon;borger`,
          `${other.grants.x.reference};2026-11-05;45;telefon;borger`,
          `${mentor.grants.form.reference};2026-11-06;abc;video;nogen`,
          `${mentor.grants.form.reference};2026-11-05;45;video;borger og netværk`,
        ]),
      ).expect(422);
      expect((bad.body.details as Array<{ field: string; rule: string }>).map((d) => [d.field, d.rule])).toEqual([
        ['rows[3].date', 'not_in_future'],
        ['rows[4].grantReference', 'own_active_grant'],
        ['rows[5].minutes', 'minutes_in_day'],
        ['rows[5].withWhom', 'with_whom'],
        ['rows[6].date', 'session_duplicate'],
      ]);
      expect(await count('mentor_session')).toBe(before);
      const good = await upload(csv([`${mentor.grants.form.reference};2026-11-05;45;fremmøde;borger`, `${mentor.grants.form.reference};2026-11-12;30;telefon;borger og arbejdsgiver`])).expect(201);
      expect(good.body.created).toBe(2);
      expect(await count('mentor_session')).toBe(before + 2);
      const tooLarge = await upload(csv(Array.from({ length: 12_000 }, (_, i) => `${mentor.grants.form.reference};2026-11-05;${(i % 1440) + 1};fremmøde;borger`)));
      expect(tooLarge.status).toBe(413);
      expect(await count('mentor_session')).toBe(before + 2);
    });

    it('shows sessions logged but not invoiced to the caseworker, and another supplier none of them', async () => {
      const open = await t.http.get('/api/v1/sessions').query({ grantId: mentor.grants.form.id, invoiced: 'false' }).set(bearer(caseworker.token)).expect(200);
      expect((open.body.items as Array<{ date: string; invoiced: boolean }>).map((s) => [s.date, s.invoiced])).toEqual([
        ['2026-11-02', false],
        ['2026-11-05', false],
        ['2026-11-12', false],
      ]);
      expect(open.body.notInvoicedMinutes).toBe(120);
      expect(JSON.stringify(open.body)).not.toMatch(/\d{6}-?\d{4}/);
      await t.http.get('/api/v1/sessions').query({ grantId: mentor.grants.form.id }).set(bearer(other.user.token)).expect(404);
      const others = await t.http.get('/api/v1/sessions').set(bearer(other.user.token)).expect(200);
      expect(others.body.items).toEqual([]);
    });
  });
});
