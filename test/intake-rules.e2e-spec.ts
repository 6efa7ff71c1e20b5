import { randomBytes } from 'node:crypto';
import { AccessScope } from '../src/common/auth/access-scope';
import { SuppliersService } from '../src/suppliers/suppliers.service';
import { procurementUser } from './support/factories';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * The intake's rules at its doors: a deactivated supplier writes nothing, a line is an object, one
 * invoice-number rule for JSON, CSV and UBL, an e-invoice read in its declared encoding and only in the UBL
 * namespaces, and dates the domain can hold (billing months, hour registrations). Today is 2026-11-25.
 */

const UBL_INVOICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';

/** A Peppol BIS 3 invoice of one 60-minute session at 450 kr., in the given encoding declaration and root namespace. */
function ublInvoice(options: { cvr: string; number: string; reference: string; name: string; encoding?: string; namespace?: string | null }): string {
  const declaration = `<?xml version="1.0" encoding="${options.encoding ?? 'UTF-8'}"?>`;
  const xmlns = options.namespace === null ? '' : ` xmlns="${options.namespace ?? UBL_INVOICE_NS}"`;
  return `${declaration}
<Invoice${xmlns} xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ID>${options.number}</cbc:ID>
  <cbc:IssueDate>2026-11-20</cbc:IssueDate>
  <cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0184">${options.cvr}</cbc:EndpointID></cac:Party></cac:AccountingSupplierParty>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="HUR">1</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="DKK">450.00</cbc:LineExtensionAmount>
    <cac:InvoicePeriod><cbc:StartDate>2026-10-21</cbc:StartDate><cbc:EndDate>2026-10-21</cbc:EndDate></cac:InvoicePeriod>
    <cac:OrderLineReference><cbc:LineID>${options.reference}</cbc:LineID></cac:OrderLineReference>
    <cac:Item><cbc:Name>${options.name}</cbc:Name></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="DKK">450.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>`;
}

