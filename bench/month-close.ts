/**
 * Month-close benchmark: a national-scale month (200 suppliers, 30,000 grants, 300,000 approved
 * deliveries) billed by the real billing run on BullMQ, with one and then two worker processes
 * (`node dist/src/main.js worker`), beside a bare SQL aggregate over the same rows as the floor; then the
 * month made final on its own (numbers, every statement's lines and PDF/A, each delivery marked paid).
 * One line per figure, each with its ratio to the floor; last, the ceiling ledger check on the bench data.
 *
 *   npm run bench:month-close [-- --suppliers 200 --grants 30000 --deliveries 300000 --workers 1,2 --keep --drafts-only]
 *
 * QUEUE_CONCURRENCY (default 2) is handed to the workers: jobs one worker runs at a time.
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and BENCH_REDIS_URL (default
 * redis://127.0.0.1:6379) name the servers; the bench makes its own database `mentor_bench_<random>`
 * and a random queue prefix, and drops the database at the end.
 */
import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Logger } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { BillingRunsService } from '../src/billing/billing-runs.service';
import { createWorkerContext } from '../src/bootstrap';
import { systemActor } from '../src/common/actor';
import { loadConfig } from '../src/common/config/app-config';
import { CeilingLedgerCheckService } from '../src/invoices/ceiling-ledger-check.service';
import { admin, fastestOf, migrate, REDIS_URL, say, seconds, SERVER_URL, startWorker, withDatabase } from './support';

const MONTH = '2026-10';

