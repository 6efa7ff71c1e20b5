import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Client } from 'pg';
import { JobQueue } from '../src/common/queue/job-queue';
import { auditActions } from './support/factories';
import { freePort } from './support/processes';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { TEST_PG_URL } from './support/test-env';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/** Races and faults: concurrent approvals, a grant ended under an invoice, the database dropping connections mid-run, Redis away. */

async function seedApproved(t: TestApp, finance: TestUser, suppliers: number, month: string): Promise<SupplierWithGrants[]> {
  const made: SupplierWithGrants[] = [];
  for (let i = 0; i < suppliers; i += 1) {
    const supplier = await supplierWithGrants(t, { g: { minutesPerWeek: 60 } });
    const invoice = await t.http
      .post('/api/v1/invoices')
      .set(bearer(supplier.user.token))
      .send(invoiceBody([{ grantReference: supplier.grants.g.reference, date: `${month}-07`, minutes: 30 }], { invoiceNumber: `R-${randomBytes(4).toString('hex')}` }))
      .expect(201);
    await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    made.push(supplier);
  }
  return made;
}

async function waitForRun(t: TestApp, finance: TestUser, id: string, timeoutMs = 40_000): Promise<{ status: string; suppliersTotal: number; statements: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = (await t.http.get(`/api/v1/billing-runs/${id}`).set(bearer(finance.token)).expect(200)).body;
    if (run.status === 'completed' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`run ${id} did not finish: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (up) return child;
    if (Date.now() > deadline) throw new Error('redis-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('races', () => {
  let t: TestApp;
  let finance: TestUser;
  let finance2: TestUser;
  let caseworker: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    finance = await makeUser(t, 'finance');
    finance2 = await makeUser(t, 'finance');
    caseworker = await makeUser(t, 'caseworker');
  });
  afterAll(() => t.close());

  it('approves an invoice once when two finance users approve it at the same moment', async () => {
    const supplier = await supplierWithGrants(t, { g: { minutesPerWeek: 60 } });
    const invoice = await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody([{ grantReference: supplier.grants.g.reference, date: '2026-10-05', minutes: 60 }])).expect(201);
    const answers = await Promise.all([finance, finance2].map((user) => t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(user.token)).send({})));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const admin = await makeUser(t, 'admin');
    const actions = (await auditActions(t, admin, 'invoice', invoice.body.id)).map((a) => a.action);
    expect(actions.filter((a) => a === 'invoice.approved')).toHaveLength(1);
    const agreement = await t.http.get(`/api/v1/agreements/${supplier.agreementId}`).set(bearer(admin.token)).expect(200);
    expect(agreement.body).toMatchObject({ consumedApprovedOre: 45_000, consumedPendingOre: 0 });
  });

  it('pays nothing after the day a grant ended, when it ends while its invoice waits for approval', async () => {
    const supplier = await supplierWithGrants(t, { g: { minutesPerWeek: 60 } });
    const invoice = await t.http
      .post('/api/v1/invoices')
      .set(bearer(supplier.user.token))
      .send(invoiceBody([
        { grantReference: supplier.grants.g.reference, date: '2026-10-05', minutes: 60 },
        { grantReference: supplier.grants.g.reference, date: '2026-10-20', minutes: 60 },
      ]))
      .expect(201);
    expect(invoice.body.approvableOre).toBe(90_000);
    await t.http.post(`/api/v1/grants/${supplier.grants.g.id}/end`).set(bearer(caseworker.token)).send({ outcome: 'job', endedOn: '2026-10-10' }).expect(200);
    const approved = await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    expect(approved.body).toMatchObject({ status: 'partly_approved', approvedOre: 45_000 });
    expect(approved.body.lines[1].findings.map((f: { code: string }) => f.code)).toEqual(['grant_not_active']);
  });

  it('finishes a billing run once while the database drops every connection midway', async () => {
    const suppliers = await seedApproved(t, finance, 8, '2026-09');
    const admin = new Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    const database = new URL(t.databaseUrl).pathname.slice(1);
    try {
      const started = await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2026-09' }).expect(202);
      // As a restart does: every session of the app's database is ended, again and again for a while.
      const until = Date.now() + 400;
      while (Date.now() < until) {
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      await t.app.get(JobQueue).drain();
      const run = await waitForRun(t, finance, started.body.id);
      expect(run).toMatchObject({ status: 'completed', suppliersTotal: suppliers.length, statements: suppliers.length });
      const [{ n, distinct }] = (await t.dataSource.query(`SELECT count(*)::int AS n, count(DISTINCT supplier_id)::int AS distinct FROM statement WHERE month = '2026-09'`)) as Array<{ n: number; distinct: number }>;
      expect([n, distinct]).toEqual([suppliers.length, suppliers.length]);
    } finally {
      await admin.end();
    }
  });
});

describe('Redis away', () => {
  let port: number;
  let redis: ChildProcess | null = null;
  let t: TestApp;
  let finance: TestUser;

  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}`, QUEUE_LOCK_MS: '1000' } });
    finance = await makeUser(t, 'finance');
  });
  afterAll(async () => {
    await t.close().catch(() => undefined);
    redis?.kill('SIGKILL');
  });

  it('starts and says so on /health, keeps a run queued, and finishes it once Redis is back', async () => {
    const health = await t.http.get('/health').expect(503);
    expect(health.body).toEqual({ status: 'error', database: 'up', redis: 'down' });
    await seedApproved(t, finance, 3, '2026-09');
    const began = Date.now();
    const started = await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2026-09' }).expect(202);
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(started.body.status).toBe('queued');
    redis = await startRedis(port);
    const run = await waitForRun(t, finance, started.body.id);
    expect(run).toMatchObject({ status: 'completed', statements: 3 });
    await t.http.get('/health').expect(200);
  });

  it('finishes a run once when Redis restarts empty in the middle of it', async () => {
    await seedApproved(t, finance, 4, '2026-10');
    const started = await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2026-10' }).expect(202);
    redis?.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));
    redis = await startRedis(port);
    const run = await waitForRun(t, finance, started.body.id);
    expect(run).toMatchObject({ status: 'completed', statements: 4 });
    const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM statement WHERE month = '2026-10'`)) as Array<{ n: number }>;
    expect(n).toBe(4);
  });
});
