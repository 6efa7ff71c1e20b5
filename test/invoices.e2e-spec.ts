import { toErrorBody } from '../src/common/errors/http-exception.filter';
import { DeliveryStore } from '../src/invoices/delivery.store';
import { InvoiceStore } from '../src/invoices/invoice.store';
import { auditActions } from './support/factories';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/** A Peppol BIS 3 invoice from the supplier's CVR, one line per session, 450 kr./hour in hours (HUR). */
function peppolInvoice(cvr: string, number: string, lines: Array<{ reference: string; date: string; hours: string; amount: string }>, totals: { net: string; vat: string; total: string }): string {
  const xmlLines = lines
    .map(
      (line, i) => `
  <cac:InvoiceLine>
    <cbc:ID>${i + 1}</cbc:ID>
    <cbc:InvoicedQuantity unitCode="HUR">${line.hours}</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="DKK">${line.amount}</cbc:LineExtensionAmount>
    <cac:InvoicePeriod><cbc:StartDate>${line.date}</cbc:StartDate><cbc:EndDate>${line.date}</cbc:EndDate></cac:InvoicePeriod>
    <cac:OrderLineReference><cbc:LineID>${line.reference}</cbc:LineID></cac:OrderLineReference>
    <cac:Item><cbc:Name>Mentorstøtte</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="DKK">450.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>${number}</cbc:ID>
  <cbc:IssueDate>2026-11-20</cbc:IssueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0184">${cvr}</cbc:EndpointID><cac:PartyLegalEntity><cbc:RegistrationName>Mentor ApS</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="0088">5798000000001</cbc:EndpointID><cac:PartyLegalEntity><cbc:RegistrationName>Jobcenter</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="DKK">${totals.vat}</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="DKK">${totals.net}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="DKK">${totals.net}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="DKK">${totals.total}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="DKK">${totals.total}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>${xmlLines}
</Invoice>`;
}

describe('invoices', () => {
  let t: TestApp;
  let finance: TestUser;
  let finance2: TestUser;
  let admin: TestUser;
  let mentor: SupplierWithGrants;
  let other: SupplierWithGrants;

  const count = async (table: string): Promise<number> => Number(((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`)) as Array<{ n: string }>)[0].n);
  const submit = (user: TestUser, body: unknown) => t.http.post('/api/v1/invoices').set(bearer(user.token)).send(body as object);

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    finance = await makeUser(t, 'finance');
    finance2 = await makeUser(t, 'finance');
    admin = await makeUser(t, 'admin');
    // Grant g: approved by the team leader from 2026-10-07, weeks after its start (2026-09-01); grant h: still proposed.
    mentor = await supplierWithGrants(t, { a: { minutesPerWeek: 60 }, b: { minutesPerWeek: 120, serviceLevel: 1 }, c: {}, d: {}, e: {}, f: {}, g: { activeFrom: '2026-10-07' }, h: { activeFrom: null } });
    other = await supplierWithGrants(t, { x: {} });
  });
  afterAll(() => t.close());

  describe('intake', () => {
    it('stores a JSON invoice with its deliveries, validated line by line to the øre', async () => {
      const body = invoiceBody([
        { grantReference: mentor.grants.a.reference, date: '2026-10-05', minutes: 45 },
        { grantReference: mentor.grants.a.reference, date: '2026-10-14', minutes: 60, contactForm: 'phone' },
      ]);
      const response = await submit(mentor.user, body).expect(201);
      expect(response.body).toMatchObject({
        invoiceNumber: body.invoiceNumber,
        source: 'portal',
        status: 'validated',
        periodFrom: '2026-10-05',
        periodTo: '2026-10-14',
        vatBasisPoints: 2500,
        netOre: 78_750, // 45 min × 450 kr. = 337.50 kr. + 60 min = 450.00 kr.
        vatOre: 19_688, // 25 % of 787.50 kr. = 196.875 → 196.88 kr.
        totalOre: 98_438,
        approvableOre: 78_750,
        errorCount: 0,
      });
      expect(response.body.lines.map((l: { amountOre: number; approvableOre: number; status: string }) => [l.amountOre, l.approvableOre, l.status])).toEqual([
        [33_750, 33_750, 'pending'],
        [45_000, 45_000, 'pending'],
      ]);
      const actions = (await auditActions(t, admin, 'invoice', response.body.id)).map((a) => a.action);
      expect(actions).toEqual(['invoice.validated', 'invoice.received']);
    });

    it('answers a new invoice as it was stored: the answer is what reading it back gives, findings and their texts too', async () => {
      const body = invoiceBody([
        { grantReference: mentor.grants.e.reference, date: '2026-10-12', minutes: 45, contactForm: 'video' },
        { grantReference: mentor.grants.e.reference, date: '2026-10-12', minutes: 45 },
        { grantReference: other.grants.x.reference, date: '2026-10-13', minutes: 30 },
      ]);
      Object.assign((body.lines as object[])[0], { transport: 'car', description: 'Samtale' });
      const response = await submit(mentor.user, body).expect(201);
      expect(response.body.lines[1].findings.map((f: { code: string }) => f.code)).toEqual(['duplicate_delivery']);
      const read = await t.http.get(`/api/v1/invoices/${response.body.id}`).set(bearer(mentor.user.token)).expect(200);
      expect(response.body).toEqual(read.body);
    });

    it('finds the excess of a week over the granted minutes and approves only the rest', async () => {
      // Grant b: 120 minutes a week. Week 2026-W42 (12–18 Oct): 90 + 60 = 150 minutes.
      const response = await submit(
        mentor.user,
        invoiceBody([
          { grantReference: mentor.grants.b.reference, date: '2026-10-12', minutes: 90 },
          { grantReference: mentor.grants.b.reference, date: '2026-10-16', minutes: 60 },
        ]),
      ).expect(201);
      expect(response.body.lines[1].findings).toEqual([
        expect.objectContaining({ code: 'week_over_grant', severity: 'error', approvableOre: 22_500, values: expect.objectContaining({ week: '2026-W42', invoicedMinutes: 150, grantedMinutes: 120, excessMinutes: 30 }) }),
      ]);
      expect(response.body.approvableOre).toBe(67_500 + 22_500);
      expect(response.body.lines[1].findings[0].message.da).toContain('Uge 2026-W42: 150 minutter faktureret, 120 bevilget');
    });

    it('approves 0 of a line dated before the team leader’s approval made the grant active, and nothing of a grant still proposed', async () => {
      const response = await submit(
        mentor.user,
        invoiceBody([
          { grantReference: mentor.grants.g.reference, date: '2026-10-06', minutes: 60 },
          { grantReference: mentor.grants.g.reference, date: '2026-10-07', minutes: 45 },
          { grantReference: mentor.grants.h.reference, date: '2026-10-07', minutes: 30 },
        ]),
      ).expect(201);
      // 60 minutes at 450 kr./hour is 450.00 kr., not approvable; 45 minutes 337.50 kr. from the day it is active.
      expect(response.body.lines.map((l: { approvableOre: number }) => l.approvableOre)).toEqual([0, 33_750, 0]);
      expect(response.body.lines[0].findings).toEqual([
        expect.objectContaining({
          code: 'date_before_activation',
          severity: 'error',
          approvableOre: 0,
          values: { date: '2026-10-06', activeFrom: '2026-10-07' },
          message: {
            da: 'Linje 1: 2026-10-06 ligger før 2026-10-07, hvor bevillingen blev godkendt og trådte i kraft',
            en: 'Line 1: 2026-10-06 is before 2026-10-07, when the grant was approved and became active',
          },
        }),
      ]);
      expect(response.body.lines[1].findings).toEqual([]);
      expect(response.body.lines[2].findings.map((f: { code: string; values: Record<string, unknown> }) => [f.code, f.values.status])).toEqual([['grant_not_active', 'proposed']]);
      expect(response.body.approvableOre).toBe(33_750);
    });

    it('answers the stored invoice for the same invoice again, and 409 for the same number with other content', async () => {
      const body = invoiceBody([{ grantReference: mentor.grants.c.reference, date: '2026-10-06', minutes: 30 }]);
      const first = await submit(mentor.user, body).expect(201);
      const again = await submit(mentor.user, body).expect(200);
      expect(again.body.id).toBe(first.body.id);
      const changed = await submit(mentor.user, { ...body, lines: [{ ...(body.lines as object[])[0], minutes: 31 }] }).expect(409);
      expect(changed.body.details[0]).toMatchObject({ field: 'invoiceNumber', rule: 'invoice_number_unique' });
    });

    it('stores exactly one of fifty concurrent submissions of one invoice', async () => {
      const body = invoiceBody([{ grantReference: mentor.grants.d.reference, date: '2026-10-07', minutes: 30 }]);
      const responses = await Promise.all(Array.from({ length: 50 }, () => submit(mentor.user, body)));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(49);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      const rows = (await t.dataSource.query(`SELECT count(*) AS n FROM invoice WHERE invoice_number = $1`, [body.invoiceNumber])) as Array<{ n: string }>;
      expect(rows[0].n).toBe('1');
    });

    it('reads a CSV upload with ; and Danish decimal commas, BOM and CRLF', async () => {
      const csv = `\ufeffbevilling;dato;minutter;timepris;kontaktform\r\n${mentor.grants.e.reference};2026-10-08;45;450,00;telefon\r\n${mentor.grants.e.reference};2026-10-20;30;450,00;video\r\n`;
      const response = await t.http.post('/api/v1/invoices').query({ invoiceNumber: 'CSV-1', issueDate: '2026-11-01' }).set(bearer(mentor.user.token)).set('Content-Type', 'text/csv').send(csv).expect(201);
      expect(response.body).toMatchObject({ source: 'csv', netOre: 33_750 + 22_500, errorCount: 0 });
      expect(response.body.lines.map((l: { contactForm: string }) => l.contactForm)).toEqual(['phone', 'video']);
    });

    it('refuses a malformed CSV naming the row and the rule, and stores nothing', async () => {
      const [invoices, deliveries] = [await count('invoice'), await count('delivery')];
      const csv = `grant_reference,date,minutes,rate\n${mentor.grants.e.reference},2026-10-09,45,450\n${mentor.grants.e.reference},2026-13-40,-5,=cmd|' /C calc'!A0\n`;
      const response = await t.http.post('/api/v1/invoices').query({ invoiceNumber: 'CSV-BAD', issueDate: '2026-11-01' }).set(bearer(mentor.user.token)).set('Content-Type', 'text/csv').send(csv).expect(422);
      expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'rows[3].rate', rule: 'formula' })]));
      expect([await count('invoice'), await count('delivery')]).toEqual([invoices, deliveries]);
    });

    it('reads a Peppol BIS 3 invoice, finding the supplier by its CVR endpoint and the grant by the order line reference', async () => {
      const xml = peppolInvoice(mentor.cvr, 'UBL-1', [{ reference: mentor.grants.f.reference, date: '2026-10-21', hours: '1', amount: '450.00' }], { net: '450.00', vat: '112.50', total: '562.50' });
      const response = await t.http.post('/api/v1/invoices').set(bearer(finance.token)).set('Content-Type', 'application/xml').send(xml).expect(201);
      expect(response.body).toMatchObject({ source: 'ubl', supplierId: mentor.supplierId, netOre: 45_000, vatOre: 11_250, totalOre: 56_250, errorCount: 0 });
      expect(response.body.lines[0]).toMatchObject({ grantReference: mentor.grants.f.reference, minutes: 60, rateOre: 45_000 });
    });

    it('refuses XML with a DTD (XXE, entity expansion) before parsing, and stores nothing', async () => {
      const before = await count('invoice');
      const xxe = `<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&xxe;</ID></Invoice>`;
      const response = await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).set('Content-Type', 'application/xml').send(xxe).expect(422);
      expect(response.body.details[0]).toMatchObject({ rule: 'dtd_forbidden' });
      const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Invoice>&lol2;</Invoice>`;
      await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).set('Content-Type', 'application/xml').send(laughs).expect(422);
      expect(await count('invoice')).toBe(before);
    });

    it('refuses a supplier user’s e-invoice from another seller, an unknown content type and absurd minutes', async () => {
      const xml = peppolInvoice(other.cvr, 'UBL-X', [{ reference: other.grants.x.reference, date: '2026-10-21', hours: '1', amount: '450.00' }], { net: '450.00', vat: '112.50', total: '562.50' });
      const seller = await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).set('Content-Type', 'application/xml').send(xml).expect(422);
      expect(seller.body.details[0]).toMatchObject({ field: 'seller', rule: 'seller_is_you' });
      await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).set('Content-Type', 'application/pdf').send('%PDF').expect(415);
      const absurd = await submit(mentor.user, invoiceBody([{ grantReference: mentor.grants.a.reference, date: '2026-10-05', minutes: 1441 }])).expect(422);
      expect(absurd.body.details[0]).toMatchObject({ field: 'lines[0].minutes', rule: 'max' });
    });

    it('matches a supplier’s own Peppol file by the same rule as finance’s upload: the endpoint GLN, before a seller CVR of another company', async () => {
      const gln = '5790000436101';
      await t.dataSource.query(`UPDATE supplier SET gln = $2 WHERE id = $1`, [mentor.supplierId, gln]);
      try {
        // The endpoint is the supplier's GLN; the tax registration names another company's CVR (e.g. the group's).
        const withGln = (number: string) =>
          peppolInvoice(other.cvr, number, [{ reference: mentor.grants.f.reference, date: '2026-10-22', hours: '1', amount: '450.00' }], { net: '450.00', vat: '112.50', total: '562.50' }).replace(
            `<cbc:EndpointID schemeID="0184">${other.cvr}</cbc:EndpointID>`,
            `<cbc:EndpointID schemeID="0088">${gln}</cbc:EndpointID><cac:PartyTaxScheme><cbc:CompanyID>DK${other.cvr}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>`,
          );
        const byFinance = await t.http.post('/api/v1/invoices').set(bearer(finance.token)).set('Content-Type', 'application/xml').send(withGln('UBL-GLN-F')).expect(201);
        expect(byFinance.body).toMatchObject({ supplierId: mentor.supplierId, netOre: 45_000 });
        const own = await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).set('Content-Type', 'application/xml').send(withGln('UBL-GLN-S')).expect(201);
        expect(own.body).toMatchObject({ supplierId: mentor.supplierId, source: 'ubl', netOre: 45_000 });
        // The company whose CVR the file names is not the seller finance would find: it is refused.
        const theirs = await t.http.post('/api/v1/invoices').set(bearer(other.user.token)).set('Content-Type', 'application/xml').send(withGln('UBL-GLN-O')).expect(422);
        expect(theirs.body.details[0]).toMatchObject({ field: 'seller', rule: 'seller_is_you', values: { cvr: other.cvr, gln } });
      } finally {
        await t.dataSource.query(`UPDATE supplier SET gln = NULL WHERE id = $1`, [mentor.supplierId]);
      }
    });

    it('reports another supplier’s grant, an unknown grant and a future date as findings with nothing approvable', async () => {
      const response = await submit(
        mentor.user,
        invoiceBody([
          { grantReference: other.grants.x.reference, date: '2026-10-05', minutes: 30 },
          { grantReference: 'MS-2026-999999', date: '2026-10-05', minutes: 30 },
          { grantReference: mentor.grants.c.reference, date: '2026-11-24', minutes: 30 },
        ], { issueDate: '2026-11-20' }),
      ).expect(201);
      const codes = response.body.lines.map((l: { findings: Array<{ code: string }> }) => l.findings.map((f) => f.code));
      // Another supplier's grant is answered exactly like one that does not exist.
      expect(codes[0]).toEqual(['grant_unknown']);
      expect(codes[1]).toEqual(['grant_unknown']);
      expect(response.body.lines[0].findings[0].message.da).toBe(`Linje 1: bevilling ${other.grants.x.reference} findes ikke blandt jeres bevillinger`);
      expect(response.body.lines.map((l: { approvableOre: number }) => l.approvableOre).slice(0, 2)).toEqual([0, 0]);
    });
  });

  describe('access', () => {
    it('shows a supplier only its own invoices; another supplier’s is not found', async () => {
      const mine = await submit(mentor.user, invoiceBody([{ grantReference: mentor.grants.c.reference, date: '2026-10-13', minutes: 30 }])).expect(201);
      await t.http.get(`/api/v1/invoices/${mine.body.id}`).set(bearer(other.user.token)).expect(404);
      const list = await t.http.get('/api/v1/invoices').set(bearer(other.user.token)).expect(200);
      expect(list.body.items.every((i: { supplierId: string }) => i.supplierId === other.supplierId)).toBe(true);
      // Each invoice carries its supplier's name, read from the suppliers module.
      const names = new Map(((await t.dataSource.query(`SELECT id, name FROM supplier WHERE id = ANY($1)`, [[mentor.supplierId, other.supplierId]])) as Array<{ id: string; name: string }>).map((s) => [s.id, s.name]));
      const own = await t.http.get('/api/v1/invoices').set(bearer(mentor.user.token)).expect(200);
      expect(own.body.items.find((i: { id: string }) => i.id === mine.body.id)).toMatchObject({ supplierId: mentor.supplierId, supplierName: names.get(mentor.supplierId) });
      expect(list.body.items.every((i: { supplierName: string }) => i.supplierName === names.get(other.supplierId))).toBe(true);
      expect((await t.http.get(`/api/v1/invoices/${mine.body.id}`).set(bearer(mentor.user.token)).expect(200)).body.supplierName).toBe(names.get(mentor.supplierId));
      await t.http.post(`/api/v1/invoices/${mine.body.id}/approve`).set(bearer(mentor.user.token)).send({}).expect(403);
    });
  });

  describe('review', () => {
    it('approves only the approvable part; the submitter may not approve; every step is audited', async () => {
      const registered = await submit(finance, {
        ...invoiceBody([
          { grantReference: mentor.grants.a.reference, date: '2026-09-07', minutes: 60 },
          { grantReference: mentor.grants.a.reference, date: '2026-09-09', minutes: 30 },
        ]),
        supplierId: mentor.supplierId,
      }).expect(201);
      expect(registered.body.approvableOre).toBe(45_000);
      const own = await t.http.post(`/api/v1/invoices/${registered.body.id}/approve`).set(bearer(finance.token)).send({}).expect(422);
      expect(own.body.details[0]).toMatchObject({ rule: 'approver_not_submitter' });
      await t.http.post(`/api/v1/invoices/${registered.body.id}/approve`).set(bearer(finance2.token)).send({ expectedApprovableOre: 1 }).expect(409);
      const approved = await t.http.post(`/api/v1/invoices/${registered.body.id}/approve`).set(bearer(finance2.token)).send({ expectedApprovableOre: 45_000 }).expect(200);
      expect(approved.body).toMatchObject({ status: 'partly_approved', approvedOre: 45_000 });
      expect(approved.body.lines.map((l: { status: string; approvedOre: number | null }) => [l.status, l.approvedOre])).toEqual([
        ['approved', 45_000],
        ['rejected', null],
      ]);
      await t.http.post(`/api/v1/invoices/${registered.body.id}/approve`).set(bearer(finance2.token)).send({}).expect(409);
      const actions = (await auditActions(t, admin, 'invoice', registered.body.id)).map((a) => a.action);
      expect(actions[0]).toBe('invoice.approved');
      const agreement = await t.http.get(`/api/v1/agreements/${mentor.agreementId}`).set(bearer(admin.token)).expect(200);
      expect(agreement.body.consumedApprovedOre).toBe(45_000);
    });

    it('pays a delivery at most once: a second claim is a duplicate, and the database refuses a second paid row', async () => {
      const line = { grantReference: mentor.grants.c.reference, date: '2026-09-14', minutes: 45 };
      const first = await submit(mentor.user, invoiceBody([line])).expect(201);
      const second = await submit(mentor.user, invoiceBody([line])).expect(201);
      expect(second.body.lines[0].findings.map((f: { code: string }) => f.code)).toEqual(['duplicate_delivery']);
      await t.http.post(`/api/v1/invoices/${first.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
      await expect(
        t.dataSource.query(`UPDATE delivery SET status = 'approved', approved_ore = 1 WHERE invoice_id = $1`, [second.body.id]),
      ).rejects.toThrow(/delivery_paid_once/);
    });

    it('needs two different approvers above the threshold', async () => {
      const big = await supplierWithGrants(t, { g: { minutesPerWeek: 600, serviceLevel: 4, start: '2026-09-01', end: '2026-11-30' } }, { rateOre: 45_000 });
      await t.http.post(`/api/v1/agreements/${big.agreementId}/rates`).set(bearer((await makeUser(t, 'procurement')).token)).send({ mentorType: 'retention', serviceLevel: 4, validFrom: '2026-01-01', rateOre: 45_000 }).expect(201);
      // 12 weeks × 600 minutes at 450 kr./hour = 54,000 kr. approvable (67,500 kr. incl. VAT), above the 50,000 kr. threshold.
      const lines = Array.from({ length: 12 }, (_, week) => ({ grantReference: big.grants.g.reference, date: dateAfter('2026-09-01', week * 7), minutes: 600 }));
      const invoice = await submit(big.user, invoiceBody(lines)).expect(201);
      expect(invoice.body.totalOre).toBe(6_750_000);
      const first = await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
      expect(first.body).toMatchObject({ status: 'validated', firstApprovalGiven: true, secondApprovalRequired: true });
      const same = await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(422);
      expect(same.body.details[0]).toMatchObject({ rule: 'second_approver_distinct' });
      const second = await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance2.token)).send({}).expect(200);
      expect(second.body).toMatchObject({ status: 'approved', approvedOre: 5_400_000 });
    });

    it('rejects with a reason the supplier sees, and releases the pending ceiling use', async () => {
      const invoice = await submit(mentor.user, invoiceBody([{ grantReference: mentor.grants.e.reference, date: '2026-09-15', minutes: 30 }])).expect(201);
      await t.http.post(`/api/v1/invoices/${invoice.body.id}/reject`).set(bearer(finance.token)).send({ reason: 'x' }).expect(422);
      await t.http.post(`/api/v1/invoices/${invoice.body.id}/reject`).set(bearer(finance.token)).send({ reason: 'Sessionen er ikke dokumenteret' }).expect(200);
      const seen = await t.http.get(`/api/v1/invoices/${invoice.body.id}`).set(bearer(mentor.user.token)).expect(200);
      expect(seen.body).toMatchObject({ status: 'rejected', rejectionReason: 'Sessionen er ikke dokumenteret' });
      expect(seen.body.lines[0].status).toBe('rejected');
    });

    it('moves an invoice only along its transition table: a rejected invoice answers 409 naming the states, and a lost race writes nothing', async () => {
      const invoice = await submit(mentor.user, invoiceBody([{ grantReference: mentor.grants.e.reference, date: '2026-09-16', minutes: 30 }])).expect(201);
      await t.http.post(`/api/v1/invoices/${invoice.body.id}/reject`).set(bearer(finance.token)).send({ reason: 'Sessionen er ikke dokumenteret' }).expect(200);
      const store = t.app.get(InvoiceStore);
      const illegal: unknown = await store.transition(t.dataSource.manager, invoice.body.id, 'rejected', { to: 'approved', approvedOre: 22_500, approvedBy: null }, 'finance').catch((caught: unknown) => caught);
      expect(toErrorBody(illegal)).toMatchObject({ statusCode: 409, details: [{ field: 'status', rule: 'invoice_transition', values: { from: 'rejected', to: 'approved' } }] });
      // Told it is still validated, the conditional update finds it rejected and moves nothing.
      expect(await store.transition(t.dataSource.manager, invoice.body.id, 'validated', { to: 'approved', approvedOre: 22_500, approvedBy: null }, 'finance')).toBe(false);
      const deliveryMoved = await t.app.get(DeliveryStore).transitionOfInvoice(t.dataSource.manager, invoice.body.id, ['pending'], 'rejected', 'finance');
      expect(deliveryMoved).toBe(0);
      const seen = await t.http.get(`/api/v1/invoices/${invoice.body.id}`).set(bearer(finance.token)).expect(200);
      expect(seen.body).toMatchObject({ status: 'rejected', approvedOre: null });
      const billed: unknown = await t.app.get(DeliveryStore).transitionMany(t.dataSource.manager, [seen.body.lines[0].id], ['rejected'], 'credited', 'finance').catch((caught: unknown) => caught);
      expect(toErrorBody(billed)).toMatchObject({ statusCode: 409, details: [{ rule: 'delivery_transition', values: { from: 'rejected', to: 'credited' } }] });
    });

    it('lists finance’s inbox with errors first, then warnings', async () => {
      const inbox = await t.http.get('/api/v1/invoices').query({ status: 'validated', order: 'inbox', limit: 200 }).set(bearer(finance.token)).expect(200);
      const flags = inbox.body.items.map((i: { errorCount: number }) => (i.errorCount > 0 ? 0 : 1));
      expect(flags).toEqual([...flags].sort());
      expect(flags[0]).toBe(0);
    });

    it('credits an approved delivery with a credit note; its approval takes the delivery out of payment', async () => {
      const line = { grantReference: mentor.grants.f.reference, date: '2026-09-22', minutes: 60 };
      const invoice = await submit(mentor.user, invoiceBody([line])).expect(201);
      await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
      const credit = await submit(mentor.user, invoiceBody([line], { documentType: 'credit_note', creditsInvoiceNumbers: [invoice.body.invoiceNumber] })).expect(201);
      expect(credit.body).toMatchObject({ documentType: 'credit_note', netOre: -45_000, approvableOre: -45_000, errorCount: 0 });
      const approved = await t.http.post(`/api/v1/invoices/${credit.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
      expect(approved.body).toMatchObject({ status: 'approved', approvedOre: -45_000 });
      const original = await t.http.get(`/api/v1/invoices/${invoice.body.id}`).set(bearer(finance.token)).expect(200);
      expect(original.body.lines[0].status).toBe('credited');
      const unmatched = await submit(mentor.user, invoiceBody([line], { documentType: 'credit_note' })).expect(201);
      expect(unmatched.body.lines[0].findings[0]).toMatchObject({ code: 'credit_unmatched' });
    });
  });

  describe('hour registration', () => {
    it('collects a partner company’s sessions in the month’s self-billing draft, validated, submitted for approval', async () => {
      const company = await supplierWithGrants(t, { p: { minutesPerWeek: 60, mentorType: 'company' } }, { kind: 'partner_company', rateOre: 25_000 });
      const register = (date: string, minutes: number) =>
        t.http.post('/api/v1/hour-registrations').set(bearer(company.user.token)).send({ grantId: company.grants.p.id, date, minutes, contactForm: 'in_person' });
      await register('2026-10-05', 45).expect(201);
      const draft = await register('2026-10-07', 30).expect(201);
      expect(draft.body).toMatchObject({ invoiceNumber: 'SB-2026-10', status: 'draft', source: 'registration', netOre: 31_250 });
      expect(draft.body.lines[1].findings[0]).toMatchObject({ code: 'week_over_grant' });
      expect(draft.body.lines.map((l: { approvableOre: number }) => l.approvableOre)).toEqual([18_750, 6_250]);
      await t.http.post('/api/v1/hour-registrations').set(bearer(mentor.user.token)).send({ grantId: mentor.grants.a.id, date: '2026-10-05', minutes: 30, contactForm: 'phone' }).expect(422);
      await t.http.post('/api/v1/hour-registrations').set(bearer(company.user.token)).send({ grantId: mentor.grants.a.id, date: '2026-10-05', minutes: 30, contactForm: 'phone' }).expect(404);
      const submitted = await t.http.post('/api/v1/hour-registrations/2026-10/submit').set(bearer(company.user.token)).expect(200);
      expect(submitted.body).toMatchObject({ status: 'validated', approvableOre: 25_000 });
      await register('2026-10-08', 15).expect(409);
      const approved = await t.http.post(`/api/v1/invoices/${submitted.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
      expect(approved.body).toMatchObject({ status: 'partly_approved', approvedOre: 25_000 });
    });
  });
});

function dateAfter(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