interface Options {
  suppliers: number;
  grants: number;
  deliveries: number;
  workers: number[];
  keep: boolean;
  /** Measures the draft runs only, not the finalisation. */
  draftsOnly: boolean;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string): string | undefined => {
    const at = argv.indexOf(`--${name}`);
    return at < 0 ? undefined : argv[at + 1];
  };
  const number = (name: string, fallback: number): number => {
    const text = value(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} needs a whole number above 0`);
    return n;
  };
  const workers = (value('workers') ?? '1,2').split(',').map(Number);
  if (workers.some((n) => !Number.isSafeInteger(n) || n < 1)) throw new Error('--workers takes a list like 1,2');
  return { suppliers: number('suppliers', 200), grants: number('grants', 30_000), deliveries: number('deliveries', 300_000), workers, keep: argv.includes('--keep'), draftsOnly: argv.includes('--drafts-only') };
}

/** Suppliers with framework agreements, citizens, grants running through October, and approved October invoices. */
async function seed(db: Client, options: Options): Promise<void> {
  const perGrant = Math.ceil(options.deliveries / options.grants);
  if (perGrant > 26) throw new Error('at most 26 deliveries a grant fit in the month (one a weekday)');
  await db.query('BEGIN');
  const [{ id: approver }] = (
    await db.query(`INSERT INTO app_user (email, display_name, role, password_hash) VALUES ('bench-finance@bench.invalid', 'Bench finance', 'finance', 'x') RETURNING id`)
  ).rows as Array<{ id: string }>;
  await db.query(
    `INSERT INTO supplier (name, cvr, kind, postal_code, city, vat_registered)
     SELECT 'Mentor ' || i || ' ApS', (10000000 + i)::text, 'mentor_supplier', '1000', 'København', true FROM generate_series(1, $1) i`,
    [options.suppliers],
  );
  await db.query(
    `INSERT INTO agreement (supplier_id, kind, reference, title, valid_from, valid_to, mentor_types)
     SELECT id, 'framework', 'RA-BENCH-' || cvr, 'Rammeaftale om mentorstøtte', '2026-01-01', '2027-12-31', ARRAY['retention', 'holistic'] FROM supplier`,
  );
  await db.query(
    `INSERT INTO citizen (cpr_encrypted, cpr_lookup, cpr_masked, name, case_number, target_group)
     SELECT decode(md5(i::text), 'hex'), encode(sha256(('bench-cpr-' || i)::bytea), 'hex'), '010190-XXXX', 'Borger ' || i, 'J-' || i,
            (ARRAY['sickness_benefit', 'activity_ready_cash_benefit', 'resource_course', 'job_ready_cash_benefit', 'unemployment_benefit'])[1 + i % 5]
       FROM generate_series(1, $1) i`,
    [options.grants],
  );
  await db.query(
    `WITH s AS (SELECT id, row_number() OVER (ORDER BY cvr) AS n FROM supplier)
     INSERT INTO mentor_grant (reference, citizen_id, agreement_id, supplier_id, mentor_type, service_level, minutes_per_week, start_date, end_date,
                               original_end_date, target_group_at_start, goal, tasks, mentor_name, status, active_from)
     SELECT 'MS-2026-' || lpad(c.n::text, 6, '0'), c.id, a.id, s.id, CASE WHEN c.n % 10 = 0 THEN 'holistic' ELSE 'retention' END, 4, 600,
            '2026-08-01', '2027-01-31', '2027-01-31', c.target_group, 'Fastholdelse', 'Samtaler', 'Mentor', 'active', '2026-08-01'
       FROM (SELECT id, target_group, row_number() OVER (ORDER BY case_number) AS n FROM citizen) c
       JOIN s ON s.n = 1 + c.n % $1 JOIN agreement a ON a.supplier_id = s.id`,
    [options.suppliers],
  );
  await db.query(
    `INSERT INTO invoice (supplier_id, invoice_number, document_type, source, content_hash, issue_date, period_from, period_to, vat_basis_points,
                          net_ore, vat_ore, total_ore, approvable_ore, approved_ore, status, approved_by, approved_at, validated_at)
     SELECT id, 'OKT-2026', 'invoice', 'csv', repeat('0', 64), '2026-11-02', '2026-10-01', '2026-10-31', 2500, 0, 0, 0, 0, 0, 'approved', $1, now(), now() FROM supplier`,
    [approver],
  );
  // One session a weekday of October per grant, 60 minutes at 450 kr./hour, until the deliveries are all there.
  await db.query(
    `INSERT INTO delivery (invoice_id, line_no, supplier_id, grant_id, grant_reference, delivered_on, minutes, contact_form, rate_ore, amount_ore,
                           approvable_ore, approved_ore, status)
     SELECT i.id, row_number() OVER (PARTITION BY g.supplier_id ORDER BY g.reference, d.day), g.supplier_id, g.id, g.reference, d.day, 60, 'in_person',
            45000, 45000, 45000, 45000, 'approved'
       FROM mentor_grant g JOIN invoice i ON i.supplier_id = g.supplier_id
      CROSS JOIN LATERAL (SELECT day::date FROM generate_series('2026-10-01'::date, '2026-10-31'::date, '1 day') day
                           WHERE extract(isodow FROM day) < 6 ORDER BY day LIMIT $1) d
`,
    [perGrant],
  );
  // Trim to exactly the number asked for.
  await db.query(`DELETE FROM delivery WHERE id IN (SELECT id FROM delivery ORDER BY grant_reference DESC, delivered_on DESC OFFSET $1)`, [options.deliveries]);
  await db.query(
    `UPDATE invoice i SET net_ore = t.net, vat_ore = t.net / 4, total_ore = t.net + t.net / 4, approvable_ore = t.net, approved_ore = t.net
       FROM (SELECT invoice_id, sum(amount_ore) AS net FROM delivery GROUP BY invoice_id) t WHERE t.invoice_id = i.id`,
  );
  // The ceiling ledger as intake and approval write it: each invoice's amount pending when submitted, then approved.
  await db.query(
    `INSERT INTO ceiling_ledger_entry (agreement_id, kind, invoice_id, pending_delta_ore, approved_delta_ore)
     SELECT a.id, k.kind, i.id, CASE k.kind WHEN 'submitted' THEN i.approved_ore ELSE -i.approved_ore END, CASE k.kind WHEN 'approved' THEN i.approved_ore ELSE 0 END
       FROM invoice i JOIN agreement a ON a.supplier_id = i.supplier_id CROSS JOIN (VALUES ('submitted'), ('approved')) AS k(kind)
      WHERE i.approved_ore > 0`,
  );
  await db.query('COMMIT');
  await db.query('ANALYZE');
}

/** The floor: the month's approved amounts and minutes per supplier and grant, in one aggregate. */
function floor(db: Client): Promise<number> {
  return fastestOf(3, () =>
    db.query(
      `SELECT supplier_id, grant_reference, sum(approved_ore), sum(minutes), count(*) FROM delivery
        WHERE status IN ('approved', 'partly_approved') AND delivered_on BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY 1, 2`,
    ),
  );
}


async function runMonth(context: INestApplicationContext, db: Client, kind: 'build' | 'finalise' = 'build'): Promise<{ ms: number; statements: number }> {
  const runs = context.get(BillingRunsService);
  const started = performance.now();
  const { run } = await runs.start(MONTH, kind, systemActor('bench'));

  for (;;) {
    const { rows } = await db.query(`SELECT status FROM billing_run WHERE id = $1`, [run.id]);
    const status = (rows[0] as { status: string }).status;
    if (status === 'completed') break;
    if (status === 'failed') throw new Error('the billing run failed');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const ms = performance.now() - started;
  const { rows } = await db.query(`SELECT count(*)::int AS n, count(DISTINCT supplier_id)::int AS suppliers FROM statement WHERE month = $1 AND status = $2`, [MONTH, kind === 'build' ? 'draft' : 'final']);
  const { n, suppliers } = rows[0] as { n: number; suppliers: number };
  if (n !== suppliers) throw new Error(`${n} statements for ${suppliers} suppliers`);
  return { ms, statements: n };
}

/** The ceiling ledger check (`cli.js check-ledger`) on the bench data: every agreement's ledger equals its deliveries. */
async function checkLedger(context: INestApplicationContext): Promise<void> {
  const started = performance.now();
  const differences = await context.get(CeilingLedgerCheckService).check();
  if (differences.length > 0) throw new Error(`the ceiling ledger differs from the deliveries for ${differences.length} agreement(s)`);
  say(`ceiling ledger check: every agreement's ledger equals its deliveries (${seconds(performance.now() - started)} s)`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  Logger.overrideLogger(['error']);
  const name = `mentor_bench_${randomBytes(5).toString('hex')}`;
  const databaseUrl = withDatabase(SERVER_URL, name);
  const prefix = `mbench:${randomBytes(4).toString('hex')}`;
  const secrets = { SESSION_SECRET: randomBytes(32).toString('hex'), CPR_ENCRYPTION_KEY: randomBytes(32).toString('hex') };
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  say(`database ${name}; node ${process.version}; ${availableParallelism()} cores`);
  const db = new Client({ connectionString: databaseUrl });
  let context: INestApplicationContext | null = null;
  const workers: ChildProcess[] = [];
  try {
    await migrate(databaseUrl);
    await db.connect();
    const started = performance.now();
    await seed(db, options);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM delivery`);
    say(`seeded ${options.suppliers} suppliers, ${options.grants} grants, ${(rows[0] as { n: number }).n} approved deliveries in ${MONTH} in ${seconds(performance.now() - started)} s`);
    const floorMs = await floor(db);
    say(`floor: the aggregate per supplier and grant over the month's deliveries: ${floorMs.toFixed(0)} ms`);

    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: databaseUrl, REDIS_URL, LOG_LEVEL: 'error', ...secrets });
    // The api side only: starts runs; the worker processes do the work.
    context = await createWorkerContext({ config, mode: 'api', databaseUrl, embedded: false, queuePrefix: prefix });
    await context.init();
    for (const count of options.workers) {
      while (workers.length < count) workers.push(await startWorker(databaseUrl, prefix, secrets));
      // Each measurement starts from the same state: no statements, no runs.
      await db.query(`DELETE FROM statement`);
      await db.query(`DELETE FROM billing_run`);
      await db.query('VACUUM ANALYZE delivery');
      const result = await runMonth(context, db);
      say(
        `billing run with ${count} worker${count > 1 ? 's' : ''}: ${result.statements} draft statements in ${seconds(result.ms)} s ` +
          `(${Math.round((options.deliveries * 1000) / result.ms).toLocaleString('en-US')} deliveries/s; ${(result.ms / floorMs).toFixed(1)}× the floor)`,
      );
    }
    if (options.draftsOnly) {
      await checkLedger(context);
      return;
    }
    // Finalisation on its own, with the workers of the last run: numbers, lines and a PDF/A per statement, every delivery marked paid once.
    const final = await runMonth(context, db, 'finalise');
    const { rows: check } = await db.query(
      `SELECT (SELECT count(*)::int FROM statement WHERE month = $1 AND status = 'final' AND pdf IS NOT NULL) AS finals,
              (SELECT count(*)::int FROM delivery WHERE billed_by_statement_id IS NOT NULL) AS paid`,
      [MONTH],
    );
    const { finals, paid } = check[0] as { finals: number; paid: number };
    if (finals !== final.statements || paid !== options.deliveries) throw new Error(`finalised ${finals} statements with their PDF paying ${paid} deliveries`);
    // The pages drawn: each page object of each stored PDF (pdfkit writes its objects uncompressed).
    let pages = 0;
    for (let offset = 0; offset < finals; offset += 20) {
      const { rows: pdfs } = await db.query(`SELECT pdf FROM statement WHERE month = $1 ORDER BY id LIMIT 20 OFFSET $2`, [MONTH, offset]);
      for (const { pdf } of pdfs as Array<{ pdf: Buffer }>) pages += pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
    }
    say(
      `finalisation with ${workers.length} worker${workers.length > 1 ? 's' : ''}: ${finals} statements numbered, rendered and stored in ${seconds(final.ms)} s ` +
        `(${(final.ms / finals).toFixed(0)} ms a statement; ${pages.toLocaleString('en-US')} PDF/A pages, ${((pages * 1000) / final.ms).toFixed(0)} pages/s; ${(final.ms / floorMs).toFixed(1)}× the floor)`,
    );
    await checkLedger(context);
  } finally {
    for (const worker of workers) worker.kill('SIGTERM');
    await context?.close();
    await db.end().catch(() => undefined);
    if (!options.keep) await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
