import { Workbook } from 'exceljs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobQueue } from '../src/common/queue/job-queue';
import { DeliveryLedgerService } from '../src/invoices/delivery-ledger.service';
import { aggregateExpenses, ruleStretches, type ExpenseAggregate } from '../src/refunds/refund.rules';
import { RulesService } from '../src/rules/rules.service';
import { binary } from './support/binary';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface ClaimLine {
  year: number;
  category: string;
  ratePercent: number;
  expenseOre: number;
  refundOre: number;
  cappedOffOre: number;
  claimedOre: number;
}

describe('refund claims', () => {
  let t: TestApp;
  let finance: TestUser;
  let mentor: SupplierWithGrants;
  const workDir = mkdtempSync(join(tmpdir(), 'refunds-e2e-'));

  const claim = async (from: string, to: string) => {
    const queued = await t.http.post('/api/v1/refund-claims').set(bearer(finance.token)).send({ from, to }).expect(202);
    expect(queued.body.status).toBe('queued');
    await t.app.get(JobQueue).drain();
    return (await t.http.get(`/api/v1/refund-claims/${queued.body.id}`).set(bearer(finance.token)).expect(200)).body;
  };
  const lines = (body: { claim: { lines: ClaimLine[] } }) => body.claim.lines.map((l) => [l.category, l.ratePercent, l.expenseOre, l.refundOre, l.cappedOffOre, l.claimedOre]);

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    finance = await makeUser(t, 'finance');
    mentor = await supplierWithGrants(t, {
      sick: { targetGroup: 'sickness_benefit' },
      resource: { targetGroup: 'resource_course' },
      insured: { targetGroup: 'unemployment_benefit' },
    });
    const invoice = await t.http
      .post('/api/v1/invoices')
      .set(bearer(mentor.user.token))
      .send(
        invoiceBody([
          { grantReference: mentor.grants.sick.reference, date: '2026-10-05', minutes: 60 },
          { grantReference: mentor.grants.resource.reference, date: '2026-10-06', minutes: 60 },
          { grantReference: mentor.grants.insured.reference, date: '2026-10-07', minutes: 60 },
          { grantReference: mentor.grants.sick.reference, date: '2026-10-19', minutes: 60 },
          // September: two halves claimed apart (the frame moving between their computation and submission).
          { grantReference: mentor.grants.sick.reference, date: '2026-09-07', minutes: 60 },
          { grantReference: mentor.grants.sick.reference, date: '2026-09-21', minutes: 60 },
        ]),
      )
      .expect(201);
    await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    // The year's frame: 300 kr. of refund inside the frame.
    await t.http.put('/api/v1/budgets/2026').set(bearer(finance.token)).send({ budgetOre: 10_000_000, frameOre: 30_000 }).expect(200);
  });
  afterAll(async () => {
    rmSync(workDir, { recursive: true, force: true });
    await t.close();
  });

  it('groups the period’s approved expenses excl. VAT by refund category, and caps the frame across two claims', async () => {
    const first = await claim('2026-10-01', '2026-10-15');
    expect(first.status).toBe('draft');
    // 450 kr. each: sickness benefit 50 % inside the frame; unemployment benefit nothing (on 018) and, since 2022,
    // resource course nothing (on 114): one line per grouping.
    expect(lines(first)).toEqual([
      ['inside_frame', 50, 45_000, 22_500, 0, 22_500],
      ['none', 0, 45_000, 0, 0, 0],
      ['none', 0, 45_000, 0, 0, 0],
    ]);
    expect(first.claim.lines.map((l: { accountCode: string | null }) => l.accountCode)).toEqual([null, '5.68.90.1-018', '5.68.90.1-114']);
    await t.http.post(`/api/v1/refund-claims/${first.id}/submit`).set(bearer(finance.token)).expect(200);
    const again = await t.http.post(`/api/v1/refund-claims/${first.id}/submit`).set(bearer(finance.token)).expect(409);
    // The transition table answers, naming where the claim is and where it was asked to go.
    expect(again.body.details).toEqual([
      { field: 'status', rule: 'refund_claim_transition', message: 'a refund claim that is submitted cannot become submitted (submitted is final)', values: { from: 'submitted', to: 'submitted' } },
    ]);

    const second = await claim('2026-10-16', '2026-10-31');
    // 225 kr. asked, 75 kr. left of the frame.
    expect(lines(second)).toEqual([['inside_frame', 50, 45_000, 22_500, 15_000, 7_500]]);
    expect(second.claim.frames).toEqual([expect.objectContaining({ year: 2026, frameOre: 30_000, claimedBeforeOre: 22_500, leftBeforeOre: 7_500, claimedOre: 7_500, leftAfterOre: 0 })]);
  });

  it('submits a draft as it was computed, and computes again in the job a draft whose frame another claim used meanwhile', async () => {
    // Both halves of September computed while 7 500 øre are left of the frame: each caps its 22 500 to 7 500.
    const early = await claim('2026-09-01', '2026-09-15');
    const late = await claim('2026-09-16', '2026-09-30');
    expect(lines(early)).toEqual([['inside_frame', 50, 45_000, 22_500, 15_000, 7_500]]);
    expect(lines(late)).toEqual([['inside_frame', 50, 45_000, 22_500, 15_000, 7_500]]);
    const submitted = await t.http.post(`/api/v1/refund-claims/${early.id}/submit`).set(bearer(finance.token)).expect(200);
    expect(submitted.body.claim).toEqual(early.claim);
    expect(submitted.body.claimedOre).toBe(7_500);

    const stale = await t.http.post(`/api/v1/refund-claims/${late.id}/submit`).set(bearer(finance.token)).expect(409);
    expect(stale.body.details).toEqual([
      { field: 'frames.2026', rule: 'claim_stale', message: 'claims submitted since took 30000 øre of the frame of 2026, not 22500', values: { year: 2026 } },
    ]);
    const requeued = (await t.http.get(`/api/v1/refund-claims/${late.id}`).set(bearer(finance.token)).expect(200)).body;
    // The in-process queue may already have taken the job: queued or computing, but nothing computed yet.
    expect(['queued', 'computing']).toContain(requeued.status);
    expect(requeued.claim).toBeNull();
    await t.app.get(JobQueue).drain();
    const recomputed = (await t.http.get(`/api/v1/refund-claims/${late.id}`).set(bearer(finance.token)).expect(200)).body;
    expect(recomputed.status).toBe('draft');
    expect(lines(recomputed)).toEqual([['inside_frame', 50, 45_000, 22_500, 22_500, 0]]);
    await t.http.post(`/api/v1/refund-claims/${late.id}/submit`).set(bearer(finance.token)).expect(200);
    const actions = (await t.dataSource.query(`SELECT action FROM audit_entry WHERE entity_id = $1 ORDER BY id`, [late.id])) as Array<{ action: string }>;
    expect(actions.map((a) => a.action)).toEqual([
      'refund_claim.requested',
      'refund_claim.computing',
      'refund_claim.computed',
      'refund_claim.recomputing',
      'refund_claim.computing',
      'refund_claim.computed',
      'refund_claim.submitted',
    ]);
  });

  it('answers the totals and frames with a page of the lines; the exports hold every line', async () => {
    const draft = await claim('2026-10-01', '2026-10-31');
    expect(draft.claim).toMatchObject({ lineCount: 3, offset: 0, nextOffset: null, totals: { expenseOre: 180_000, refundOre: 45_000, cappedOffOre: 45_000, claimedOre: 0 } });
    expect(draft.claim).not.toHaveProperty('expenses');
    const first = (await t.http.get(`/api/v1/refund-claims/${draft.id}`).query({ limit: 2 }).set(bearer(finance.token)).expect(200)).body;
    expect(first.claim.lines.map((l: ClaimLine) => l.category)).toEqual(['inside_frame', 'none']);
    expect([first.claim.lineCount, first.claim.offset, first.claim.nextOffset]).toEqual([3, 0, 2]);
    expect(first.claim.totals).toEqual(draft.claim.totals);
    expect(first.claim.frames).toEqual(draft.claim.frames);
    const rest = (await t.http.get(`/api/v1/refund-claims/${draft.id}`).query({ offset: 2, limit: 2 }).set(bearer(finance.token)).expect(200)).body;
    expect([rest.claim.lines.map((l: ClaimLine) => l.category), rest.claim.offset, rest.claim.nextOffset]).toEqual([['none'], 2, null]);
    const beyond = (await t.http.get(`/api/v1/refund-claims/${draft.id}`).query({ offset: 5 }).set(bearer(finance.token)).expect(200)).body;
    expect([beyond.claim.lines, beyond.claim.lineCount]).toEqual([[], 3]);
    const tooMany = await t.http.get(`/api/v1/refund-claims/${draft.id}`).query({ limit: 201 }).set(bearer(finance.token)).expect(422);
    expect(tooMany.body.details[0]).toMatchObject({ field: 'limit', rule: 'max' });
    const csv = await t.http.get(`/api/v1/refund-claims/${draft.id}/export.csv`).query({ format: 'raw' }).set(bearer(finance.token)).expect(200);
    expect(csv.text.replace(/^\ufeff/, '').trim().split('\r\n')).toHaveLength(4);
  });

  it('sums the expenses in SQL exactly as the rule’s own grouping sums them one by one', async () => {
    const ledger = t.app.get(DeliveryLedgerService);
    const ruleSets = (await t.app.get(RulesService).versions(t.dataSource.manager)).map((v) => ({ effectiveFrom: v.effectiveFrom, values: v.values }));
    // The suite's rule set and one more from mid-October with a narrower regime, so the period has two stretches.
    const versions = [...ruleSets, { effectiveFrom: '2026-10-12', values: { ...ruleSets[0].values, refundRegimes: [{ validFrom: '2026-10-12', insideFrame: ['resource_course' as const], outsideFrame: [], ratePercent: 40 }] } }];
    const starts = ruleStretches(versions, '2026-09-01', '2026-10-31');
    expect(starts).toEqual(['2026-09-01', '2026-10-12']);
    const inSql = await ledger.approvedExpenseAggregates(t.dataSource.manager, '2026-09-01', '2026-10-31', starts);
    const oneByOne = aggregateExpenses(
      (await ledger.approvedExpenses(t.dataSource.manager, '2026-09-01', '2026-10-31')).map((e) => ({ deliveryId: e.deliveryId, date: e.date, amountExclVatOre: e.approvedOre, targetGroupAtStart: e.targetGroupAtStart, mentorType: e.mentorType })),
      versions,
      '2026-09-01',
      '2026-10-31',
    );
    const order = (a: ExpenseAggregate, b: ExpenseAggregate) => `${a.stretchFrom}${a.targetGroupAtStart}`.localeCompare(`${b.stretchFrom}${b.targetGroupAtStart}`);
    expect([...inSql].sort(order)).toEqual([...oneByOne].sort(order));
    expect([...inSql].sort(order)).toEqual([
      { stretchFrom: '2026-09-01', targetGroupAtStart: 'resource_course', mentorType: 'retention', expenses: 1, expenseOre: 45_000 },
      { stretchFrom: '2026-09-01', targetGroupAtStart: 'sickness_benefit', mentorType: 'retention', expenses: 3, expenseOre: 135_000 },
      { stretchFrom: '2026-09-01', targetGroupAtStart: 'unemployment_benefit', mentorType: 'retention', expenses: 1, expenseOre: 45_000 },
      { stretchFrom: '2026-10-12', targetGroupAtStart: 'sickness_benefit', mentorType: 'retention', expenses: 1, expenseOre: 45_000 },
    ]);
  });

  it('exports CSV, XLSX and PDF with each line’s grouping of the chart of accounts (none where none is entered)', async () => {
    const draft = await claim('2026-10-01', '2026-10-31');
    const csv = await t.http.get(`/api/v1/refund-claims/${draft.id}/export.csv`).query({ format: 'raw' }).set(bearer(finance.token)).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(rows[0]).toBe('year;category;rate_percent;account_code;expenses;expense_ore;refund_ore;capped_off_ore;claimed_ore;claimed_kr');
    expect(rows.slice(1).map((row) => row.split(';')[3])).toEqual(['', '5.68.90.1-018', '5.68.90.1-114']);
    const xlsx = await t.http.get(`/api/v1/refund-claims/${draft.id}/export.xlsx`).set(bearer(finance.token)).buffer(true).parse(binary).expect(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    // For people: the period over the lines, Danish headers and category names, kroner in #,##0.00, a totals row.
    const workbook = new Workbook();
    await workbook.xlsx.load(xlsx.body as Buffer as unknown as Parameters<Workbook['xlsx']['load']>[0]);
    const sheet = workbook.worksheets[0];
    const read = (await t.http.get(`/api/v1/refund-claims/${draft.id}`).set(bearer(finance.token)).expect(200)).body;
    expect(sheet.getCell('A1').value).toBe('Refusionsanmodning 01-10-2026 – 31-10-2026');
    expect(sheet.getRow(2).values).toEqual([undefined, 'Periode', '01-10-2026 – 31-10-2026']);
    expect(sheet.getRow(3).values).toEqual([undefined, 'Status', 'Kladde']);
    expect(sheet.getRow(6).values).toEqual([undefined, 'År', 'Refusionskategori', 'Refusionssats (%)', 'Kontering', 'Antal udgifter', 'Udgift ekskl. moms (kr.)', 'Refusion før loft (kr.)', 'Over rammen (kr.)', 'Anmodet refusion (kr.)']);
    const lines = sheet.getRows(7, sheet.rowCount - 7)!;
    expect(lines).toHaveLength(read.claim.lineCount);
    expect(lines.map((row) => row.getCell(2).value).every((label) => ['Inden for rammen', 'Uden for rammen', 'Ingen refusion'].includes(label as string))).toBe(true);
    expect(lines.every((row) => row.getCell(9).numFmt === '#,##0.00' && typeof row.getCell(9).value === 'number')).toBe(true);
    const totals = sheet.getRow(sheet.rowCount);
    expect([totals.getCell(1).value, totals.getCell(6).value, totals.getCell(9).value, totals.getCell(9).numFmt]).toEqual(['I alt', read.expenseOre / 100, read.claimedOre / 100, '#,##0.00']);
    const english = await t.http.get(`/api/v1/refund-claims/${draft.id}/export.csv`).query({ lang: 'en' }).set(bearer(finance.token)).expect(200);
    expect(english.text.replace(/^\ufeff/, '').split('\r\n').slice(0, 2)).toEqual(['Refund claim 2026-10-01 – 2026-10-31', 'Period;2026-10-01 – 2026-10-31']);
    const pdf = await t.http.get(`/api/v1/refund-claims/${draft.id}.pdf`).set(bearer(finance.token)).buffer(true).parse(binary).expect(200);
    const file = join(workDir, 'claim.pdf');
    writeFileSync(file, pdf.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Refusionsanmodning');
    expect(text).toContain('KLADDE');
  });

  it('refuses a second submitted claim over the same days, empty and future periods, and anyone but finance', async () => {
    const overlapping = await claim('2026-10-10', '2026-10-20');
    const refused = await t.http.post(`/api/v1/refund-claims/${overlapping.id}/submit`).set(bearer(finance.token)).expect(409);
    expect(refused.body.details[0]).toMatchObject({ rule: 'no_overlap' });
    const empty = await t.http.post('/api/v1/refund-claims').set(bearer(finance.token)).send({ from: '2025-01-01', to: '2025-01-31' }).expect(422);
    expect(empty.body.details[0]).toMatchObject({ rule: 'period_not_empty' });
    const future = await t.http.post('/api/v1/refund-claims').set(bearer(finance.token)).send({ from: '2026-10-01', to: '2027-01-31' }).expect(422);
    expect(future.body.details[0]).toMatchObject({ field: 'to', rule: 'not_in_future' });
    await t.http.post('/api/v1/refund-claims').set(bearer(mentor.user.token)).send({ from: '2026-10-01', to: '2026-10-31' }).expect(403);
    const admin = await makeUser(t, 'admin');
    await t.http.post('/api/v1/refund-claims').set(bearer(admin.token)).send({ from: '2026-10-01', to: '2026-10-31' }).expect(403);
    await expect(t.dataSource.query(`UPDATE refund_claim SET claimed_ore = 0 WHERE status = 'submitted'`)).rejects.toThrow(/frozen/);
  });
});
