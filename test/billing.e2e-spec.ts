import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatementStore } from '../src/billing/statement.store';
import { StatementsService } from '../src/billing/statements.service';
import { toErrorBody } from '../src/common/errors/http-exception.filter';
import { JobQueue } from '../src/common/queue/job-queue';
import { binary } from './support/binary';
import { auditActions } from './support/factories';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

describe('month close: billing runs and statements', () => {
  let t: TestApp;
  let finance: TestUser;
  let admin: TestUser;
  let mentor: SupplierWithGrants;
  let other: SupplierWithGrants;
  let company: SupplierWithGrants;
  const workDir = mkdtempSync(join(tmpdir(), 'billing-e2e-'));

  const approve = async (supplier: SupplierWithGrants, lines: Parameters<typeof invoiceBody>[0]) => {
    const invoice = await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody(lines)).expect(201);
    await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    return invoice.body as { id: string; invoiceNumber: string };
  };
  const runToEnd = async (month: string, kind: 'build' | 'finalise' = 'build') => {
    const started = await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month, kind }).expect(202);
    await t.app.get(JobQueue).drain();
    return (await t.http.get(`/api/v1/billing-runs/${started.body.id}`).set(bearer(finance.token)).expect(200)).body;
  };

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    finance = await makeUser(t, 'finance');
    admin = await makeUser(t, 'admin');
    mentor = await supplierWithGrants(t, { a: { minutesPerWeek: 90 }, b: { minutesPerWeek: 60 } });
    other = await supplierWithGrants(t, { x: { minutesPerWeek: 60 } });
    company = await supplierWithGrants(t, { p: { minutesPerWeek: 60, mentorType: 'company' } }, { kind: 'partner_company', rateOre: 25_000 });
    // October 2026: mentor 45 + 60 + 90 minutes at 450 kr./hour; a September session stays out of October.
    await approve(mentor, [
      { grantReference: mentor.grants.a.reference, date: '2026-10-05', minutes: 45 },
      { grantReference: mentor.grants.a.reference, date: '2026-10-19', minutes: 90 },
      { grantReference: mentor.grants.b.reference, date: '2026-10-30', minutes: 60 },
      { grantReference: mentor.grants.b.reference, date: '2026-09-30', minutes: 60 },
    ]);
    await approve(other, [{ grantReference: other.grants.x.reference, date: '2026-10-12', minutes: 30 }]);
    for (const [date, minutes] of [['2026-10-06', 60], ['2026-10-13', 45]] as const) {
      await t.http.post('/api/v1/hour-registrations').set(bearer(company.user.token)).send({ grantId: company.grants.p.id, date, minutes, contactForm: 'in_person' }).expect(201);
    }
    const selfBilling = await t.http.post('/api/v1/hour-registrations/2026-10/submit').set(bearer(company.user.token)).expect(200);
    await t.http.post(`/api/v1/invoices/${selfBilling.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
  });
  afterAll(async () => {
    rmSync(workDir, { recursive: true, force: true });
    await t.close();
  });

  it('builds one draft statement per supplier from the month’s approved deliveries, to the øre', async () => {
    const run = await runToEnd('2026-10');
    expect(run).toMatchObject({ month: '2026-10', status: 'completed', suppliersTotal: 3, suppliersDone: 3, statements: 3, percent: 100 });
    const list = await t.http.get('/api/v1/statements').query({ month: '2026-10' }).set(bearer(finance.token)).expect(200);
    const mine = list.body.find((s: { supplierId: string }) => s.supplierId === mentor.supplierId);
    // 195 minutes at 450 kr./hour = 1,462.50 kr.; VAT 25 % = 365.63 kr. (365.625 rounded half up).
    expect(mine).toMatchObject({ status: 'draft', number: null, minutes: 195, netOre: 146_250, vatOre: 36_563, totalOre: 182_813, selfBilled: false });
    const detail = await t.http.get(`/api/v1/statements/${mine.id}`).set(bearer(finance.token)).expect(200);
    expect(detail.body.content.groups.map((g: { grantReference: string; minutes: number; netOre: number }) => [g.grantReference, g.minutes, g.netOre])).toEqual([
      [mentor.grants.a.reference, 135, 101_250],
      [mentor.grants.b.reference, 60, 45_000],
    ]);
    expect(detail.body.dueOn <= addDaysText(detail.body.issuedOn, 30)).toBe(true);
    const selfBilled = list.body.find((s: { supplierId: string }) => s.supplierId === company.supplierId);
    // The partner company: 60 + 45 minutes, capped at 60 a week: 60 + 45 in two weeks at 250 kr./hour = 437.50 kr.
    expect(selfBilled).toMatchObject({ selfBilled: true, minutes: 105, netOre: 43_750 });
    // A month's statements are listed by supplier name, as the suppliers module orders its suppliers, each with its name.
    const suppliers = (await t.http.get('/api/v1/suppliers').set(bearer(admin.token)).expect(200)).body as Array<{ id: string; name: string }>;
    const listed = list.body as Array<{ supplierId: string; supplierName: string }>;
    expect(listed.map((s) => [s.supplierId, s.supplierName])).toEqual(suppliers.filter((s) => listed.some((l) => l.supplierId === s.id)).map((s) => [s.id, s.name]));
  });

  it('replaces draft statements when the month is run again, never doubling them', async () => {
    const before = await t.http.get('/api/v1/statements').query({ month: '2026-10' }).set(bearer(finance.token)).expect(200);
    await approve(mentor, [{ grantReference: mentor.grants.b.reference, date: '2026-10-14', minutes: 30 }]);
    await runToEnd('2026-10');
    const after = await t.http.get('/api/v1/statements').query({ month: '2026-10' }).set(bearer(finance.token)).expect(200);
    expect(after.body).toHaveLength(before.body.length);
    expect(after.body.find((s: { supplierId: string }) => s.supplierId === mentor.supplierId)).toMatchObject({ minutes: 225, netOre: 168_750 });
    const rows = (await t.dataSource.query(`SELECT count(*) AS n FROM statement WHERE month = '2026-10'`)) as Array<{ n: string }>;
    expect(rows[0].n).toBe('3');
  });

  it('finalises an ended month: gap-free numbers, the PDF rendered once and stored, the statements immutable', async () => {
    const run = await runToEnd('2026-10', 'finalise');
    expect(run).toMatchObject({ kind: 'finalise', status: 'completed', statements: 3 });
    const list = await t.http.get('/api/v1/statements').query({ month: '2026-10' }).set(bearer(finance.token)).expect(200);
    const numbers = list.body.map((s: { number: string }) => s.number).sort();
    expect(numbers).toEqual(['AF-2026-000001', 'AF-2026-000002', 'AF-2026-000003']);
    const mine = list.body.find((s: { supplierId: string }) => s.supplierId === mentor.supplierId);
    const first = await t.http.get(`/api/v1/statements/${mine.id}.pdf`).set(bearer(mentor.user.token)).buffer(true).parse(binary).expect(200);
    const second = await t.http.get(`/api/v1/statements/${mine.id}.pdf`).set(bearer(finance.token)).buffer(true).parse(binary).expect(200);
    expect(first.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(first.body as Buffer, second.body as Buffer)).toBe(0);
    const file = join(workDir, 'statement.pdf');
    writeFileSync(file, first.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(mine.number);
    expect(text).toContain(mentor.grants.a.reference);
    expect(text).toContain('2.109,38'); // total incl. VAT: 1,687.50 + 421.88
    await expect(t.dataSource.query(`UPDATE statement SET net_ore = 0 WHERE id = $1`, [mine.id])).rejects.toThrow(/final and cannot change/);
    // An invoice is billed once all its approved lines are on final statements: the one with a September line waits for September.
    const invoices = (await t.dataSource.query(
      `SELECT DISTINCT i.status, bool_or(d.delivered_on < '2026-10-01') OVER (PARTITION BY i.id) AS has_september FROM invoice i JOIN delivery d ON d.invoice_id = i.id WHERE i.supplier_id = $1 ORDER BY 1`,
      [mentor.supplierId],
    )) as Array<{ status: string; has_september: boolean }>;
    expect(invoices).toEqual([{ status: 'approved', has_september: true }, { status: 'billed', has_september: false }]);
    expect((await auditActions(t, admin, 'statement', mine.id)).map((a) => a.action)).toEqual(expect.arrayContaining(['statement.finalised', 'statement.drafted']));
    // A new run keeps final statements as they are.
    await runToEnd('2026-10');
    const again = await t.http.get(`/api/v1/statements/${mine.id}`).set(bearer(finance.token)).expect(200);
    expect(again.body).toMatchObject({ status: 'final', number: mine.number, netOre: mine.netOre });
  });

  it('answers 409 naming the states when a final statement is to be made final again, and takes no number', async () => {
    const list = await t.http.get('/api/v1/statements').query({ month: '2026-10', status: 'final' }).set(bearer(finance.token)).expect(200);
    const mine = list.body.find((s: { supplierId: string }) => s.supplierId === mentor.supplierId);
    const [{ id: runId }] = (await t.dataSource.query(`SELECT id FROM billing_run WHERE month = '2026-10' AND kind = 'finalise'`)) as Array<{ id: string }>;
    const window = await t.app.get(StatementStore).ofSupplierMonth(t.dataSource.manager, mentor.supplierId, '2026-10', false);
    const terms = await t.app.get(StatementsService).terms(mentor.supplierId, mine.issuedOn);
    const error: unknown = await t.dataSource.transaction((manager) => t.app.get(StatementsService).finalise(manager, window!, terms, runId)).catch((caught: unknown) => caught);
    expect(toErrorBody(error)).toMatchObject({ statusCode: 409, details: [{ field: 'status', rule: 'statement_transition', values: { from: 'final', to: 'final' } }] });
    const [{ last_number }] = (await t.dataSource.query(`SELECT last_number FROM statement_number_counter WHERE year = 2026`)) as Array<{ last_number: number }>;
    expect(last_number).toBe(3);
  });

  it('shows a supplier its own statements only; another’s is not found', async () => {
    const own = await t.http.get('/api/v1/statements').set(bearer(other.user.token)).expect(200);
    expect(own.body.length).toBeGreaterThan(0);
    expect(own.body.every((s: { supplierId: string }) => s.supplierId === other.supplierId)).toBe(true);
    const mentorStatement = (await t.http.get('/api/v1/statements').set(bearer(mentor.user.token)).expect(200)).body[0];
    await t.http.get(`/api/v1/statements/${mentorStatement.id}`).set(bearer(other.user.token)).expect(404);
    await t.http.get(`/api/v1/statements/${mentorStatement.id}.pdf`).set(bearer(other.user.token)).expect(404);
  });

  it('refuses future, malformed and unended months, and lets only finance start a run', async () => {
    const future = await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2027-01' }).expect(422);
    expect(future.body.details[0]).toMatchObject({ field: 'month', rule: 'not_in_future' });
    const malformed = await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2026-13' }).expect(422);
    expect(malformed.body.details[0]).toMatchObject({ field: 'month' });
    const unended = await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2026-11', kind: 'finalise' }).expect(422);
    expect(unended.body.details[0]).toMatchObject({ rule: 'month_ended' });
    await t.http.post('/api/v1/billing-runs').set(bearer(mentor.user.token)).send({ month: '2026-10' }).expect(403);
    await t.http.post('/api/v1/billing-runs').set(bearer(admin.token)).send({ month: '2026-10' }).expect(403);
  });

  it('answers the run already going for a second request of the same month', async () => {
    const [first, second] = await Promise.all([
      t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2026-09' }),
      t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2026-09' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 202]);
    expect(first.body.id).toBe(second.body.id);
    await t.app.get(JobQueue).drain();
    const rows = (await t.dataSource.query(`SELECT count(*) AS n FROM billing_run WHERE month = '2026-09'`)) as Array<{ n: string }>;
    expect(rows[0].n).toBe('1');
  });

  it('refuses in the database a delivery on another supplier’s grant, so no statement needs to check a grant’s owner', async () => {
    const [line] = (await t.dataSource.query(`SELECT id, grant_id FROM delivery WHERE supplier_id = $1 AND kind = 'session' ORDER BY delivered_on LIMIT 1`, [mentor.supplierId])) as Array<{ id: string; grant_id: string }>;
    await expect(t.dataSource.query(`UPDATE delivery SET grant_id = $2 WHERE id = $1`, [line.id, other.grants.x.id])).rejects.toThrow(/delivery_grant_of_supplier/);
    const [after] = (await t.dataSource.query(`SELECT grant_id FROM delivery WHERE id = $1`, [line.id])) as Array<{ grant_id: string }>;
    expect(after.grant_id).toBe(line.grant_id);
  });

  it('numbers a statement first and stores its PDF once after: until then the PDF is rendered from its stored lines, the same bytes', async () => {
    const [{ id: runId }] = (await t.dataSource.query(`SELECT id FROM billing_run WHERE month = '2026-09'`)) as Array<{ id: string }>;
    const window = await t.app.get(StatementStore).ofSupplierMonth(t.dataSource.manager, mentor.supplierId, '2026-09', false);
    expect(window?.status).toBe('draft');
    const statements = t.app.get(StatementsService);
    const terms = await statements.terms(mentor.supplierId, window!.issuedOn);
    const number = await t.dataSource.transaction((manager) => statements.finalise(manager, window!, terms, runId));
    expect(number).toBe('AF-2026-000004');
    const [numbered] = (await t.dataSource.query(`SELECT status, number, pdf IS NULL AS no_pdf FROM statement WHERE id = $1`, [window!.id])) as Array<{ status: string; number: string; no_pdf: boolean }>;
    expect(numbered).toEqual({ status: 'final', number: 'AF-2026-000004', no_pdf: true });
    const served = await t.http.get(`/api/v1/statements/${window!.id}.pdf`).set(bearer(finance.token)).buffer(true).parse(binary).expect(200);
    const file = join(workDir, 'numbered.pdf');
    writeFileSync(file, served.body as Buffer);
    expect(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })).toContain('AF-2026-000004');

    let after = 0;
    expect(await statements.storePdf(window!.id, runId, async () => void (after += 1))).toBe(true);
    expect(await statements.storePdf(window!.id, runId, async () => void (after += 1))).toBe(false);
    expect(after).toBe(2);
    const [{ pdf }] = (await t.dataSource.query(`SELECT pdf FROM statement WHERE id = $1`, [window!.id])) as Array<{ pdf: Buffer }>;
    expect(Buffer.compare(pdf, served.body as Buffer)).toBe(0);
    await expect(t.dataSource.query(`UPDATE statement SET pdf = 'x' WHERE id = $1`, [window!.id])).rejects.toThrow(/final and cannot change/);
    await expect(t.dataSource.query(`UPDATE statement SET pdf = NULL WHERE id = $1`, [window!.id])).rejects.toThrow(/final and cannot change/);
    expect((await auditActions(t, admin, 'statement', window!.id)).map((a) => a.action)).toEqual(expect.arrayContaining(['statement.finalised', 'statement.pdf_stored']));
  });

  it('puts a session of a closed month, approved after the close, on the next month\'s statement, once, and leaves the closed one as it was', async () => {
    const october = (await t.http.get('/api/v1/statements').query({ month: '2026-10', status: 'final' }).set(bearer(finance.token)).expect(200)).body.find(
      (s: { supplierId: string }) => s.supplierId === mentor.supplierId,
    );
    const late = await approve(mentor, [{ grantReference: mentor.grants.a.reference, date: '2026-10-27', minutes: 30 }]);
    const run = await runToEnd('2026-11');
    expect(run).toMatchObject({ status: 'completed' });
    const november = (await t.http.get('/api/v1/statements').query({ month: '2026-11' }).set(bearer(finance.token)).expect(200)).body.find(
      (s: { supplierId: string }) => s.supplierId === mentor.supplierId,
    );
    // 30 minutes at 450 kr./hour = 225.00 kr.
    expect(november).toMatchObject({ status: 'draft', minutes: 30, netOre: 22_500 });
    const detail = await t.http.get(`/api/v1/statements/${november.id}`).set(bearer(finance.token)).expect(200);
    expect(detail.body.content.groups.flatMap((g: { lines: Array<{ date: string; minutes: number }> }) => g.lines.map((l) => [l.date, l.minutes]))).toEqual([['2026-10-27', 30]]);

    const [{ id: runId }] = (await t.dataSource.query(`SELECT id FROM billing_run WHERE month = '2026-11' ORDER BY created_at DESC LIMIT 1`)) as Array<{ id: string }>;
    const window = await t.app.get(StatementStore).ofSupplierMonth(t.dataSource.manager, mentor.supplierId, '2026-11', false);
    const statements = t.app.get(StatementsService);
    const terms = await statements.terms(mentor.supplierId, window!.issuedOn);
    expect(await t.dataSource.transaction((manager) => statements.finalise(manager, window!, terms, runId))).toBe('AF-2026-000005');
    const paid = (await t.dataSource.query(`SELECT d.billed_by_statement_id AS statement FROM delivery d WHERE d.invoice_id = $1`, [late.id])) as Array<{ statement: string }>;
    expect(paid).toEqual([{ statement: window!.id }]);
    const octoberAfter = await t.http.get(`/api/v1/statements/${october.id}`).set(bearer(finance.token)).expect(200);
    expect(octoberAfter.body).toMatchObject({ status: 'final', number: october.number, minutes: october.minutes, netOre: october.netOre });
    // Paid once: the month built again has nothing of it left.
    await runToEnd('2026-11');
    const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM statement WHERE supplier_id = $1 AND month = '2026-11'`, [mentor.supplierId])) as Array<{ n: number }>;
    expect(n).toBe(1);
  });
});

function addDaysText(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
