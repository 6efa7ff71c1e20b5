/**
 * Refund-claim benchmark: a national month (300,000 approved expenses over 30,000 grants of five target
 * groups and two mentor types) claimed by the real claim computation, beside a bare SQL aggregate over the
 * same rows as the floor; then the same claim end to end, asked for through the service and computed by a
 * worker process (`node dist/src/main.js worker`) on BullMQ.
 *
 *   npm run bench:refund-claim [-- --deliveries 300000 --keep]
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
import { createWorkerContext } from '../src/bootstrap';
import { systemActor } from '../src/common/actor';
import { loadConfig } from '../src/common/config/app-config';
import { RefundClaimsService } from '../src/refunds/refund-claims.service';
import { admin, fastestOf, migrate, REDIS_URL, say, seconds, SERVER_URL, startWorker, withDatabase } from './support';

const FROM = '2026-10-01';
const TO = '2026-10-31';
const PER_GRANT = 10;

interface Options {
  deliveries: number;
  keep: boolean;
}

function parseOptions(argv: string[]): Options {
  const at = argv.indexOf('--deliveries');
  const deliveries = at < 0 ? 300_000 : Number(argv[at + 1]);
  if (!Number.isSafeInteger(deliveries) || deliveries < PER_GRANT) throw new Error(`--deliveries needs a whole number of at least ${PER_GRANT}`);
  return { deliveries, keep: argv.includes('--keep') };
}

/** Suppliers, citizens of five target groups, grants of two mentor types, and an approved October invoice per supplier. */
async function seed(db: Client, options: Options): Promise<void> {
  const grants = Math.ceil(options.deliveries / PER_GRANT);
  const suppliers = Math.min(200, grants);
  await db.query('BEGIN');
  const [{ id: approver }] = (
    await db.query(`INSERT INTO app_user (email, display_name, role, password_hash) VALUES ('bench-finance@bench.invalid', 'Bench finance', 'finance', 'x') RETURNING id`)
  ).rows as Array<{ id: string }>;
  await db.query(
    `INSERT INTO supplier (name, cvr, kind, postal_code, city, vat_registered)
     SELECT 'Mentor ' || i || ' ApS', (10000000 + i)::text, 'mentor_supplier', '1000', 'København', true FROM generate_series(1, $1) i`,
    [suppliers],
  );
  await db.query(
    `INSERT INTO agreement (supplier_id, kind, reference, title, valid_from, valid_to, mentor_types)
     SELECT id, 'framework', 'RA-BENCH-' || cvr, 'Rammeaftale om mentorstøtte', '2026-01-01', '2027-12-31', ARRAY['retention', 'holistic'] FROM supplier`,
  );
  // Inside the frame, outside it and none, so every line kind of the claim is there.
  await db.query(
    `INSERT INTO citizen (cpr_encrypted, cpr_lookup, cpr_masked, name, case_number, target_group)
     SELECT decode(md5(i::text), 'hex'), encode(sha256(('bench-cpr-' || i)::bytea), 'hex'), '010190-XXXX', 'Borger ' || i, 'J-' || i,
            (ARRAY['sickness_benefit', 'activity_ready_cash_benefit', 'resource_course', 'job_ready_cash_benefit', 'unemployment_benefit'])[1 + i % 5]
       FROM generate_series(1, $1) i`,
    [grants],
  );
  await db.query(
    `WITH s AS (SELECT id, row_number() OVER (ORDER BY cvr) AS n FROM supplier)
     INSERT INTO mentor_grant (reference, citizen_id, agreement_id, supplier_id, mentor_type, service_level, minutes_per_week, start_date, end_date,
                               original_end_date, target_group_at_start, goal, tasks, mentor_name, status, active_from)
     SELECT 'MS-2026-' || lpad(c.n::text, 6, '0'), c.id, a.id, s.id, CASE WHEN c.n % 7 = 0 THEN 'holistic' ELSE 'retention' END, 4, 600,
            '2026-08-01', '2027-01-31', '2027-01-31', c.target_group, 'Fastholdelse', 'Samtaler', 'Mentor', 'active', '2026-08-01'
       FROM (SELECT id, target_group, row_number() OVER (ORDER BY case_number) AS n FROM citizen) c
       JOIN s ON s.n = 1 + c.n % $1 JOIN agreement a ON a.supplier_id = s.id`,
    [suppliers],
  );
  await db.query(
    `INSERT INTO invoice (supplier_id, invoice_number, document_type, source, content_hash, issue_date, period_from, period_to, vat_basis_points,
                          net_ore, vat_ore, total_ore, approvable_ore, approved_ore, status, approved_by, approved_at, validated_at)
     SELECT id, 'OKT-2026', 'invoice', 'csv', repeat('0', 64), '2026-11-02', '2026-10-01', '2026-10-31', 2500, 0, 0, 0, 0, 0, 'approved', $1, now(), now() FROM supplier`,
    [approver],
  );
  // Sessions on weekdays of October of 30, 45 or 60 minutes at 450 kr./hour, until the expenses are all there.
  await db.query(
    `INSERT INTO delivery (invoice_id, line_no, supplier_id, grant_id, grant_reference, delivered_on, minutes, contact_form, rate_ore, amount_ore,
                           approvable_ore, approved_ore, status)
     SELECT i.id, row_number() OVER (PARTITION BY g.supplier_id ORDER BY g.reference, d.day), g.supplier_id, g.id, g.reference, d.day, m.minutes, 'in_person',
            45000, 750 * m.minutes, 750 * m.minutes, 750 * m.minutes, 'approved'
       FROM mentor_grant g JOIN invoice i ON i.supplier_id = g.supplier_id
      CROSS JOIN LATERAL (SELECT day::date FROM generate_series('2026-10-01'::date, '2026-10-31'::date, '1 day') day
                           WHERE extract(isodow FROM day) < 6 ORDER BY day LIMIT $1) d
      CROSS JOIN LATERAL (SELECT 30 + 15 * ((hashtext(g.reference || d.day::text) & 65535) % 3) AS minutes) m`,
    [PER_GRANT],
  );
  await db.query(`DELETE FROM delivery WHERE id IN (SELECT id FROM delivery ORDER BY grant_reference DESC, delivered_on DESC OFFSET $1)`, [options.deliveries]);
  // A frame that caps the month's inside-frame refund, so the cap is part of the work.
  await db.query(`INSERT INTO budget_year (year, budget_ore, frame_ore) VALUES (2026, 10000000000, 100000000)`);
  await db.query('COMMIT');
  await db.query('ANALYZE');
}