describe('intake rules', () => {
  let t: TestApp;
  let finance: TestUser;
  let mentor: SupplierWithGrants;

  const count = async (table: string): Promise<number> => Number(((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`)) as Array<{ n: string }>)[0].n);
  const counts = async () => ({ invoice: await count('invoice'), delivery: await count('delivery'), progress_report: await count('progress_report'), billing_run: await count('billing_run') });
  const postXml = (user: TestUser, body: string | Buffer) => t.http.post('/api/v1/invoices').set(bearer(user.token)).set('Content-Type', 'application/xml').send(body);
  const postCsv = (user: TestUser, invoiceNumber: string, csv: string) =>
    t.http.post('/api/v1/invoices').query({ invoiceNumber, issueDate: '2026-11-20' }).set(bearer(user.token)).set('Content-Type', 'text/csv').send(csv);

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    finance = await makeUser(t, 'finance');
    mentor = await supplierWithGrants(t, { a: {} });
  });
  afterAll(() => t.close());

  describe('a deactivated supplier', () => {
    it('writes nothing (invoices in every format, hours, month, removal, progress reports); finance still registers its invoices', async () => {
      const supplier = await supplierWithGrants(t, { s: {} });
      const company = await supplierWithGrants(t, { p: { mentorType: 'company' } }, { kind: 'partner_company', rateOre: 25_000 });
      const registered = await t.http.post('/api/v1/hour-registrations').set(bearer(company.user.token)).send({ grantId: company.grants.p.id, date: '2026-10-05', minutes: 30, contactForm: 'in_person' }).expect(201);
      const sessionId = registered.body.lines[0].id as string;
      const procurement = await procurementUser(t);
      for (const id of [supplier.supplierId, company.supplierId]) await t.http.patch(`/api/v1/suppliers/${id}`).set(bearer(procurement.token)).send({ active: false }).expect(200);

      // The deactivation ends the users' sessions (test/sessions.e2e-spec.ts); every write is refused and nothing is stored.
      const before = await counts();
      const refused = [
        await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody([{ grantReference: supplier.grants.s.reference, date: '2026-10-05', minutes: 30 }])),
        await postCsv(supplier.user, 'CSV-D1', `bevilling;dato;minutter;timepris\r\n${supplier.grants.s.reference};2026-10-06;30;450,00\r\n`),
        await postXml(supplier.user, ublInvoice({ cvr: supplier.cvr, number: 'UBL-D1', reference: supplier.grants.s.reference, name: 'Mentorstøtte' })),
        await t.http.post(`/api/v1/grants/${supplier.grants.s.id}/progress-reports`).set(bearer(supplier.user.token)).send({ dueDate: '2026-12-01', progress: 'Godt i gang', hoursUsedFor: 'Møder', deliverySummary: '4 møder' }),
        await t.http.post('/api/v1/hour-registrations').set(bearer(company.user.token)).send({ grantId: company.grants.p.id, date: '2026-10-06', minutes: 30, contactForm: 'in_person' }),
        await t.http.post('/api/v1/hour-registrations/2026-10/submit').set(bearer(company.user.token)),
        await t.http.delete(`/api/v1/hour-registrations/sessions/${sessionId}`).set(bearer(company.user.token)),
      ];
      expect(refused.map((r) => r.status)).toEqual(refused.map(() => 401));
      expect(await counts()).toEqual(before);

      // Behind the session, every supplier-side write asks the suppliers service first (a credential that outlives
      // the deactivation, such as a future API token, meets the same refusal).
      for (const supplierId of [supplier.supplierId, company.supplierId]) {
        await expect(t.app.get(SuppliersService).ownForWrite(AccessScope.of({ role: 'supplier', supplierId }))).rejects.toMatchObject({
          details: [{ field: 'supplier', rule: 'supplier_active', message: 'the organisation is deactivated in the portal; it can read what it sent, but send nothing new' }],
        });
      }
      await expect(t.app.get(SuppliersService).ownForWrite(AccessScope.of({ role: 'supplier', supplierId: mentor.supplierId }))).resolves.toMatchObject({ id: mentor.supplierId, active: true });

      // Finance registers a paper invoice of the deactivated supplier for sessions before the deactivation.
      const paper = await t.http
        .post('/api/v1/invoices')
        .set(bearer(finance.token))
        .send({ ...invoiceBody([{ grantReference: supplier.grants.s.reference, date: '2026-10-05', minutes: 30 }]), supplierId: supplier.supplierId })
        .expect(201);
      expect(paper.body).toMatchObject({ supplierId: supplier.supplierId, netOre: 22_500, errorCount: 0 });
    });
  });

  describe('lines', () => {
    it('a line that is an array, or totals that are one, is a 422 naming the field; nothing is stored', async () => {
      const before = await counts();
      const base = invoiceBody([{ grantReference: mentor.grants.a.reference, date: '2026-10-05', minutes: 30 }]);
      const nested = await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).send({ ...base, lines: [[]] });
      expect([nested.status, nested.body.details]).toEqual([422, [{ field: 'lines', rule: 'line_object', message: 'lines[0] is not an object; each line is an object { grantReference, date, minutes, rateOre, … }' }]]);
      const second = await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).send({ ...base, lines: [...(base.lines as object[]), [[]]] });
      expect([second.status, second.body.details]).toEqual([422, [{ field: 'lines', rule: 'line_object', message: 'lines[1] is not an object; each line is an object { grantReference, date, minutes, rateOre, … }' }]]);
      const totals = await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).send({ ...base, totals: [] });
      expect([totals.status, totals.body.details]).toEqual([422, [{ field: 'totals', rule: 'isObject', message: 'totals must be an object' }]]);
      expect(await counts()).toEqual(before);
    });
  });

  describe('the invoice number', () => {
    const RULE = { field: 'invoiceNumber', rule: 'invoice_number_format', message: 'the invoice number has 1 to 60 characters: letters, digits, - _ / . and single spaces between them, and starts with a letter or digit' };
    const HOSTILE = ['=HYPERLINK("http://x")', 'F-1\u202egpj.exe', '<b>F-1</b>', ' F-1', 'x'.repeat(61)];

    it('is held to one rule in JSON, CSV and UBL: formulas, bidi overrides, markup and 61 characters are refused; nothing is stored', async () => {
      const before = await counts();
      const reference = mentor.grants.a.reference;
      for (const number of HOSTILE) {
        const json = await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).send(invoiceBody([{ grantReference: reference, date: '2026-10-05', minutes: 30 }], { invoiceNumber: number }));
        const csv = await postCsv(mentor.user, number, `bevilling;dato;minutter;timepris\r\n${reference};2026-10-06;30;450,00\r\n`);
        const escaped = number.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        const ubl = await postXml(mentor.user, ublInvoice({ cvr: mentor.cvr, number: escaped, reference, name: 'Mentorstøtte' }));
        // UBL trims the element's text, as XML readers do; a number with a blank in front is the same number there
        const expected = number === ' F-1' ? [[422, [RULE]], [422, [RULE]], [201, undefined]] : [[422, [RULE]], [422, [RULE]], [422, [RULE]]];
        expect({ number, answers: [json, csv, ubl].map((r) => [r.status, r.status === 201 ? undefined : r.body.details]) }).toEqual({ number, answers: expected });
      }
      expect(await counts()).toEqual({ ...before, invoice: before.invoice + 1, delivery: before.delivery + 1 });
    });

    it('accepts the same numbers in every format', async () => {
      const reference = mentor.grants.a.reference;
      const suffix = randomBytes(3).toString('hex');
      await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).send(invoiceBody([{ grantReference: reference, date: '2026-10-07', minutes: 15 }], { invoiceNumber: `Fak/2026.${suffix}_1` })).expect(201);
      await postCsv(mentor.user, `Fak/2026.${suffix}_2`, `bevilling;dato;minutter;timepris\r\n${reference};2026-10-08;15;450,00\r\n`).expect(201);
      const ubl = await postXml(mentor.user, ublInvoice({ cvr: mentor.cvr, number: `Æø-${suffix}`, reference, name: 'Mentorstøtte' })).expect(201);
      expect(ubl.body.invoiceNumber).toBe(`Æø-${suffix}`);
    });
  });

  describe('e-invoice encoding', () => {
    it('reads an e-invoice declared ISO-8859-1 in that encoding', async () => {
      const xml = ublInvoice({ cvr: mentor.cvr, number: `L1-${randomBytes(3).toString('hex')}`, reference: mentor.grants.a.reference, name: 'Samtale med Søren på værkstedet', encoding: 'ISO-8859-1' });
      const response = await postXml(mentor.user, Buffer.from(xml, 'latin1')).expect(201);
      expect(response.body.lines[0].description).toBe('Samtale med Søren på værkstedet');
      const stored = (await t.dataSource.query(`SELECT description FROM delivery WHERE invoice_id = $1`, [response.body.id])) as Array<{ description: string }>;
      expect(stored).toEqual([{ description: 'Samtale med Søren på værkstedet' }]);
    });

    it('refuses an unknown declared encoding and bytes that are not the declared encoding; nothing is stored', async () => {
      const before = await counts();
      const doc = (encoding: string) => ublInvoice({ cvr: mentor.cvr, number: `E-${randomBytes(3).toString('hex')}`, reference: mentor.grants.a.reference, name: 'Søren', encoding });
      const unknown = await postXml(mentor.user, Buffer.from(doc('x-klingon'), 'latin1')).expect(422);
      expect(unknown.body.details).toEqual([{ field: 'document', rule: 'xml_encoding', message: "The XML declaration names the encoding 'x-klingon', which cannot be read; send UTF-8, ISO-8859-1 or windows-1252." }]);
      const notUtf8 = await postXml(mentor.user, Buffer.from(doc('UTF-8'), 'latin1')).expect(422);
      expect(notUtf8.body.details).toEqual([{ field: 'document', rule: 'xml_encoding', message: 'The document is not valid UTF-8, the encoding it declares.' }]);
      expect(await counts()).toEqual(before);
    });
  });

  describe('e-invoice namespace', () => {
    it('refuses a document whose root is in no namespace or another one than UBL’s; nothing is stored', async () => {
      const before = await counts();
      const doc = (namespace: string | null) => ublInvoice({ cvr: mentor.cvr, number: `N-${randomBytes(3).toString('hex')}`, reference: mentor.grants.a.reference, name: 'Mentorstøtte', namespace });
      const noNamespace = await postXml(mentor.user, doc(null)).expect(422);
      expect(noNamespace.body.details).toEqual([
        { field: 'document', rule: 'document_type', message: `The root element Invoice is in no namespace; a UBL invoice is in ${UBL_INVOICE_NS} and a credit note in urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2.` },
      ]);
      const otherNamespace = await postXml(mentor.user, doc('urn:example:not-ubl')).expect(422);
      expect(otherNamespace.body.details[0]).toMatchObject({ field: 'document', rule: 'document_type' });
      expect(await counts()).toEqual(before);
    });
  });

  describe('dates the domain holds', () => {
    it('bills months from 2000-01 to the current month, no earlier and no later', async () => {
      const before = await counts();
      const early = await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '1999-12' }).expect(422);
      expect(early.body.details).toEqual([{ field: 'month', rule: 'date_window', message: '1999-12 is before 2000-01, the first month the portal holds', values: { month: '1999-12', from: '2000-01' } }]);
      const late = await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2026-12' }).expect(422);
      expect(late.body.details).toEqual([expect.objectContaining({ field: 'month', rule: 'not_in_future' })]);
      expect(await counts()).toEqual(before);
      await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2000-01' }).expect(202);
    });

    it('refuses to submit a month the calendar cannot hold with a 422, where it was a server error', async () => {
      const company = await supplierWithGrants(t, { p: { mentorType: 'company', start: '2026-09-01' } }, { kind: 'partner_company', rateOre: 25_000 });
      const ancient = await t.http.post('/api/v1/hour-registrations/0000-01/submit').set(bearer(company.user.token)).expect(422);
      expect(ancient.body).toEqual({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'The request breaks a rule',
        details: [{ rule: 'calendar_month', message: "'0000-01' is not a calendar month (YYYY-MM)", values: { month: '0000-01' } }],
      });
      // In Danish when the client asks for it: the texts of the one catalogue, the rule and values as they were.
      const danish = await t.http.post('/api/v1/hour-registrations/0000-01/submit').set(bearer(company.user.token)).set('Accept-Language', 'da, en;q=0.5').expect(422);
      expect(danish.body).toEqual({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'Oplysningerne overholder ikke reglerne.',
        details: [{ rule: 'calendar_month', message: 'skal være en måned på formen ÅÅÅÅ-MM, fx 2026-10.', values: { month: '0000-01' } }],
      });
    });

    it('answers a refused field in Danish with Accept-Language: da, in English otherwise', async () => {
      const refused = (language?: string) => {
        const post = t.http.post('/api/v1/billing-runs').set(bearer(finance.token));
        return (language ? post.set('Accept-Language', language) : post).send({ month: '2026-13' }).expect(422);
      };
      expect((await refused('da')).body).toEqual({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'Nogle felter er ikke udfyldt korrekt.',
        details: [{ field: 'month', rule: 'calendar_month', message: 'skal være en måned på formen ÅÅÅÅ-MM, fx 2026-10.' }],
      });
      const english = { statusCode: 422, error: 'Unprocessable Entity', message: 'The request has invalid fields', details: [{ field: 'month', rule: 'calendar_month', message: 'month must be YYYY-MM' }] };
      expect((await refused()).body).toEqual(english);
      expect((await refused('en-GB')).body).toEqual(english);
    });

    it('registers hours from the grant’s start to today, no earlier and no later', async () => {
      const company = await supplierWithGrants(t, { p: { mentorType: 'company', start: '2026-09-01' } }, { kind: 'partner_company', rateOre: 25_000 });
      const register = (date: string) => t.http.post('/api/v1/hour-registrations').set(bearer(company.user.token)).send({ grantId: company.grants.p.id, date, minutes: 30, contactForm: 'in_person' });
      const before = await counts();
      const future = await register('2030-01-07').expect(422);
      expect(future.body.details).toEqual([{ field: 'date', rule: 'not_in_future', message: 'the session on 2030-01-07 lies after today (2026-11-25)', values: { date: '2030-01-07', today: '2026-11-25' } }]);
      await register('2026-11-26').expect(422);
      const early = await register('2026-08-31').expect(422);
      expect(early.body.details).toEqual([{ field: 'date', rule: 'before_grant', message: 'the session on 2026-08-31 lies before the grant starts (2026-09-01)', values: { date: '2026-08-31', start: '2026-09-01' } }]);
      expect(await counts()).toEqual(before);
      await register('2026-09-01').expect(201);
      await register('2026-11-25').expect(201);
    });
  });
});
