import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { invoiceBody, supplierWithGrants } from './support/invoice-fixtures';
import request from 'supertest';
import { ensureBuilt, freePort, startApi, startWorker, type WorkerProcess } from './support/processes';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * Billing runs on BullMQ with worker processes (`node dist/src/main.js worker`) on one Redis and one
 * PostgreSQL: two workers share a month without billing a supplier twice, and a worker killed midway
 * leaves a run another worker finishes once.
 */
describe('billing runs across worker processes', () => {
  const SUPPLIERS = 24; // three batch jobs of ten
  let t: TestApp;
  let finance: TestUser;
  const workers: WorkerProcess[] = [];

  const startRun = async (month: string): Promise<string> => (await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month }).expect(202)).body.id as string;
  const runState = async (id: string) => (await t.http.get(`/api/v1/billing-runs/${id}`).set(bearer(finance.token)).expect(200)).body as { status: string; suppliersDone: number; suppliersTotal: number; statements: number };
  const waitFor = async (id: string, predicate: (run: Awaited<ReturnType<typeof runState>>) => boolean, timeoutMs = 45_000, pollMs = 100) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await runState(id);
      if (predicate(run)) return run;
      if (Date.now() > deadline) throw new Error(`run ${id} did not get there: ${JSON.stringify(run)}`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
  const statementsOf = async (month: string) =>
    (await t.dataSource.query(`SELECT supplier_id, id, net_ore::int AS net FROM statement WHERE month = $1 ORDER BY supplier_id`, [month])) as Array<{ supplier_id: string; id: string; net: number }>;

  beforeAll(async () => {
    ensureBuilt();
    t = await startTestApp({ mode: 'api' });
    finance = await makeUser(t, 'finance');
    // Each supplier: one approved session in September and one in October of 30 minutes at 450 kr./hour.
    for (let i = 0; i < SUPPLIERS; i += 1) {
      const supplier = await supplierWithGrants(t, { g: { minutesPerWeek: 60 } });
      const invoice = await t.http
        .post('/api/v1/invoices')
        .set(bearer(supplier.user.token))
        .send(invoiceBody([
          { grantReference: supplier.grants.g.reference, date: '2026-09-07', minutes: 30 },
          { grantReference: supplier.grants.g.reference, date: '2026-10-05', minutes: 30 },
        ], { invoiceNumber: `W-${randomBytes(4).toString('hex')}` }))
        .expect(201);
      await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
    await t.close();
  });

  it('bills every supplier of a month exactly once with the api and two workers as separate processes on one Redis', async () => {
    const port = await freePort();
    const api = await startApi(t, port);
    const a = await startWorker(t);
    const b = await startWorker(t);
    workers.push(api, a, b);
    const http = request(`http://127.0.0.1:${port}`);
    await http.get('/health').expect(200);
    const id = (await http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2026-09' }).expect(202)).body.id as string;
    const run = await waitFor(id, (r) => r.status === 'completed');
    expect(run).toMatchObject({ suppliersTotal: SUPPLIERS, suppliersDone: SUPPLIERS, statements: SUPPLIERS });
    const statements = await statementsOf('2026-09');
    expect(statements).toHaveLength(SUPPLIERS);
    expect(new Set(statements.map((s) => s.supplier_id)).size).toBe(SUPPLIERS);
    expect(statements.every((s) => s.net === 22_500)).toBe(true);
    const batchesDone = [a, b].map((worker) => worker.logs.filter((line) => line.msg === 'billing batch done').length);
    expect(batchesDone[0] + batchesDone[1]).toBe(3);
    // Each delivery sits on exactly one statement: the drafts' lines, as each covers them, are the month's deliveries once each.
    const lines = [];
    for (const statement of statements) {
      const detail = await http.get(`/api/v1/statements/${statement.id}`).set(bearer(finance.token)).expect(200);
      lines.push(...(detail.body.content.groups as Array<{ lines: Array<{ deliveryId: string; date: string }> }>).flatMap((group) => group.lines));
    }
    expect(lines.every((line) => line.date.startsWith('2026-09'))).toBe(true);
    expect(new Set(lines.map((line) => line.deliveryId)).size).toBe(lines.length);
    expect(lines).toHaveLength(SUPPLIERS);
    await Promise.all([api.stop(), a.stop(), b.stop()]);
  });

  it('resumes a run whose worker was killed midway, and finishes it once', async () => {
    const lockMs = '2000';
    // The suppliers of the second and third batch (batches are of the suppliers in order) are held by the lock a
    // batch takes on each supplier-month, so the worker finishes the first batch and then waits, midway, to be killed.
    const suppliers = ((await t.dataSource.query(`SELECT id::text AS id FROM supplier ORDER BY id`)) as Array<{ id: string }>).map((row) => row.id);
    expect(suppliers).toHaveLength(SUPPLIERS);
    const holder = new Client({ connectionString: t.databaseUrl });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT count(pg_advisory_xact_lock(hashtext('billing:' || s || ':2026-10'))) FROM unnest($1::text[]) AS s`, [suppliers.slice(10)]);
    const doomed = await startWorker(t, { QUEUE_LOCK_MS: lockMs });
    workers.push(doomed);
    const id = await startRun('2026-10');
    const partial = await waitFor(id, (r) => r.suppliersDone >= 1, 30_000, 20);
    doomed.process.kill('SIGKILL');
    await doomed.stop('SIGKILL');
    await holder.query('COMMIT');
    await holder.end();
    const before = await statementsOf('2026-10');
    expect(partial.suppliersDone).toBe(10);
    expect(before.map((s) => s.supplier_id)).toEqual(suppliers.slice(0, 10));

    const rescuer = await startWorker(t, { QUEUE_LOCK_MS: lockMs });
    workers.push(rescuer);
    const run = await waitFor(id, (r) => r.status === 'completed');
    expect(run).toMatchObject({ suppliersTotal: SUPPLIERS, suppliersDone: SUPPLIERS, statements: SUPPLIERS });
    const after = await statementsOf('2026-10');
    expect(after).toHaveLength(SUPPLIERS);
    // What the killed worker finished stays as it was: the same statements, not rebuilt.
    const afterIds = new Set(after.map((s) => s.id));
    expect(before.every((s) => afterIds.has(s.id))).toBe(true);
    expect(after.every((s) => s.net === 22_500)).toBe(true);
    await rescuer.stop();
  });
});
