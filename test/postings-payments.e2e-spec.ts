import { DOMParser } from '@xmldom/xmldom';
import { JobQueue } from '../src/common/queue/job-queue';
import { NotificationRelay } from '../src/notifications/notification-relay.service';
import { PAYMENT_FILE_MAX_BYTES } from '../src/billing/payment-import.rules';
import { auditActions } from './support/factories';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';
import { ublSchemaAvailable, ublSchemaErrors } from './support/ubl-schema';

interface StatementSummary {
  id: string;
  supplierId: string;
  number: string;
  status: string;
  netOre: number;
  vatOre: number;
  totalOre: number;
  dueOn: string;
  paidOn: string | null;
}

const kroner = (ore: number) => `${Math.floor(ore / 100)},${String(ore % 100).padStart(2, '0')}`;
const paymentFile = (rows: Array<[string, string, string]>, header = 'afregningsnummer;beløb;betalingsdato') => `${header}\r\n${rows.map((r) => r.join(';')).join('\r\n')}\r\n`;

describe('from final to paid: the posting export, the payment import and the self-billing e-invoice', () => {
  let t: TestApp;
  let finance: TestUser;
  let admin: TestUser;
  let mentor: SupplierWithGrants;
  let other: SupplierWithGrants;
  let company: SupplierWithGrants;
  let statements: StatementSummary[];
  let mentorInvoiceId: string;
  const of = (supplier: SupplierWithGrants) => statements.find((s) => s.supplierId === supplier.supplierId)!;
  const importFile = (text: string, query: Record<string, string> = {}, user: TestUser = finance) =>
    t.http.post('/api/v1/payments/import').query(query).set(bearer(user.token)).set('Content-Type', 'text/csv').send(text);
  const statementOf = async (id: string) => (await t.http.get(`/api/v1/statements/${id}`).set(bearer(finance.token)).expect(200)).body as StatementSummary;

  beforeAll(async () => {
    // The municipality as configured, not the demo's defaults: the self-billing invoice names it as the buyer.
    t = await startTestApp({ redis: false, env: { BUYER_NAME: 'Gribskov Kommune', BUYER_GLN: '5790001234560', BUYER_CVR: '29143471' } });
    finance = await makeUser(t, 'finance');
    admin = await makeUser(t, 'admin');
    mentor = await supplierWithGrants(t, { a: { minutesPerWeek: 90 } });
    other = await supplierWithGrants(t, { x: { minutesPerWeek: 60 } });
    company = await supplierWithGrants(t, { p: { minutesPerWeek: 60, mentorType: 'company' } }, { kind: 'partner_company', rateOre: 25_000 });
    await t.http.patch(`/api/v1/suppliers/${mentor.supplierId}`).set(bearer(admin.token)).send({ gln: '5790000000005' }).expect(200);
    const approve = async (supplier: SupplierWithGrants, lines: Parameters<typeof invoiceBody>[0]) => {
      const invoice = await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody(lines)).expect(201);
      await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
      return invoice.body as { id: string };
    };
    // October 2026: the mentor 45 + 90 minutes at 450 kr./hour, the other supplier 30 minutes.
    mentorInvoiceId = (
      await approve(mentor, [
        { grantReference: mentor.grants.a.reference, date: '2026-10-05', minutes: 45 },
        { grantReference: mentor.grants.a.reference, date: '2026-10-19', minutes: 90 },
      ])
    ).id;
    await approve(other, [{ grantReference: other.grants.x.reference, date: '2026-10-12', minutes: 30 }]);
    for (const [date, minutes] of [['2026-10-06', 60], ['2026-10-13', 45]] as const) {
      await t.http.post('/api/v1/hour-registrations').set(bearer(company.user.token)).send({ grantId: company.grants.p.id, date, minutes, contactForm: 'in_person' }).expect(201);
    }
    const selfBilling = await t.http.post('/api/v1/hour-registrations/2026-10/submit').set(bearer(company.user.token)).expect(200);
    await t.http.post(`/api/v1/invoices/${selfBilling.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    for (const kind of ['build', 'finalise'] as const) {
      await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2026-10', kind }).expect(202);
      await t.app.get(JobQueue).drain();
    }
    statements = (await t.http.get('/api/v1/statements').query({ month: '2026-10' }).set(bearer(finance.token)).expect(200)).body as StatementSummary[];
    expect(statements.map((s) => s.status)).toEqual(['final', 'final', 'final']);
  });
  afterAll(() => t.close());

  it('exports each final statement’s postings once, per account and VAT separately, and reproduces an export byte for byte', async () => {
    const first = await t.http.get('/api/v1/postings').query({ from: '2026-11-01', to: '2026-11-30', format: 'csv' }).set(bearer(finance.token)).buffer(true).expect(200);
    expect(first.headers['content-type']).toBe('text/csv; charset=utf-8');
    const exportId = first.headers['x-posting-export-id'] as string;
    expect(exportId).toMatch(/^[0-9a-f-]{36}$/);
    const rows = first.text.replace(/^\ufeff/, '').trimEnd().split('\r\n').map((line) => line.split(';'));
    const header = rows[0];
    const col = (name: string) => header.indexOf(name);
    const body = rows.slice(1);
    // The mentor: 135 minutes at 450 kr. = 1,012.50 kr. on function 5.68.90, dranst 1, VAT 253.13 kr. on its own line.
    // The shipped chart of accounts names no grouping for this citizen's target group: finance books it (README, chart of accounts).
    const mentorRows = body.filter((r) => r[col('statement_number')] === of(mentor).number);
    expect(mentorRows.map((r) => [r[col('kind')], r[col('function')], r[col('grouping')], r[col('dranst')], r[col('art')], r[col('supplier_cvr')], r[col('supplier_ean')], r[col('amount_ore')]])).toEqual([
      ['net', '5.68.90', '', '1', '4.0', mentor.cvr, '5790000000005', '101250'],
      ['vat', '7.65.87', '', '1', '4.0', mentor.cvr, '5790000000005', '25313'],
    ]);
    // Every statement's net and VAT, to the øre.
    for (const s of statements) {
      const mine = body.filter((r) => r[col('statement_number')] === s.number);
      const sum = (kind: string) => mine.filter((r) => r[col('kind')] === kind).reduce((total, r) => total + Number(r[col('amount_ore')]), 0);
      expect([s.number, sum('net'), sum('vat')]).toEqual([s.number, s.netOre, s.vatOre]);
    }
    expect(body.every((r) => r[col('export_id')] === exportId)).toBe(true);

    const again = await t.http.get(`/api/v1/postings/exports/${exportId}`).query({ format: 'csv' }).set(bearer(finance.token)).buffer(true).expect(200);
    expect(Buffer.compare(Buffer.from(again.text), Buffer.from(first.text))).toBe(0);
    const json1 = await t.http.get(`/api/v1/postings/exports/${exportId}`).set(bearer(admin.token)).buffer(true).expect(200);
    const json2 = await t.http.get(`/api/v1/postings/exports/${exportId}`).set('Accept', 'application/json').set(bearer(finance.token)).buffer(true).expect(200);
    expect(json1.text).toBe(json2.text);
    expect(JSON.parse(json1.text)).toMatchObject({ exportId, from: '2026-11-01', to: '2026-11-30', totals: { lines: body.length } });

    // Exported once: the same period again has nothing left, and stores no export.
    const second = await t.http.get('/api/v1/postings').query({ from: '2026-11-01', to: '2026-11-30' }).set(bearer(finance.token)).expect(200);
    expect(second.headers['x-posting-export-id']).toBeUndefined();
    expect(JSON.parse(second.text)).toMatchObject({ exportId: null, lines: [] });
    // A statement asked for on its own answers the export that holds it.
    const byStatement = await t.http.get('/api/v1/postings').query({ statementId: of(mentor).id, format: 'csv' }).set(bearer(finance.token)).buffer(true).expect(200);
    expect(byStatement.headers['x-posting-export-id']).toBe(exportId);
    expect(byStatement.text).toBe(first.text);
    const list = (await t.http.get('/api/v1/postings/exports').set(bearer(finance.token)).expect(200)).body as Array<{ id: string; lines: number }>;
    expect(list).toEqual([expect.objectContaining({ id: exportId, lines: body.length })]);
    await expect(t.dataSource.query(`UPDATE posting_export SET csv = 'x' WHERE id = $1`, [exportId])).rejects.toThrow(/kept as it was exported/);
  });

  it('refuses a period that is missing, reversed or too long, and a statement that is not there', async () => {
    await t.http.get('/api/v1/postings').query({ statementId: '00000000-0000-4000-8000-000000000000' }).set(bearer(finance.token)).expect(404);
    const missing = await t.http.get('/api/v1/postings').query({ from: '2026-11-01' }).set(bearer(finance.token)).set('Accept-Language', 'da').expect(422);
    expect(missing.body.details[0]).toMatchObject({ field: 'to', rule: 'posting_period' });
    expect(missing.body.details[0].message).toContain('højst 366 dage');
    await t.http.get('/api/v1/postings').query({ from: '2026-11-30', to: '2026-11-01' }).set(bearer(finance.token)).expect(422);
    await t.http.get('/api/v1/postings').query({ from: '2025-01-01', to: '2026-11-30' }).set(bearer(finance.token)).expect(422);
  });

  it('previews a payment file, then marks the statements and their invoices paid; the same file again changes nothing', async () => {
    const file = paymentFile([
      [of(mentor).number, kroner(of(mentor).totalOre), '2026-11-20'],
      [of(company).number, kroner(of(company).totalOre), '2026-11-21'],
    ]);
    const preview = await importFile(file, { preview: 'true' }).expect(200);
    expect(preview.body).toMatchObject({ importId: null, applied: false, alreadyImported: false, rows: 2, findings: [], unchanged: [] });
    expect(preview.body.paid.map((p: { statementNumber: string }) => p.statementNumber)).toEqual([of(mentor).number, of(company).number]);
    expect((await statementOf(of(mentor).id)).status).toBe('final');

    const applied = await importFile(file, { filename: 'betalinger.csv', expectedSha256: preview.body.fileSha256 }).expect(201);
    expect(applied.body).toMatchObject({ applied: true, alreadyImported: false, rows: 2 });
    expect(await statementOf(of(mentor).id)).toMatchObject({ status: 'paid', paidOn: '2026-11-20', paidOre: of(mentor).totalOre });
    expect(await statementOf(of(company).id)).toMatchObject({ status: 'paid', paidOn: '2026-11-21' });
    // The supplier sees it paid, with the day, in its list and on its invoice.
    const own = (await t.http.get('/api/v1/statements').set(bearer(mentor.user.token)).expect(200)).body as StatementSummary[];
    expect(own.map((s) => [s.number, s.status, s.paidOn])).toEqual([[of(mentor).number, 'paid', '2026-11-20']]);
    expect((await t.http.get(`/api/v1/invoices/${mentorInvoiceId}`).set(bearer(mentor.user.token)).expect(200)).body).toMatchObject({ status: 'paid', paidOn: '2026-11-20' });
    // The supplier is told.
    await t.app.get(NotificationRelay).dispatchPending();
    const told = (await t.http.get('/api/v1/notifications').set(bearer(mentor.user.token)).expect(200)).body as { items: Array<{ type: string }> };
    expect(told.items.map((n) => n.type)).toContain('payment.registered');
    expect((await auditActions(t, admin, 'statement', of(mentor).id)).map((a) => a.action)).toContain('statement.paid');

    const audits = async () => ((await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry`)) as Array<{ n: number }>)[0].n;
    const before = await audits();
    const second = await importFile(file).expect(200);
    expect(second.body).toMatchObject({ importId: applied.body.importId, alreadyImported: true, applied: false, paid: [], findings: [] });
    expect(await audits()).toBe(before);
    expect(((await t.dataSource.query(`SELECT count(*)::int AS n FROM payment_import`)) as Array<{ n: number }>)[0].n).toBe(1);
    // A paid statement never changes.
    await expect(t.dataSource.query(`UPDATE statement SET paid_on = '2026-11-22' WHERE id = $1`, [of(mentor).id])).rejects.toThrow(/final and cannot change/);
  });

  it('keeps an amount that differs as a finding for finance, marks nothing, and keeps it once', async () => {
    const wrong = of(other).totalOre - 100;
    const file = paymentFile([[of(other).number, kroner(wrong), '2026-11-22']]);
    const result = await importFile(file).expect(201);
    expect(result.body.paid).toEqual([]);
    expect(result.body.findings).toEqual([expect.objectContaining({ statementNumber: of(other).number, finding: 'payment_amount_differs', paidOre: wrong, expectedOre: of(other).totalOre })]);
    expect((await statementOf(of(other).id)).status).toBe('final');
    // The same row in another file (another name for the column) is the same finding.
    await importFile(paymentFile([[of(other).number, kroner(wrong), '2026-11-22']], 'statement_number;paid_amount;paid_on')).expect(201);
    const findings = (await t.http.get('/api/v1/payments/findings').set(bearer(finance.token)).expect(200)).body as Array<Record<string, unknown>>;
    expect(findings).toEqual([expect.objectContaining({ statementNumber: of(other).number, code: 'payment_amount_differs', differenceOre: -100, paidOn: '2026-11-22' })]);
    // A paid statement paid again otherwise is a finding too; paid again the same is left unchanged.
    const again = await importFile(paymentFile([
      [of(mentor).number, kroner(of(mentor).totalOre), '2026-11-20'],
      [of(company).number, kroner(of(company).totalOre), '2026-11-23'],
    ])).expect(201);
    expect(again.body.unchanged.map((r: { statementNumber: string }) => r.statementNumber)).toEqual([of(mentor).number]);
    expect(again.body.findings.map((r: { finding: string }) => r.finding)).toEqual(['payment_after_paid']);
    expect((await statementOf(of(company).id)).paidOn).toBe('2026-11-21');
  });

  it('refuses a file with bad rows whole, naming each row and column in Danish or English', async () => {
    const valid: [string, string, string] = [of(other).number, kroner(of(other).totalOre), '2026-11-22'];
    const file = paymentFile([
      valid,
      ['AF-2026-999999', '100,00', '2026-11-20'],
      [of(other).number, kroner(of(other).totalOre), '2026-11-22'],
      ['AF-2026-000001', '-5,00', '2026-11-20'],
      ['AF-2026-000002', '12,3x', '2026-11-20'],
      ['AF-2026-000003', '100,00', '20-11-2026'],
    ]);
    const da = await importFile(file).set('Accept-Language', 'da').expect(422);
    expect(da.body.details.map((d: { field: string; rule: string }) => [d.field, d.rule])).toEqual([
      ['rows[4].statement_number', 'payment_row_duplicate'],
      ['rows[5].paid_amount', 'payment_amount_positive'],
      ['rows[6].paid_amount', 'payment_amount'],
      ['rows[7].paid_on', 'payment_date'],
    ]);
    expect(da.body.details[0].message).toBe(`Række 4, statement_number: afregningsoversigt ${of(other).number} er allerede betalt i række 2.`);
    const en = await importFile(paymentFile([valid, ['AF-2026-999999', '100,00', '2026-11-20']])).set('Accept-Language', 'en').expect(422);
    expect(en.body.details).toEqual([expect.objectContaining({ field: 'rows[3].statement_number', rule: 'payment_statement_unknown', message: 'row 3, statement_number: AF-2026-999999 is no final statement' })]);
    const future = await importFile(paymentFile([[of(other).number, kroner(of(other).totalOre), '2026-11-26']])).expect(422);
    expect(future.body.details[0]).toMatchObject({ field: 'rows[2].paid_on', rule: 'payment_date_future' });
    const big = await importFile(`statement_number;paid_amount;paid_on\r\n${'x'.repeat(PAYMENT_FILE_MAX_BYTES)}`).expect(422);
    expect(big.body.details[0]).toMatchObject({ field: 'file', rule: 'payment_file_size' });
    await t.http.post('/api/v1/payments/import').set(bearer(finance.token)).send({ rows: [] }).expect(415);
    // Nothing of them was applied: the valid row's statement is still not paid.
    expect((await statementOf(of(other).id)).status).toBe('final');
    // A file changed between the preview and the confirmation is refused.
    await importFile(paymentFile([valid]), { expectedSha256: '0'.repeat(64) }).expect(409);
    expect((await statementOf(of(other).id)).status).toBe('final');
  });

  it('lets the finance system’s service account export postings and import payments with its token, and nothing more', async () => {
    const account = await t.http.post('/api/v1/api-tokens/service-accounts').set(bearer(admin.token)).send({ name: 'okonomisystem', scopes: ['postings:read', 'payments:write'] }).expect(201);
    const { token } = (await t.http.post('/api/v1/api-tokens').set(bearer(admin.token)).send({ serviceAccountId: account.body.id }).expect(201)).body as { token: string };
    const exported = await t.http.get('/api/v1/postings').query({ from: '2026-11-01', to: '2026-11-30' }).set(bearer(token)).expect(200);
    expect(JSON.parse(exported.text)).toMatchObject({ exportId: null, lines: [] });
    const paid = await t.http.post('/api/v1/payments/import').set(bearer(token)).set('Content-Type', 'text/csv').send(paymentFile([[of(other).number, kroner(of(other).totalOre), '2026-11-24']])).expect(201);
    expect(paid.body.paid.map((p: { statementNumber: string }) => p.statementNumber)).toEqual([of(other).number]);
    expect(await statementOf(of(other).id)).toMatchObject({ status: 'paid', paidOn: '2026-11-24' });
    const audit = await auditActions(t, admin, 'statement', of(other).id);
    expect(audit.find((a) => a.action === 'statement.paid')).toMatchObject({ actorUserId: null });
    // Its scopes open nothing else.
    await t.http.get('/api/v1/payments/findings').set(bearer(token)).expect(403);
  });

  it('lists for finance what falls due this week and what is late, not what is paid', async () => {
    // Two earlier final statements of the other supplier, due before and within the week of 2026-11-25.
    const insert = (month: string, number: string, issuedOn: string, dueOn: string) =>
      t.dataSource.query(
        `INSERT INTO statement (supplier_id, month, status, number, self_billed, issued_on, due_on, minutes, net_ore, vat_ore, total_ore, content, finalised_at)
         VALUES ($1, $2, 'final', $3, false, $4, $5, 30, 22500, 5625, 28125, '{}'::jsonb, now())`,
        [other.supplierId, month, number, issuedOn, dueOn],
      );
    await insert('2026-06', 'AF-2026-000901', '2026-10-19', '2026-11-18');
    await insert('2026-07', 'AF-2026-000902', '2026-10-28', '2026-11-27');
    const term = (await t.http.get('/api/v1/payments/due').set(bearer(finance.token)).expect(200)).body as { today: string; weekEndsOn: string; dueThisWeek: Array<{ number: string }>; late: Array<{ number: string; supplierName: string }> };
    expect([term.today, term.weekEndsOn]).toEqual(['2026-11-25', '2026-11-29']);
    expect(term.dueThisWeek.map((s) => s.number)).toEqual(['AF-2026-000902']);
    expect(term.late.map((s) => s.number)).toEqual(['AF-2026-000901']);
  });

  it('issues the partner company’s self-billing statement as a self-billed UBL invoice beside its PDF, its own only', async () => {
    const xml = await t.http.get(`/api/v1/statements/${of(company).id}.xml`).set(bearer(company.user.token)).buffer(true).expect(200);
    expect(xml.headers['content-type']).toBe('application/xml; charset=utf-8');
    const doc = new DOMParser().parseFromString(xml.text, 'text/xml');
    const text = (name: string) => Array.from(doc.getElementsByTagName(`cbc:${name}`)).map((e) => e.textContent);
    expect(text('InvoiceTypeCode')).toEqual(['389']);
    expect(text('ID')[0]).toBe(of(company).number);
    expect(text('PayableAmount')).toEqual([`${Math.floor(of(company).totalOre / 100)}.${String(of(company).totalOre % 100).padStart(2, '0')}`]);
    expect(text('InvoicedQuantity')).toEqual(['60', '45']);
    const buyer = doc.getElementsByTagName('cac:AccountingCustomerParty')[0];
    const buyerText = (name: string) => Array.from(buyer.getElementsByTagName(`cbc:${name}`)).map((e) => e.textContent);
    expect(buyerText('EndpointID')).toEqual(['5790001234560']);
    expect(buyerText('Name')).toEqual(['Gribskov Kommune']);
    expect(buyerText('CompanyID')).toEqual(['DK29143471', '29143471']);
    if (ublSchemaAvailable) expect(ublSchemaErrors(xml.text)).toBe('');
    await t.http.get(`/api/v1/statements/${of(company).id}.xml`).set(bearer(other.user.token)).expect(404);
    const notSelfBilled = await t.http.get(`/api/v1/statements/${of(mentor).id}.xml`).set(bearer(finance.token)).expect(409);
    expect(notSelfBilled.body.details[0]).toMatchObject({ rule: 'statement_not_self_billed' });
  });

  (ublSchemaAvailable ? it : it.skip)('validates the self-billing document against the OASIS UBL 2.1 Invoice schema', async () => {
    const xml = await t.http.get(`/api/v1/statements/${of(company).id}.xml`).set(bearer(finance.token)).buffer(true).expect(200);
    expect(ublSchemaErrors(xml.text)).toBe('');
  });
});
