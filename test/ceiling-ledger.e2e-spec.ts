import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../migrations';
import { CeilingLedgerCheckService } from '../src/invoices/ceiling-ledger-check.service';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { ensureBuilt } from './support/processes';
import { bearer, makeUser, startTestApp, validCvr, type TestApp, type TestUser } from './support/test-app';
import { TEMPLATE_ENV, TEST_PG_URL, withDatabase } from './support/test-env';

const ROOT = join(__dirname, '..');

/** Runs `node dist/src/cli.js check-ledger` against the test app's database; its exit code and what it printed. */
function checkLedgerCli(t: TestApp): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist', 'src', 'cli.js'), 'check-ledger'],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          DATABASE_URL: t.databaseUrl,
          SESSION_SECRET: t.config.sessionSecret,
          CPR_ENCRYPTION_KEY: t.config.cprEncryptionKey.toString('hex'),
          LOG_LEVEL: 'warn',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

describe('ceiling ledger', () => {
  let t: TestApp;
  let finance: TestUser;
  let admin: TestUser;
  let mentor: SupplierWithGrants;
  let company: SupplierWithGrants;
  const ids: Record<string, string> = {};

  const submit = (user: TestUser, body: unknown) => t.http.post('/api/v1/invoices').set(bearer(user.token)).send(body as object);
  const approve = (id: string) => t.http.post(`/api/v1/invoices/${id}/approve`).set(bearer(finance.token)).send({});
  const use = async (agreementId: string) => {
    const { body } = await t.http.get(`/api/v1/agreements/${agreementId}`).set(bearer(admin.token)).expect(200);
    return { pending: body.consumedPendingOre as number, approved: body.consumedApprovedOre as number };
  };
  const reference = async (agreementId: string) => ((await t.dataSource.query(`SELECT reference FROM agreement WHERE id = $1`, [agreementId])) as Array<{ reference: string }>)[0].reference;

  beforeAll(async () => {
    ensureBuilt();
    t = await startTestApp({ redis: false });
    finance = await makeUser(t, 'finance');
    admin = await makeUser(t, 'admin');
    mentor = await supplierWithGrants(t, { a: { minutesPerWeek: 60 }, b: { minutesPerWeek: 60 }, c: { minutesPerWeek: 60 } }, { ceilingOre: 10_000_000 });
    company = await supplierWithGrants(t, { p: { minutesPerWeek: 60, mentorType: 'company' } }, { kind: 'partner_company', rateOre: 25_000 });
  }, 180_000);
  afterAll(() => t.close());

  it('keeps the balances equal to the deliveries through submit, partial approval, rejection, a credit note and self-billing', async () => {
    // 450 kr./hour: a's second session passes its week's 60 minutes and is not approvable.
    const first = await submit(mentor.user, invoiceBody([
      { grantReference: mentor.grants.a.reference, date: '2026-10-05', minutes: 60 },
      { grantReference: mentor.grants.a.reference, date: '2026-10-07', minutes: 30 },
      { grantReference: mentor.grants.b.reference, date: '2026-10-06', minutes: 60 },
    ])).expect(201);
    expect(first.body.approvableOre).toBe(90_000);
    expect(await use(mentor.agreementId)).toEqual({ pending: 90_000, approved: 0 });
    expect((await approve(first.body.id).expect(200)).body).toMatchObject({ status: 'partly_approved', approvedOre: 90_000 });
    expect(await use(mentor.agreementId)).toEqual({ pending: 0, approved: 90_000 });

    const rejected = await submit(mentor.user, invoiceBody([{ grantReference: mentor.grants.b.reference, date: '2026-10-12', minutes: 60 }])).expect(201);
    await t.http.post(`/api/v1/invoices/${rejected.body.id}/reject`).set(bearer(finance.token)).send({ reason: 'Sessionen er ikke dokumenteret' }).expect(200);
    expect(await use(mentor.agreementId)).toEqual({ pending: 0, approved: 90_000 });

    const waiting = await submit(mentor.user, invoiceBody([{ grantReference: mentor.grants.c.reference, date: '2026-10-19', minutes: 45 }])).expect(201);
    expect(waiting.body.approvableOre).toBe(33_750);

    const credit = await submit(mentor.user, invoiceBody([{ grantReference: mentor.grants.a.reference, date: '2026-10-05', minutes: 60 }], { documentType: 'credit_note', creditsInvoiceNumbers: [first.body.invoiceNumber] })).expect(201);
    expect(await use(mentor.agreementId)).toEqual({ pending: 33_750, approved: 90_000 });
    expect((await approve(credit.body.id).expect(200)).body).toMatchObject({ status: 'approved', approvedOre: -45_000 });
    expect(await use(mentor.agreementId)).toEqual({ pending: 33_750, approved: 45_000 });

    // Self-billing at 250 kr./hour: October approved (18,750 + 6,250 of the second session), September waiting.
    const register = (date: string, minutes: number) => t.http.post('/api/v1/hour-registrations').set(bearer(company.user.token)).send({ grantId: company.grants.p.id, date, minutes, contactForm: 'in_person' }).expect(201);
    await register('2026-10-05', 45);
    await register('2026-10-07', 30);
    expect(await use(company.agreementId)).toEqual({ pending: 0, approved: 0 });
    const october = await t.http.post('/api/v1/hour-registrations/2026-10/submit').set(bearer(company.user.token)).expect(200);
    expect(await use(company.agreementId)).toEqual({ pending: 25_000, approved: 0 });
    expect((await approve(october.body.id).expect(200)).body).toMatchObject({ approvedOre: 25_000 });
    await register('2026-09-14', 60);
    const september = await t.http.post('/api/v1/hour-registrations/2026-09/submit').set(bearer(company.user.token)).expect(200);
    expect(await use(company.agreementId)).toEqual({ pending: 25_000, approved: 25_000 });

    const entries = (await t.dataSource.query(
      `SELECT kind, invoice_id AS "invoiceId", pending_delta_ore::int AS pending, approved_delta_ore::int AS approved FROM ceiling_ledger_entry WHERE agreement_id = $1 ORDER BY id`,
      [mentor.agreementId],
    )) as Array<{ kind: string; invoiceId: string; pending: number; approved: number }>;
    expect(entries).toEqual([
      { kind: 'submitted', invoiceId: first.body.id, pending: 90_000, approved: 0 },
      { kind: 'approved', invoiceId: first.body.id, pending: -90_000, approved: 90_000 },
      { kind: 'submitted', invoiceId: rejected.body.id, pending: 45_000, approved: 0 },
      { kind: 'rejected', invoiceId: rejected.body.id, pending: -45_000, approved: 0 },
      { kind: 'submitted', invoiceId: waiting.body.id, pending: 33_750, approved: 0 },
      { kind: 'credited', invoiceId: credit.body.id, pending: 0, approved: -45_000 },
    ]);
    Object.assign(ids, { first: first.body.id, september: september.body.id });

    expect(await t.app.get(CeilingLedgerCheckService).check()).toEqual([]);
    const cli = await checkLedgerCli(t);
    expect(cli).toMatchObject({ code: 0 });
    expect(cli.stdout).toContain('ceiling ledger: every agreement equals its deliveries\n');
  });

  it('is append-only: the database refuses to change or remove an entry, and a step of an invoice is booked once', async () => {
    await expect(t.dataSource.query(`UPDATE ceiling_ledger_entry SET approved_delta_ore = 0 WHERE agreement_id = $1`, [mentor.agreementId])).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`DELETE FROM ceiling_ledger_entry WHERE agreement_id = $1`, [mentor.agreementId])).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`TRUNCATE ceiling_ledger_entry`)).rejects.toThrow(/append-only/);
    await expect(
      t.dataSource.query(`INSERT INTO ceiling_ledger_entry (agreement_id, kind, invoice_id, pending_delta_ore, approved_delta_ore) VALUES ($1, 'approved', $2, 0, 1)`, [mentor.agreementId, ids.first]),
    ).rejects.toThrow(/ceiling_ledger_entry_step_key/);
    await expect(
      t.dataSource.query(`INSERT INTO ceiling_ledger_entry (agreement_id, kind, invoice_id, pending_delta_ore, approved_delta_ore) VALUES ($1, 'credited', gen_random_uuid(), 0, 5)`, [mentor.agreementId]),
    ).rejects.toThrow(/check constraint/);
    expect(await use(mentor.agreementId)).toEqual({ pending: 33_750, approved: 45_000 });
  });

  it('reports each agreement whose deliveries were changed behind its ledger, with the exact difference, and the CLI exits 1', async () => {
    await t.dataSource.query(`UPDATE delivery SET approved_ore = approved_ore - 1234 WHERE invoice_id = $1 AND grant_reference = $2`, [ids.first, mentor.grants.b.reference]);
    await t.dataSource.query(`UPDATE delivery SET approvable_ore = approvable_ore + 500 WHERE invoice_id = $1`, [ids.september]);
    const expected = [
      { agreementId: mentor.agreementId, reference: await reference(mentor.agreementId), ledger: { pendingOre: 33_750, approvedOre: 45_000 }, deliveries: { pendingOre: 33_750, approvedOre: 43_766 }, pendingDifferenceOre: 0, approvedDifferenceOre: 1_234 },
      { agreementId: company.agreementId, reference: await reference(company.agreementId), ledger: { pendingOre: 25_000, approvedOre: 25_000 }, deliveries: { pendingOre: 25_500, approvedOre: 25_000 }, pendingDifferenceOre: -500, approvedDifferenceOre: 0 },
    ].sort((x, y) => x.agreementId.localeCompare(y.agreementId));
    expect(await t.app.get(CeilingLedgerCheckService).check()).toEqual(expected);
    // The balances stay what the ledger says: nothing is clamped or recomputed from the deliveries.
    expect(await use(mentor.agreementId)).toEqual({ pending: 33_750, approved: 45_000 });

    const cli = await checkLedgerCli(t);
    expect(cli.code).toBe(1);
    const lines = cli.stdout.split('\n').filter((line) => line.startsWith('ceiling ledger:') || line.startsWith('agreement '));
    expect(lines).toEqual([
      'ceiling ledger: 2 agreement(s) differ from their deliveries (ledger minus deliveries)',
      ...expected.map((d) =>
        d.agreementId === mentor.agreementId
          ? `agreement ${d.reference} (${d.agreementId}): pending ledger 33750 øre, deliveries 33750 øre, difference 0 øre; approved ledger 45000 øre, deliveries 43766 øre, difference 1234 øre`
          : `agreement ${d.reference} (${d.agreementId}): pending ledger 25000 øre, deliveries 25500 øre, difference -500 øre; approved ledger 25000 øre, deliveries 25000 øre, difference 0 øre`,
      ),
    ]);
  });
});