const EXPENSES = `FROM delivery d JOIN mentor_grant g ON g.id = d.grant_id
  WHERE d.status IN ('approved', 'partly_approved', 'credited') AND d.approved_ore IS NOT NULL AND d.delivered_on BETWEEN '${FROM}' AND '${TO}'`;

/** The floor: the period's approved expenses summed by target group and mentor type, in one bare aggregate. */
function floor(db: Client): Promise<number> {
  return fastestOf(3, () => db.query(`SELECT g.target_group_at_start, g.mentor_type, sum(d.approved_ore), count(*) ${EXPENSES} GROUP BY 1, 2`));
}

async function queuedClaim(db: Client): Promise<string> {
  const { rows } = await db.query(`INSERT INTO refund_claim (period_from, period_to, status) VALUES ($1, $2, 'queued') RETURNING id`, [FROM, TO]);
  return (rows[0] as { id: string }).id;
}

async function claimOf(db: Client, id: string): Promise<{ status: string; expense: number; claimed: number; error: string | null }> {
  const { rows } = await db.query(`SELECT status, expense_ore::bigint AS expense, claimed_ore::bigint AS claimed, error FROM refund_claim WHERE id = $1`, [id]);
  const row = rows[0] as { status: string; expense: string; claimed: string; error: string | null };
  return { status: row.status, expense: Number(row.expense), claimed: Number(row.claimed), error: row.error };
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
  let worker: ChildProcess | null = null;
  try {
    await migrate(databaseUrl);
    await db.connect();
    const started = performance.now();
    await seed(db, options);
    const { rows } = await db.query(`SELECT count(*)::int AS n, sum(approved_ore)::bigint AS ore FROM delivery`);
    const seeded = rows[0] as { n: number; ore: string };
    say(`seeded ${seeded.n} approved expenses (${seeded.ore} øre) in ${FROM} – ${TO} in ${seconds(performance.now() - started)} s`);
    const floorMs = await floor(db);
    say(`floor: the period's expenses summed by target group and mentor type in one bare aggregate: ${floorMs.toFixed(0)} ms`);

    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: databaseUrl, REDIS_URL, LOG_LEVEL: 'error', ...secrets });
    // The api side only: the computation is called directly here, and the worker process takes the queued claim below.
    context = await createWorkerContext({ config, mode: 'api', databaseUrl, embedded: false, queuePrefix: prefix });
    await context.init();
    const claims = context.get(RefundClaimsService);
    let last = '';
    const computeMs = await fastestOf(3, async () => {
      last = await queuedClaim(db);
      await claims.compute(last);
    });
    const computed = await claimOf(db, last);
    if (computed.status !== 'draft' || computed.expense !== Number(seeded.ore)) throw new Error(`the claim is ${JSON.stringify(computed)}, expected a draft of ${seeded.ore} øre`);
    say(
      `claim computed: ${computed.expense} øre of expenses, ${computed.claimed} øre claimed, in ${seconds(computeMs)} s ` +
        `(${Math.round((seeded.n * 1000) / computeMs).toLocaleString('en-US')} expenses/s; ${(computeMs / floorMs).toFixed(1)}× the floor)`,
    );

    worker = await startWorker(databaseUrl, prefix, secrets);
    // The first claim warms the worker up (connections, rule sets); the second is timed.
    let endToEndMs = 0;
    for (const timed of [false, true]) {
      const asked = performance.now();
      const { id } = await claims.request(FROM, TO, systemActor('bench'));
      for (;;) {
        const claim = await claimOf(db, id);
        if (claim.status === 'draft') break;
        if (claim.status === 'failed') throw new Error(`the claim failed: ${claim.error}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      if (timed) endToEndMs = performance.now() - asked;
    }
    say(`claim asked for and computed by a worker process on BullMQ: ${seconds(endToEndMs)} s (${(endToEndMs / floorMs).toFixed(1)}× the floor)`);
  } finally {
    worker?.kill('SIGTERM');
    await context?.close();
    await db.end().catch(() => undefined);
    if (!options.keep) await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
