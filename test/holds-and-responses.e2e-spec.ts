import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobQueue } from '../src/common/queue/job-queue';
import { InvoiceHoldsService } from '../src/invoices/invoice-holds.service';
import { invoiceBody, peppolInvoiceXml, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

const XSD = join(__dirname, '..', '..', 'shared', 'fixtures', 'ubl-2.1-xsd', 'maindoc', 'UBL-ApplicationResponse-2.1.xsd');
const xmllint = (() => {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const canValidate = xmllint && existsSync(XSD);

describe('hold, dispute and business responses', () => {
  let t: TestApp;
  let finance: TestUser;
  let mentor: SupplierWithGrants;
  let other: SupplierWithGrants;
  const workDir = mkdtempSync(join(tmpdir(), 'responses-e2e-'));

  const runToEnd = async (month: string, kind: 'build' | 'finalise') => {
    const started = await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month, kind }).expect(202);
    await t.app.get(JobQueue).drain();
    return (await t.http.get(`/api/v1/billing-runs/${started.body.id}`).set(bearer(finance.token)).expect(200)).body as { status: string };
  };
  const statementsOf = async (month: string) =>
    (await t.dataSource.query(`SELECT id, status, content FROM statement WHERE supplier_id = $1 AND month = $2`, [mentor.supplierId, month])) as Array<{ id: string; status: string; content: unknown }>;
  const billedBy = async (invoiceId: string) =>
    ((await t.dataSource.query(`SELECT billed_by_statement_id AS s FROM delivery WHERE invoice_id = $1`, [invoiceId])) as Array<{ s: string | null }>).map((r) => r.s);
  const ublInvoice = async (number: string, date: string, priceKr = 450) =>
    (await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).set('Content-Type', 'application/xml').send(peppolInvoiceXml(mentor.cvr, number, mentor.grants.a.reference, date, 30, priceKr)).expect(201)).body as { id: string; lines: Array<{ lineNo: number; findings: unknown[] }> };

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    finance = await makeUser(t, 'finance');
    mentor = await supplierWithGrants(t, { a: { minutesPerWeek: 120 } });
    other = await supplierWithGrants(t, { x: {} });
  });
  afterAll(async () => {
    rmSync(workDir, { recursive: true, force: true });
    await t.close();
  });

  it('keeps a held invoice off the month’s statement and bills it once, on the next run’s statement, after release', async () => {
    const held = (await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).send(invoiceBody([{ grantReference: mentor.grants.a.reference, date: '2026-09-08', minutes: 60 }])).expect(201)).body as { id: string };
    const paid = (await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).send(invoiceBody([{ grantReference: mentor.grants.a.reference, date: '2026-09-15', minutes: 30 }])).expect(201)).body as { id: string };
    for (const id of [held.id, paid.id]) await t.http.post(`/api/v1/invoices/${id}/approve`).set(bearer(finance.token)).send({}).expect(200);

    const hold = await t.http.post(`/api/v1/invoices/${held.id}/hold`).set(bearer(finance.token)).send({ reason: 'Afventer dokumentation for uge 37', releaseOn: '2099-01-01' }).expect(200);
    expect(hold.body.status).toBe('held');
    // Held twice, or a date in the past: 409 naming the states, 422 naming the field.
    const twice = await t.http.post(`/api/v1/invoices/${held.id}/hold`).set(bearer(finance.token)).send({ reason: 'Igen', releaseOn: '2099-01-01' }).expect(409);
    expect(twice.body.details[0]).toMatchObject({ rule: 'invoice_transition', values: { from: 'held', to: 'held' } });
    const past = await t.http.post(`/api/v1/invoices/${paid.id}/hold`).set(bearer(finance.token)).send({ reason: 'For sent', releaseOn: '2020-01-01' }).expect(422);
    expect(past.body.details[0]).toMatchObject({ field: 'releaseOn', rule: 'release_after_today' });

    expect((await runToEnd('2026-09', 'build')).status).toBe('completed');
    expect((await runToEnd('2026-09', 'finalise')).status).toBe('completed');
    const [september] = await statementsOf('2026-09');
    expect(september.status).toBe('final');
    expect(await billedBy(paid.id)).toEqual([september.id]);
    expect(await billedBy(held.id)).toEqual([null]);

    const released = await t.http.post(`/api/v1/invoices/${held.id}/release`).set(bearer(finance.token)).send({}).expect(200);
    expect(released.body.status).toBe('approved');
    await t.http.post(`/api/v1/invoices/${held.id}/release`).set(bearer(finance.token)).send({}).expect(409);

    expect((await runToEnd('2026-10', 'build')).status).toBe('completed');
    expect((await runToEnd('2026-10', 'finalise')).status).toBe('completed');
    const [october] = await statementsOf('2026-10');
    expect(october.status).toBe('final');
    expect(await billedBy(held.id)).toEqual([october.id]);
    // A later month bills it no more.
    expect((await runToEnd('2026-11', 'build')).status).toBe('completed');
    expect(await billedBy(held.id)).toEqual([october.id]);
    const invoice = await t.http.get(`/api/v1/invoices/${held.id}`).set(bearer(mentor.user.token)).expect(200);
    expect(invoice.body.status).toBe('billed');

    const thread = await t.http.get(`/api/v1/invoices/${held.id}/thread`).set(bearer(mentor.user.token)).expect(200);
    expect(thread.body.entries.map((e: { kind: string }) => e.kind)).toEqual(['held', 'released']);
    await t.http.get(`/api/v1/invoices/${held.id}/thread`).set(bearer(other.user.token)).expect(404);
  });

  it('releases a hold whose release date has come by itself', async () => {
    const invoice = (await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).send(invoiceBody([{ grantReference: mentor.grants.a.reference, date: '2026-11-03', minutes: 30 }])).expect(201)).body as { id: string };
    await t.http.post(`/api/v1/invoices/${invoice.id}/hold`).set(bearer(finance.token)).send({ reason: 'Kort pause', releaseOn: '2099-01-01' }).expect(200);
    expect(await t.app.get(InvoiceHoldsService).releaseDue('2098-12-31')).toBe(0);
    expect(await t.app.get(InvoiceHoldsService).releaseDue('2099-01-01')).toBe(1);
    expect((await t.http.get(`/api/v1/invoices/${invoice.id}`).set(bearer(finance.token)).expect(200)).body.status).toBe('validated');
  });

  it('carries a dispute from the supplier’s line to finance’s resolution, and answers the e-invoice with UQ, then CA', async () => {
    // 600 kr./hour against the agreement's 450: a price finding on line 1.
    const invoice = await ublInvoice('UBL-DISPUTE-1', '2026-11-10', 600);
    expect(invoice.lines[0].findings.length).toBeGreaterThan(0);
    await t.http.post(`/api/v1/invoices/${invoice.id}/lines/1/answer`).set(bearer(mentor.user.token)).send({ answer: 'dispute' }).expect(422);
    await t.http.post(`/api/v1/invoices/${invoice.id}/lines/1/answer`).set(bearer(other.user.token)).send({ answer: 'dispute', comment: 'x' }).expect(404);
    await t.http.post(`/api/v1/invoices/${invoice.id}/lines/1/answer`).set(bearer(mentor.user.token)).send({ answer: 'dispute', comment: 'Prisen er aftalt <skriftligt> & godkendt' }).expect(200);
    await t.http.post(`/api/v1/invoices/${invoice.id}/lines/1/answer`).set(bearer(mentor.user.token)).send({ answer: 'accept' }).expect(409);
    const underQuery = await t.http.get(`/api/v1/invoices/${invoice.id}/response.xml`).set(bearer(mentor.user.token)).expect(200);
    expect(underQuery.text).toContain('>UQ</cbc:ResponseCode>');
    await t.http.get(`/api/v1/invoices/${invoice.id}/response.xml`).set(bearer(other.user.token)).expect(404);

    await t.http.post(`/api/v1/invoices/${invoice.id}/lines/1/reply`).set(bearer(finance.token)).send({ comment: 'Aftalen siger 450 kr.' }).expect(200);
    await t.http.post(`/api/v1/invoices/${invoice.id}/lines/1/resolve`).set(bearer(finance.token)).send({ resolution: 'credited' }).expect(422);
    await t.http.post(`/api/v1/invoices/${invoice.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    const thread = await t.http.get(`/api/v1/invoices/${invoice.id}/thread`).set(bearer(mentor.user.token)).expect(200);
    expect(thread.body.lines).toEqual([{ lineNo: 1, status: 'resolved', resolution: 'approved' }]);
    expect(thread.body.entries.map((e: { kind: string; side: string }) => `${e.kind}:${e.side}`)).toEqual(['disputed:supplier', 'answered:finance', 'resolved:system']);
    expect(thread.body.response.responseCode).toBe('CA');
    const notices = (await t.dataSource.query(`SELECT type FROM notification_event WHERE payload->>'invoiceId' = $1 ORDER BY type`, [invoice.id])) as Array<{ type: string }>;
    expect(notices.map((n) => n.type)).toEqual(expect.arrayContaining(['invoice.disputed', 'invoice.dispute_answered']));
  });

  it('generates responses for each code, valid against the UBL 2.1 schema', async () => {
    const accepted = await ublInvoice('UBL-AP-1', '2026-11-17');
    await t.http.post(`/api/v1/invoices/${accepted.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    const rejected = await ublInvoice('UBL-RE-1', '2026-11-18');
    await t.http.post(`/api/v1/invoices/${rejected.id}/reject`).set(bearer(finance.token)).send({ reason: 'Borgeren var syg; se "note" <1> & <2>' }).expect(200);
    const held = await ublInvoice('UBL-UQ-1', '2026-11-19');
    await t.http.post(`/api/v1/invoices/${held.id}/hold`).set(bearer(finance.token)).send({ reason: 'Afventer svar', releaseOn: '2099-01-01' }).expect(200);
    const partly = await ublInvoice('UBL-CA-1', '2026-11-24', 600);
    await t.http.post(`/api/v1/invoices/${partly.id}/approve`).set(bearer(finance.token)).send({}).expect(200);

    const documents: Array<[string, string]> = [];
    for (const [invoice, code] of [[accepted, 'AP'], [rejected, 'RE'], [held, 'UQ'], [partly, 'CA']] as const) {
      for (const format of ['peppol', 'oioubl']) {
        const response = await t.http.get(`/api/v1/invoices/${invoice.id}/response.xml`).query({ format }).set(bearer(finance.token)).expect(200);
        expect(response.headers['content-type']).toMatch(/application\/xml/);
        expect(response.text).toMatch(new RegExp(`<cbc:ResponseCode listID="UNCL4343OpSubset"[^>]*>${code}</cbc:ResponseCode>`));
        documents.push([`${code}-${format}`, response.text]);
      }
    }
    expect(documents.find(([name]) => name === 'RE-peppol')?.[1]).toContain('Borgeren var syg; se "note" &lt;1&gt; &amp; &lt;2&gt;');
    const outbox = await t.http.get('/api/v1/business-responses').set(bearer(finance.token)).expect(200);
    expect(outbox.body.items.length).toBeGreaterThanOrEqual(4);

    // Where xmllint or the UBL 2.1 XSDs are missing, the schema check is skipped (the documents are checked above).
    if (!canValidate) return;
    for (const [name, xml] of documents) {
      const file = join(workDir, `${name}.xml`);
      writeFileSync(file, xml);
      execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: 'pipe' });
    }
  });
});