describe('ceiling ledger migration', () => {
  it('carries the counters of a database from before the ledger over as one opening entry per agreement, and drops them', async () => {
    const name = `${process.env[TEMPLATE_ENV]}_${randomBytes(5).toString('hex')}`;
    const admin = new Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = withDatabase(TEST_PG_URL, name);
    const ledgerAt = migrations.findIndex((m) => m.name === 'CeilingLedger1763889100000');
    try {
      const before = new DataSource({ type: 'postgres', url, migrations: migrations.slice(0, ledgerAt) });
      await before.initialize();
      await before.runMigrations({ transaction: 'each' });
      const [supplier] = (await before.query(`INSERT INTO supplier (name, cvr, kind) VALUES ('Mentor ApS', $1, 'mentor_supplier') RETURNING id`, [validCvr()])) as Array<{ id: string }>;
      const agreement = async (reference: string, approved: number, pending: number) =>
        ((await before.query(
          `INSERT INTO agreement (supplier_id, kind, reference, title, valid_from, valid_to, mentor_types, ceiling_ore, consumed_approved_ore, consumed_pending_ore)
           VALUES ($1, 'framework', $2, 'Rammeaftale', '2026-01-01', '2027-12-31', '{retention}', 10000000, $3, $4) RETURNING id`,
          [supplier.id, reference, approved, pending],
        )) as Array<{ id: string }>)[0].id;
      const used = await agreement('RA-USED', 600_000, 250_000);
      const unused = await agreement('RA-UNUSED', 0, 0);
      const pendingOnly = await agreement('RA-PENDING', 0, 1_234);
      await before.destroy();

      // Up to the ledger: later migrations are not this test's.
      const after = new DataSource({ type: 'postgres', url, migrations: migrations.slice(0, ledgerAt + 1) });
      await after.initialize();
      expect((await after.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['CeilingLedger1763889100000']);
      const entries = (await after.query(
        `SELECT agreement_id AS "agreementId", kind, invoice_id AS "invoiceId", pending_delta_ore::int AS pending, approved_delta_ore::int AS approved FROM ceiling_ledger_entry ORDER BY pending_delta_ore`,
      )) as unknown[];
      expect(entries).toEqual([
        { agreementId: pendingOnly, kind: 'opening', invoiceId: null, pending: 1_234, approved: 0 },
        { agreementId: used, kind: 'opening', invoiceId: null, pending: 250_000, approved: 600_000 },
      ]);
      expect(entries).not.toContainEqual(expect.objectContaining({ agreementId: unused }));
      expect(await after.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'agreement' AND column_name LIKE 'consumed%'`)).toEqual([]);

      // Down puts the sums back into the counters.
      await after.undoLastMigration({ transaction: 'each' });
      expect(await after.query(`SELECT reference, consumed_approved_ore::int AS approved, consumed_pending_ore::int AS pending FROM agreement ORDER BY reference`)).toEqual([
        { reference: 'RA-PENDING', approved: 0, pending: 1_234 },
        { reference: 'RA-UNUSED', approved: 0, pending: 0 },
        { reference: 'RA-USED', approved: 600_000, pending: 250_000 },
      ]);
      await after.destroy();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
