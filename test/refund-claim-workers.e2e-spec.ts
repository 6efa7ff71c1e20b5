import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { REFUND_QUEUE, RefundClaimsService, refundJobId } from '../src/refunds/refund-claims.service';
import { JobQueue } from '../src/common/queue/job-queue';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { ensureBuilt, freePort, startApi, startWorker, type WorkerProcess } from './support/processes';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * A refund claim of 50,000 expenses computed by a worker process on BullMQ (`node dist/src/main.js worker`)
 * while an api process (`node dist/src/main.js api`) keeps answering; its job has one id, so the sweeper never
 * starts it twice.
 */
describe('refund claims computed in a worker process', () => {
  const EXPENSES = 50_000;
  const FROM = '2026-01-01';
  const TO = '2026-10-31';
  let t: TestApp;
  let finance: TestUser;
  let mentor: SupplierWithGrants;
  const processes: WorkerProcess[] = [];

  // The expense i (1 … 50,000) is of the grant i % 3 (unemployment benefit, sickness benefit, resource course) and approves 1,000 + i % 997 øre.
  // In 2026 only sickness benefit is refunded (inside the frame); resource course has had none since 2022.
  const amountOf = (i: number): number => 1_000 + (i % 997);
  const expected = { none: 0, inside: 0, outside: 0 };
  for (let i = 1; i <= EXPENSES; i += 1) expected[(['none', 'inside', 'outside'] as const)[i % 3]] += amountOf(i);
  // 50 % of each line, rounded half up once per line.
  const half = (ore: number): number => Math.floor((ore + 1) / 2);

  const claimOf = async (http: ReturnType<typeof request>, id: string) => (await http.get(`/api/v1/refund-claims/${id}`).set(bearer(finance.token)).expect(200)).body;
  const waitFor = async <T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await probe();
      if (found !== null) return found;
      if (Date.now() > deadline) throw new Error(`waited in vain for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    ensureBuilt();
    t = await startTestApp({ mode: 'api' });
    finance = await makeUser(t, 'finance');
    mentor = await supplierWithGrants(t, {
      sick: { targetGroup: 'sickness_benefit' },
      resource: { targetGroup: 'resource_course' },
      insured: { targetGroup: 'unemployment_benefit' },
    });
    // An invoice made through the API (its one session is after the claim's period), then 50,000 approved sessions
    // on it, set-based: each grant a session a day of the period with 1–40 minutes, so none is paid twice.
    const invoice = await t.http
      .post('/api/v1/invoices')
      .set(bearer(mentor.user.token))
      .send(invoiceBody([{ grantReference: mentor.grants.sick.reference, date: '2026-11-02', minutes: 60 }], { invoiceNumber: `R-${randomBytes(4).toString('hex')}` }))
      .expect(201);
    await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    const grants = [mentor.grants.insured, mentor.grants.sick, mentor.grants.resource];
    await t.dataSource.query(
      `INSERT INTO delivery (invoice_id, line_no, supplier_id, grant_id, grant_reference, delivered_on, minutes, contact_form, rate_ore, amount_ore, approvable_ore, approved_ore, status)
       SELECT $1, 1000 + i, $2, ($3::uuid[])[1 + i % 3], ($4::text[])[1 + i % 3], $5::date + (i / 3) % 304, 1 + i / 912, 'in_person', 45000, 1000 + i % 997, 1000 + i % 997, 1000 + i % 997, 'approved'
         FROM generate_series(1, $6) i`,
      [invoice.body.id, mentor.supplierId, grants.map((g) => g.id), grants.map((g) => g.reference), FROM, EXPENSES],
    );
    await t.dataSource.query('ANALYZE delivery');
    await t.http.put('/api/v1/budgets/2026').set(bearer(finance.token)).send({ budgetOre: 100_000_000, frameOre: 100_000_000 }).expect(200);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await t.close();
  });

  it('computes a claim of 50,000 expenses once in the worker while the api answers, refuses to submit it meanwhile, and ends with the exact totals', async () => {
    const port = await freePort();
    const api = await startApi(t, port);
    const worker = await startWorker(t);
    processes.push(api, worker);
    const http = request(`http://127.0.0.1:${port}`);

    // The test holds the frames table, so the worker, once it has summed the expenses, waits mid-computation
    // on reading the frames: the claim stays `computing` for as long as the test needs to look at it.
    const holder = new Client({ connectionString: t.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE budget_year IN ACCESS EXCLUSIVE MODE');
      const id = (await http.post('/api/v1/refund-claims').set(bearer(finance.token)).send({ from: FROM, to: TO }).expect(202)).body.id as string;
      await waitFor('the claim to be computing', async () => ((await claimOf(http, id)).status === 'computing' ? true : null));

      // The api answers while the claim computes: who is signed in, and its health.
      const me = await http.get('/api/v1/auth/me').set(bearer(finance.token)).expect(200);
      expect(me.body.email).toBe(finance.email);
      await http.get('/health').expect(200);
      const page = (await claimOf(http, id)) as { status: string; claim: unknown };
      expect([page.status, page.claim]).toEqual(['computing', null]);
      const early = await http.post(`/api/v1/refund-claims/${id}/submit`).set(bearer(finance.token)).expect(409);
      expect(early.body.details).toEqual([{ field: 'status', rule: 'computing', message: 'the claim is computing; submit it once it is a draft', values: { status: 'computing' } }]);
      // The sweeper sees the job running under its one id and leaves it alone.
      expect(await t.app.get(JobQueue).state(REFUND_QUEUE, refundJobId(id, 1))).toBe('active');
      expect(await t.app.get(RefundClaimsService).requeueStalled(0)).toBe(0);
      await holder.query('COMMIT');

      const done = await waitFor('the claim to be a draft', async () => {
        const claim = await claimOf(http, id);
        if (claim.status === 'failed') throw new Error(`the claim failed: ${claim.error}`);
        return claim.status === 'draft' ? claim : null;
      });
      expect(done.claim.totals).toEqual({
        expenseOre: expected.inside + expected.outside + expected.none,
        refundOre: half(expected.inside),
        cappedOffOre: 0,
        claimedOre: half(expected.inside),
      });
      expect(done.claim.lines.map((l: { category: string; expenses: number; expenseOre: number }) => [l.category, l.expenses, l.expenseOre])).toEqual([
        ['inside_frame', 16_667, expected.inside],
        // Unemployment benefit on 018, resource course on 114.
        ['none', 16_666, expected.none],
        ['none', 16_667, expected.outside],
      ]);
      expect(worker.logs.filter((line) => line.msg === 'refund claim computed' && line.claimId === id)).toHaveLength(1);
      const computed = (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE entity_id = $1 AND action = 'refund_claim.computed'`, [id])) as Array<{ n: number }>;
      expect(computed[0].n).toBe(1);
      await http.post(`/api/v1/refund-claims/${id}/submit`).set(bearer(finance.token)).expect(200);
    } finally {
      await holder.end();
    }
  });

  it('enqueues a claim whose job was lost again under the same job id, and the worker computes it once', async () => {
    const worker = processes.find((p) => p.logs.some((line) => line.msg === 'worker started'));
    if (!worker) throw new Error('the worker of the first test is gone');
    // A claim queued a while ago whose job Redis no longer has.
    const [{ id }] = (await t.dataSource.query(`INSERT INTO refund_claim (period_from, period_to, status, status_changed_at) VALUES ('2026-11-01', '2026-11-30', 'queued', now() - interval '10 minutes') RETURNING id`)) as Array<{ id: string }>;
    expect(await t.app.get(JobQueue).state(REFUND_QUEUE, refundJobId(id, 1))).toBe('unknown');
    const claims = t.app.get(RefundClaimsService);
    expect(await claims.requeueStalled(60_000)).toBe(1);
    const draft = await waitFor('the lost claim to be a draft', async () => {
      const claim = await claimOf(t.http, id);
      return claim.status === 'draft' ? claim : null;
    });
    expect(draft.claim.totals).toEqual({ expenseOre: 45_000, refundOre: 22_500, cappedOffOre: 0, claimedOre: 22_500 });
    // A second sweep finds nothing to do, and the claim was computed by one job.
    expect(await claims.requeueStalled(0)).toBe(0);
    expect(worker.logs.filter((line) => line.msg === 'refund claim computed' && line.claimId === id)).toHaveLength(1);
  });
});
