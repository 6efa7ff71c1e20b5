/**
 * API benchmark: the reads finance and suppliers make all day, and invoice submission, against a national-scale
 * database (200 suppliers, 100,000 grants, 1,000,000 invoiced sessions over two years), through the real HTTP
 * path: the app listening on loopback (jobs in-process), the load from a second process (bench/load-generator.ts,
 * autocannon at a fixed overall rate), each caller signed in through POST /api/v1/auth/login.
 *
 *   npm run build && node dist/bench/api.js [--seconds 20] [--warmup 3] [--rate 200] [--connections 10] [--write-rate 25]
 *     [--suppliers 200] [--grants 100000] [--deliveries 1000000] [--only grants,invoice] [--json out.json] [--keep]
 *     [--before-indexes]
 *
 * A fresh database `mentor_bench_<random>` is created on BENCH_DATABASE_URL's server (default
 * postgres://postgres@127.0.0.1:5432/postgres), migrated, seeded with set-based SQL, vacuumed and dropped at the
 * end unless --keep. Invoices of 30 lines each: every supplier about 7 a month for 24 months; the last two months
 * wait for finance (validated, sessions pending), the month before is approved, older months billed on final
 * statements. A quarter of the invoices have error lines, a third warnings about minimum contact.
 *
 * --before-indexes measures the schema as it was before migration 1763888400000 (its `down` run after seeding):
 * the same command gives the figures before and after the indexes the busiest lists read through.
 *
 * Each read runs --seconds at --rate requests/s (after --warmup seconds not counted); submission runs at
 * --write-rate with 10-line JSON invoices, each with its own invoice number. autocannon paces a rate per connection
 * and second: each connection sends its share back to back from the start of every second, so each second opens
 * with a burst of --connections requests in flight; latencies include that queueing. For each: requests/s achieved,
 * p50/p95/p99 latency of every response, and the answers that were not 2xx. Target: p95 ≤ 50 ms for reads.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { Indexes1763888400000 } from '../migrations/1763888400000-indexes';
import { createHttpApp } from '../src/bootstrap';
import { DueTaskOrder } from '../src/grants/due-task-order.service';
import { systemActor } from '../src/common/actor';
import { loadConfig } from '../src/common/config/app-config';
import { JobQueue } from '../src/common/queue/job-queue';
import { addDays, mondayOf, todayInCopenhagen } from '../src/common/time/calendar-date';
import { UsersService } from '../src/identity/users.service';
import { lineAmountOre } from '../src/invoices/invoice-amounts';
import type { LoadRequest, LoadResult, LoadSpec } from './load-generator';
import { admin, migrate, say, SERVER_URL, signIn, withDatabase } from './support';

interface Options {
  suppliers: number;
  grants: number;
  deliveries: number;
  seconds: number;
  warmup: number;
  rate: number;
  writeRate: number;
  connections: number;
  only: string[] | null;
  json: string | null;
  keep: boolean;
  beforeIndexes: boolean;
}

/** Lines on every seeded invoice; sessions come in pairs, two a grant a month. */
const LINES = 30;
const MONTHS = 24;
const LINES_PER_SUBMISSION = 10;
const READ_TARGET_P95_MS = 50;

function parseOptions(argv: string[]): Options {
  const value = (name: string): string | undefined => {
    const at = argv.indexOf(`--${name}`);
    return at < 0 ? undefined : argv[at + 1];
  };
  const number = (name: string, fallback: number, min = 1): number => {
    const text = value(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} needs a whole number of at least ${min}`);
    return n;
  };
  const only = value('only');
  return {
    suppliers: number('suppliers', 200),
    grants: number('grants', 100_000),
    deliveries: number('deliveries', 1_000_000),
    seconds: number('seconds', 20),
    warmup: number('warmup', 3, 0),
    rate: number('rate', 200),
    writeRate: number('write-rate', 25),
    connections: number('connections', 10),
    only: only ? only.split(',') : null,
    json: value('json') ?? null,
    keep: argv.includes('--keep'),
    beforeIndexes: argv.includes('--before-indexes'),
  };
}

interface Layout {
  grantsPerSupplier: number;
  invoices: number;
  /** Rounds of one invoice from every supplier; the last round is in the current month. */
  rounds: number;
  invoicesPerSupplierMonth: number;
}

function layoutOf(options: Options): Layout {
  const grantsPerSupplier = Math.floor(options.grants / options.suppliers);
  const invoices = Math.ceil(options.deliveries / LINES);
  const rounds = Math.ceil(invoices / options.suppliers);
  const invoicesPerSupplierMonth = Math.ceil(rounds / MONTHS);
  // A grant has at most one pair of sessions a month, so the month's invoices of a supplier need distinct grants.
  if (invoicesPerSupplierMonth * (LINES / 2) > grantsPerSupplier) {
    throw new Error(`${invoicesPerSupplierMonth} invoices a month of ${LINES / 2} grants each need more than ${grantsPerSupplier} grants a supplier`);
  }
  return { grantsPerSupplier, invoices, rounds, invoicesPerSupplierMonth };
}

/**
 * Suppliers with framework agreements and rate cards, citizens, grants with progress reports, two years of
 * invoices with their sessions, and the statements of the billed months, in set-based statements.
 */
async function seed(db: Client, options: Options, layout: Layout, today: string): Promise<void> {
  const year = today.slice(0, 4);
  const S = options.suppliers;
  const { grantsPerSupplier: GS, invoicesPerSupplierMonth: perMonth } = layout;
  const pairs = LINES / 2;
  await db.query('BEGIN');
  const [{ id: approver }] = (
    await db.query(`INSERT INTO app_user (email, display_name, role, password_hash) VALUES ('bench-approver@bench.invalid', 'Bench approver', 'finance', 'x') RETURNING id`)
  ).rows as Array<{ id: string }>;
  await db.query(
    `INSERT INTO supplier (name, cvr, kind, postal_code, city, vat_registered)
     SELECT 'Mentor ' || i || ' ApS', (10000000 + i)::text, 'mentor_supplier', '3400', 'Hillerød', true FROM generate_series(1, $1) i`,
    [S],
  );
  await db.query(
    `INSERT INTO agreement (supplier_id, kind, reference, title, valid_from, valid_to, mentor_types, ceiling_ore)
     SELECT id, 'framework', 'RA-BENCH-' || cvr, 'Rammeaftale om mentorstøtte', $1::date, $2::date, ARRAY['retention', 'holistic'], 2000000000 FROM supplier`,
    [addDays(today, -800), addDays(today, 730)],
  );
  await db.query(
    `INSERT INTO agreement_rate (agreement_id, mentor_type, service_level, valid_from, rate_ore)
     SELECT a.id, t.mentor_type, l.level, a.valid_from, 40000 + (l.level - 1) * 2500
       FROM agreement a CROSS JOIN unnest(ARRAY['retention', 'holistic']) AS t(mentor_type) CROSS JOIN generate_series(1, 4) AS l(level)`,
  );
  await db.query(
    `INSERT INTO citizen (cpr_encrypted, cpr_lookup, cpr_masked, name, case_number, target_group)
     SELECT decode(md5(i::text) || md5((-i)::text), 'hex'), encode(sha256(('bench-cpr-' || i)::bytea), 'hex'),
            lpad((1 + i % 28)::text, 2, '0') || lpad((1 + i % 12)::text, 2, '0') || lpad((i % 100)::text, 2, '0') || '-XXXX',
            'Borger ' || i, 'J-' || i,
            (ARRAY['sickness_benefit', 'activity_ready_cash_benefit', 'resource_course', 'job_ready_cash_benefit', 'sickness_benefit'])[1 + i % 5]
       FROM generate_series(1, $1) i`,
    [options.grants],
  );
  // Grant i belongs to supplier 1 + (i - 1) % S. The first supplier's grants (those submitting invoices in the
  // bench) run through the last months; the others started in the last two years, a half-year to a year long,
  // ended when that is past.
  await db.query(
    `WITH s AS (SELECT id, row_number() OVER (ORDER BY cvr) AS n FROM supplier),
          g AS (SELECT i, 1 + (i - 1) % $2 AS supplier_no, (ARRAY[1, 1, 1, 2, 2, 2, 3, 3, 4])[1 + (i * 7) % 9] AS level,
                       CASE WHEN (i - 1) % $2 = 0 THEN $3::date - 120 - i % 60 ELSE $3::date - 700 + (i * 37) % 690 END AS start_date,
                       CASE WHEN (i - 1) % $2 = 0 THEN 365 ELSE 182 + (i % 3) * 91 END AS days
                  FROM generate_series(1, $1) i)
     INSERT INTO mentor_grant (reference, citizen_id, agreement_id, supplier_id, mentor_type, service_level, minutes_per_week, start_date, end_date,
                               original_end_date, target_group_at_start, goal, tasks, mentor_name, mentor_phone, status, outcome, ended_on, active_from)
     SELECT 'MS-' || $4 || '-' || lpad(g.i::text, 6, '0'), c.id, a.id, s.id, CASE WHEN g.i % 10 = 0 THEN 'holistic' ELSE 'retention' END, g.level,
            CASE g.level WHEN 1 THEN (ARRAY[60, 90, 120])[1 + g.i % 3] WHEN 2 THEN (ARRAY[150, 180])[1 + g.i % 2] WHEN 3 THEN (ARRAY[210, 240])[1 + g.i % 2] ELSE 300 END,
            g.start_date, g.start_date + g.days, g.start_date + g.days, c.target_group, 'Fastholdelse i job', 'Ugentlige samtaler og kontakt til arbejdspladsen',
            'Mentor ' || (g.i % 400), '+45 70 ' || lpad((g.i % 1000000)::text, 6, '0'),
            CASE WHEN g.start_date + g.days < $3::date THEN 'ended' ELSE 'active' END,
            CASE WHEN g.start_date + g.days < $3::date THEN (ARRAY['job', 'education', 'still_on_benefit', 'other'])[1 + g.i % 4] END,
            CASE WHEN g.start_date + g.days < $3::date THEN g.start_date + g.days END,
            g.start_date
       FROM g JOIN s ON s.n = g.supplier_no JOIN agreement a ON a.supplier_id = s.id JOIN citizen c ON c.case_number = 'J-' || g.i`,
    [options.grants, S, today, year],
  );
  await db.query(`SELECT setval('grant_reference_seq', $1)`, [options.grants]);
  // Progress reports at the follow-ups three and six months in, where those are past.
  await db.query(
    `INSERT INTO progress_report (grant_id, due_date, progress, hours_used_for, delivery_summary, submitted_at, late)
     SELECT g.id, g.start_date + f.days, 'Borgeren møder stabilt og har fået flere timer', 'Samtaler og møder med arbejdsgiver',
            'Ugentlige samtaler, to møder på arbejdspladsen', (g.start_date + f.days)::timestamptz, false
       FROM mentor_grant g CROSS JOIN (VALUES (91), (182)) AS f(days)
      WHERE g.start_date + f.days <= LEAST(g.end_date, $1::date)`,
    [today],
  );
  // The invoices' plan: invoice i is supplier 1 + (i - 1) % S's, in round r = (i - 1) / S; the rounds fill the months
  // perMonth at a time, counted back from the current month; k numbers the supplier's invoices in the month.
  await db.query(
    `CREATE TEMP TABLE bench_invoice ON COMMIT DROP AS
     WITH s AS (SELECT id, row_number() OVER (ORDER BY cvr)::int AS n FROM supplier),
          p AS (SELECT i, 1 + (i - 1) % $1 AS supplier_no, $4 - 1 - ($6 - 1 - (i - 1) / $1) / $2 AS m, ($6 - 1 - (i - 1) / $1) % $2 AS k FROM generate_series(1, $3) i)
     SELECT p.i, p.supplier_no, s.id AS supplier_id, p.m, p.k, x.month_start, LEAST((x.month_start + interval '1 month')::date - 1, $5::date) AS month_end,
            CASE WHEN p.m >= $4 - 2 THEN 'validated' WHEN p.i % 53 = 0 THEN 'rejected' WHEN p.m = $4 - 3 THEN 'approved' ELSE 'billed' END AS status,
            CASE WHEN p.i % 3 = 0 THEN 1 + p.i % 5 ELSE 0 END AS warnings, NULL::uuid AS invoice_id
       FROM p JOIN s ON s.n = p.supplier_no
      CROSS JOIN LATERAL (SELECT (date_trunc('month', $5::date) - make_interval(months => $4 - 1 - p.m))::date AS month_start) x`,
    [S, perMonth, layout.invoices, MONTHS, today, layout.rounds],
  );
  // Invoice-level findings: a minimum-contact warning per week without contact, as validation writes them.
  await db.query(
    `INSERT INTO invoice (supplier_id, invoice_number, document_type, source, content_hash, issue_date, period_from, period_to, vat_basis_points,
                          net_ore, vat_ore, total_ore, approvable_ore, warning_count, findings, status, validated_at, created_at,
                          approved_by, approved_at, approved_ore, rejected_by, rejected_at, rejection_reason)
     SELECT p.supplier_id, 'F-' || to_char(p.month_start, 'YYYY-MM') || '-' || (p.k + 1), 'invoice', (ARRAY['portal', 'csv', 'ubl'])[1 + p.i % 3],
            encode(sha256(p.i::text::bytea), 'hex'), LEAST(p.month_end + 1, $2::date), p.month_start, p.month_end, 2500, 0, 0, 0, 0, p.warnings,
            COALESCE((SELECT jsonb_agg(jsonb_build_object(
                        'code', 'minimum_contact_missing', 'severity', 'warning',
                        'message', jsonb_build_object('da', 'Uge ' || to_char(p.month_start + 7 * w, 'IYYY-"W"IW') || ': ingen kontakt på bevilling i 2 uger; minimumskontakt er hver 2. uge',
                                                      'en', 'Week ' || to_char(p.month_start + 7 * w, 'IYYY-"W"IW') || ': no contact on the grant for 2 weeks; minimum contact is every 2 weeks'),
                        'values', jsonb_build_object('week', to_char(p.month_start + 7 * w, 'IYYY-"W"IW'), 'everyWeeks', 2)))
                        FROM generate_series(1, p.warnings) w), '[]'::jsonb),
            p.status, LEAST(p.month_end + 1, $2::date)::timestamptz + interval '9 hours', LEAST(p.month_end + 1, $2::date)::timestamptz + interval '8 hours',
            CASE WHEN p.status IN ('approved', 'billed') THEN $1::uuid END, CASE WHEN p.status IN ('approved', 'billed') THEN LEAST(p.month_end + 8, $2::date)::timestamptz END,
            CASE WHEN p.status IN ('approved', 'billed') THEN 0 END,
            CASE WHEN p.status = 'rejected' THEN $1::uuid END, CASE WHEN p.status = 'rejected' THEN LEAST(p.month_end + 8, $2::date)::timestamptz END,
            CASE WHEN p.status = 'rejected' THEN 'Fakturaen dækker sessioner uden bevilling' END
       FROM bench_invoice p ORDER BY p.i`,
    [approver, today],
  );
  await db.query(`UPDATE bench_invoice p SET invoice_id = i.id FROM invoice i WHERE i.supplier_id = p.supplier_id AND i.invoice_number = 'F-' || to_char(p.month_start, 'YYYY-MM') || '-' || (p.k + 1)`);
  // Sessions: the k-th invoice of a month takes its supplier's grants k·15 … k·15 + 14 of the month's share, two sessions
  // each, a fortnight apart; one line in ten of every fourth invoice is over the grant's week (an error, nothing approvable).
  await db.query(
    `INSERT INTO delivery (invoice_id, line_no, supplier_id, grant_id, grant_reference, delivered_on, minutes, contact_form, transport, rate_ore, amount_ore,
                           approvable_ore, approved_ore, status, findings, description)
     SELECT p.invoice_id, l.n, p.supplier_id, g.id, g.reference, LEAST(p.month_start + p.k * 2 + x.gl % 2 + CASE WHEN l.n % 2 = 0 THEN 14 ELSE 0 END, $6::date),
            g.minutes_per_week / 2, (ARRAY['in_person', 'in_person', 'phone', 'video'])[1 + l.n % 4], (ARRAY['public_transport', 'car', 'bicycle_or_walk', NULL])[1 + l.n % 4],
            r.rate, a.amount, CASE WHEN e.error THEN 0 ELSE a.amount END,
            CASE WHEN p.status IN ('approved', 'billed') AND NOT e.error THEN a.amount END,
            CASE WHEN p.status = 'validated' THEN 'pending' WHEN p.status = 'rejected' OR e.error THEN 'rejected' ELSE 'approved' END,
            CASE WHEN e.error THEN jsonb_build_array(jsonb_build_object(
              'code', 'week_over_grant', 'severity', 'error', 'field', 'lines[' || l.n || '].minutes', 'approvableOre', 0,
              'message', jsonb_build_object('da', 'Linje ' || l.n || ': ' || g.minutes_per_week + 45 || ' minutter faktureret i ugen, ' || g.minutes_per_week || ' bevilget',
                                            'en', 'Line ' || l.n || ': ' || g.minutes_per_week + 45 || ' minutes invoiced in the week, ' || g.minutes_per_week || ' granted'),
              'values', jsonb_build_object('invoicedMinutes', g.minutes_per_week + 45, 'grantedMinutes', g.minutes_per_week)))
            ELSE '[]'::jsonb END,
            CASE WHEN l.n % 3 = 0 THEN 'Samtale om fastholdelse og kontakt til arbejdsgiver' END
       FROM bench_invoice p CROSS JOIN generate_series(1, $1) AS l(n)
      CROSS JOIN LATERAL (SELECT (p.m * $2 * $3 + p.k * $3 + (l.n - 1) / 2) % $4 AS gl) x
       JOIN mentor_grant g ON g.reference = 'MS-' || $7 || '-' || lpad((x.gl * $5 + p.supplier_no)::text, 6, '0')
      CROSS JOIN LATERAL (SELECT 40000 + (g.service_level - 1) * 2500 AS rate) r
      CROSS JOIN LATERAL (SELECT ((g.minutes_per_week / 2) * r.rate + 30) / 60 AS amount) a
      CROSS JOIN LATERAL (SELECT p.i % 4 = 0 AND l.n % 10 = 0 AS error) e
      WHERE (p.i - 1) * $1 + l.n <= $8`,
    [LINES, perMonth, pairs, GS, S, today, year, options.deliveries],
  );
  await db.query(
    `UPDATE invoice i SET net_ore = t.net, vat_ore = t.net / 4, total_ore = t.net + t.net / 4, approvable_ore = t.approvable, error_count = t.errors,
                          approved_ore = CASE WHEN i.status IN ('approved', 'billed') THEN t.approved END
       FROM (SELECT invoice_id, sum(amount_ore) AS net, sum(approvable_ore) AS approvable, COALESCE(sum(approved_ore), 0) AS approved,
                    count(*) FILTER (WHERE findings <> '[]'::jsonb)::int AS errors
               FROM delivery GROUP BY invoice_id) t
      WHERE t.invoice_id = i.id`,
  );
  // Statements: final and numbered for the billed months, drafts for the approved month. A final one holds a month's
  // lines as finalisation writes them (the list never reads them); a draft holds its totals and approval watermark.
  await db.query(
    `WITH lines AS (SELECT jsonb_agg(jsonb_build_object('grantReference', 'MS-' || $3 || '-' || lpad(n::text, 6, '0'), 'date', $1::date - n % 28, 'minutes', 60,
                                                       'approvedOre', 45000, 'invoiceNumber', 'F-' || n, 'kind', 'delivery')) AS lines
                      FROM generate_series(1, $2) n),
          months AS (SELECT p.supplier_id, p.month_start, p.m, sum(d.minutes)::int AS minutes, sum(d.approved_ore) AS net
                       FROM bench_invoice p JOIN delivery d ON d.invoice_id = p.invoice_id
                      WHERE p.status IN ('approved', 'billed') AND d.status = 'approved' GROUP BY 1, 2, 3),
          numbered AS (SELECT m.*, (m.month_start + interval '1 month')::date AS issued_on, m.m <= $4 - 4 AS final,
                              row_number() OVER (PARTITION BY extract(year FROM m.month_start + interval '1 month') ORDER BY m.month_start, m.supplier_id) AS no
                         FROM months m)
     INSERT INTO statement (supplier_id, month, status, number, self_billed, issued_on, due_on, minutes, net_ore, vat_ore, total_ore, content, pdf, finalised_at, approved_through)
     SELECT n.supplier_id, to_char(n.month_start, 'YYYY-MM'), CASE WHEN n.final THEN 'final' ELSE 'draft' END,
            CASE WHEN n.final THEN 'AF-' || to_char(n.issued_on, 'YYYY') || '-' || lpad(n.no::text, 6, '0') END, false, n.issued_on, n.issued_on + 30,
            n.minutes, n.net, (n.net + 2) / 4, n.net + (n.net + 2) / 4,
            CASE WHEN n.final THEN jsonb_build_object('month', to_char(n.month_start, 'YYYY-MM'), 'supplier', jsonb_build_object('id', n.supplier_id), 'lines', l.lines) END,
            CASE WHEN n.final THEN '\\x255044462d312e37'::bytea END, CASE WHEN n.final THEN n.issued_on::timestamptz END,
            CASE WHEN n.final THEN NULL ELSE n.issued_on::timestamptz END
       FROM numbered n CROSS JOIN lines l`,
    [today, 2 * perMonth * pairs, year, MONTHS],
  );
  await db.query(
    `INSERT INTO statement_number_counter (year, last_number)
     SELECT substr(number, 4, 4)::int, max(substr(number, 9)::int) FROM statement WHERE number IS NOT NULL GROUP BY 1`,
  );
  await db.query('COMMIT');
  await db.query('VACUUM ANALYZE');
}

interface Targets {
  grantIds: string[];
  invoiceIds: string[];
  benchSupplierId: string;
  benchGrants: Array<{ reference: string; minutesPerWeek: number; serviceLevel: number }>;
}

async function targets(db: Client): Promise<Targets> {
  const grantIds = (await db.query(`SELECT id FROM mentor_grant TABLESAMPLE SYSTEM (5) REPEATABLE (7) LIMIT 1000`)).rows.map((row: { id: string }) => row.id);
  // Invoices of 30 lines, from every month and status.
  const invoiceIds = (
    await db.query(
      `SELECT i.id FROM invoice i TABLESAMPLE SYSTEM (20) REPEATABLE (7)
        WHERE (SELECT count(*) FROM delivery d WHERE d.invoice_id = i.id) = $1 LIMIT 1000`,
      [LINES],
    )
  ).rows.map((row: { id: string }) => row.id);
  const [{ id: benchSupplierId }] = (await db.query(`SELECT id FROM supplier ORDER BY cvr LIMIT 1`)).rows as Array<{ id: string }>;
  const benchGrants = (
    await db.query(
      `SELECT reference, minutes_per_week AS "minutesPerWeek", service_level AS "serviceLevel" FROM mentor_grant WHERE supplier_id = $1 ORDER BY reference`,
      [benchSupplierId],
    )
  ).rows as Targets['benchGrants'];
  return { grantIds, invoiceIds, benchSupplierId, benchGrants };
}

/**
 * JSON invoices of 10 lines: five of the supplier's grants, two sessions each in one of the eight weeks
 * before this one, half the grant's weekly minutes a session. Request k takes grants 5k … 5k + 4 and, per
 * hundred requests, another week, so the sessions rarely meet another invoice's.
 */
function submissions(count: number, grants: Targets['benchGrants'], today: string, tag: string): LoadRequest[] {
  const grantsPerInvoice = LINES_PER_SUBMISSION / 2;
  return Array.from({ length: count }, (_, k) => {
    const monday = addDays(mondayOf(today), -7 * (1 + (Math.floor(k / 100) % 8)));
    const lines = Array.from({ length: LINES_PER_SUBMISSION }, (_, l) => {
      const grant = grants[(k * grantsPerInvoice + Math.floor(l / 2)) % grants.length];
      const minutes = Math.floor(grant.minutesPerWeek / 2);
      const rateOre = 40_000 + (grant.serviceLevel - 1) * 2_500;
      return { grantReference: grant.reference, date: addDays(monday, l % 2 === 0 ? 0 : 2), minutes, rateOre, amountOre: lineAmountOre(minutes, rateOre), contactForm: 'in_person' };
    });
    return { path: '/api/v1/invoices', body: JSON.stringify({ invoiceNumber: `API-${tag}-${k + 1}`, issueDate: today, lines }) };
  });
}

interface Scenario {
  name: string;
  what: string;
  method: 'GET' | 'POST';
  token: string;
  requests: LoadRequest[];
  rate: number;
  connections: number;
  read: boolean;
}

/** Runs one scenario from a forked load generator; the server keeps this process's event loop to itself. */
function load(base: string, scenario: Scenario, options: Options): Promise<LoadResult> {
  const child = fork(join(__dirname, 'load-generator.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const headers: Record<string, string> = { authorization: `Bearer ${scenario.token}`, accept: 'application/json' };
  if (scenario.method === 'POST') headers['content-type'] = 'application/json';
  const spec: LoadSpec = {
    url: base,
    method: scenario.method,
    headers,
    requests: scenario.requests,
    rate: scenario.rate,
    connections: scenario.connections,
    warmupSeconds: options.warmup,
    seconds: options.seconds,
  };
  return new Promise((resolve, reject) => {
    let result: LoadResult | null = null;
    child.once('message', (message: LoadResult) => (result = message));
    child.once('error', reject);
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`the load generator exited with ${code} for ${scenario.name}`))));
    child.send(spec);
  });
}

/** One request of each scenario before the load: a wrong answer stops the bench instead of being measured. */
async function check(base: string, scenario: Scenario): Promise<void> {
  const { path, body } = scenario.requests[0];
  const headers: Record<string, string> = { Authorization: `Bearer ${scenario.token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method: scenario.method, headers, body });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${scenario.name}: ${scenario.method} ${path} answered ${response.status} ${text.slice(0, 500)}`);
}

const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '–');

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const layout = layoutOf(options);
  Logger.overrideLogger(['error']);
  const today = todayInCopenhagen(new Date());
  if (options.beforeIndexes) say('schema as before migration 1763888400000 (--before-indexes)');
  const name = `mentor_bench_${randomBytes(5).toString('hex')}`;
  const databaseUrl = withDatabase(SERVER_URL, name);
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  let closeApp: (() => Promise<void>) | null = null;
  try {
    let started = performance.now();
    await migrate(databaseUrl);
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    let found: Targets;
    let counts: Record<string, number>;
    let serverVersion: string;
    try {
      await seed(db, options, layout, today);
      if (options.beforeIndexes) {
        await new Indexes1763888400000().down({ query: (sql: string) => db.query(sql) } as unknown as QueryRunner);
        await db.query('ANALYZE invoice');
        await db.query('ANALYZE mentor_grant');
      }
      found = await targets(db);
      counts = (
        await db.query(
          `SELECT (SELECT count(*) FROM mentor_grant)::int AS grants, (SELECT count(*) FROM progress_report)::int AS reports, (SELECT count(*) FROM invoice)::int AS invoices,
                  (SELECT count(*) FROM delivery)::int AS deliveries, (SELECT count(*) FROM invoice WHERE status = 'validated')::int AS waiting,
                  (SELECT count(*) FROM statement)::int AS statements`,
        )
      ).rows[0] as Record<string, number>;
      serverVersion = ((await db.query('SHOW server_version')).rows as Array<{ server_version: string }>)[0].server_version;
    } finally {
      await db.end();
    }
    const n = (value: number): string => value.toLocaleString('en-US');
    say(`database ${name}; node ${process.version}, PostgreSQL ${serverVersion}, ${availableParallelism()} cores (load generator, app and database on the same machine)`);
    say(
      `seeded in ${fixed((performance.now() - started) / 1000)} s: ${n(options.suppliers)} suppliers, ${n(counts.grants)} grants, ${n(counts.reports)} progress reports, ` +
        `${n(counts.invoices)} invoices (${n(counts.waiting)} waiting for finance), ${n(counts.deliveries)} sessions, ${n(counts.statements)} statements`,
    );

    started = performance.now();
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      CPR_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
      LOGIN_RATE_LIMIT: '1000',
    });
    const app = await createHttpApp({ config, mode: 'all', databaseUrl, embedded: false });
    closeApp = async () => {
      await app.get(JobQueue).drain();
      await app.close();
    };
    await app.listen(0, '127.0.0.1');
    // The grants were loaded in bulk, without their stored first open task: computed once, as the job does.
    await app.get(DueTaskOrder).rebuild();
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const users = app.get(UsersService);
    const password = `Bench-${randomBytes(8).toString('hex')}`;
    const tag = randomBytes(3).toString('hex');
    const financeEmail = `finance-${tag}@bench.mentorportal.dk`;
    const supplierEmail = `supplier-${tag}@bench.mentorportal.dk`;
    const caseworkerEmail = `caseworker-${tag}@bench.mentorportal.dk`;
    await users.create({ email: financeEmail, displayName: 'Bench finance', role: 'finance', supplierId: null, password, language: 'da' }, systemActor('bench'));
    await users.create({ email: supplierEmail, displayName: 'Bench supplier', role: 'supplier', supplierId: found.benchSupplierId, password, language: 'da' }, systemActor('bench'));
    await users.create({ email: caseworkerEmail, displayName: 'Bench caseworker', role: 'caseworker', supplierId: null, password, language: 'da' }, systemActor('bench'));
    const finance = await signIn(base, financeEmail, password);
    const caseworker = await signIn(base, caseworkerEmail, password);
    const supplier = await signIn(base, supplierEmail, password);
    const cursor = async (path: string): Promise<string> => {
      const page = (await (await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${finance}` } })).json()) as { nextCursor: string | null };
      if (!page.nextCursor) throw new Error(`${path}: no second page`);
      return encodeURIComponent(page.nextCursor);
    };
    const grantsAfter = await cursor('/api/v1/grants?limit=50');
    const invoicesAfter = await cursor('/api/v1/invoices?limit=50');
    say(`app on ${base} after ${fixed(performance.now() - started, 0)} ms (mode all, jobs in-process); finance, a caseworker and a supplier user signed in`);

    const read = (name: string, what: string, token: string, paths: string[]): Scenario => ({
      name,
      what,
      method: 'GET',
      token,
      requests: paths.map((path) => ({ path })),
      rate: options.rate,
      connections: options.connections,
      read: true,
    });
    const writeCount = Math.ceil(options.writeRate * (options.seconds + options.warmup) * 1.5) + 10;
    const scenarios: Scenario[] = [
      read('grants', 'GET /api/v1/grants?limit=50 (finance)', finance, ['/api/v1/grants?limit=50']),
      read('grants-page-2', 'GET /api/v1/grants?limit=50&after=… (finance)', finance, [`/api/v1/grants?limit=50&after=${grantsAfter}`]),
      read('grants-supplier', 'GET /api/v1/grants?limit=50 (supplier)', supplier, ['/api/v1/grants?limit=50']),
      read('grant', `GET /api/v1/grants/:id (finance, ${found.grantIds.length} grants in turn)`, finance, found.grantIds.map((id) => `/api/v1/grants/${id}`)),
      read('invoices', 'GET /api/v1/invoices?limit=50 (finance)', finance, ['/api/v1/invoices?limit=50']),
      read('invoices-page-2', 'GET /api/v1/invoices?limit=50&after=… (finance)', finance, [`/api/v1/invoices?limit=50&after=${invoicesAfter}`]),
      read('invoices-supplier', 'GET /api/v1/invoices?limit=50 (supplier)', supplier, ['/api/v1/invoices?limit=50']),
      read('invoice', `GET /api/v1/invoices/:id (finance, ${found.invoiceIds.length} invoices of ${LINES} lines in turn)`, finance, found.invoiceIds.map((id) => `/api/v1/invoices/${id}`)),
      read('inbox', 'GET /api/v1/invoices?order=inbox&status=validated (finance)', finance, ['/api/v1/invoices?order=inbox&status=validated']),
      read('statements', 'GET /api/v1/statements (finance)', finance, ['/api/v1/statements']),
      read('due-tasks', 'GET /api/v1/due-tasks (caseworker: the first 50 open follow-ups and evaluations)', caseworker, ['/api/v1/due-tasks']),
      read('due-tasks-200', 'GET /api/v1/due-tasks?limit=200 (caseworker)', caseworker, ['/api/v1/due-tasks?limit=200']),
      {
        name: 'submit',
        what: `POST /api/v1/invoices JSON, ${LINES_PER_SUBMISSION} lines, a new invoice number each (supplier)`,
        method: 'POST' as const,
        token: supplier,
        requests: submissions(writeCount, found.benchGrants, today, tag),
        rate: options.writeRate,
        connections: 5,
        read: false,
      },
    ].filter((scenario) => options.only === null || options.only.includes(scenario.name));
    if (scenarios.length === 0) throw new Error(`--only names none of the scenarios`);

    say(`each: ${options.warmup} s warm-up, then ${options.seconds} s at a fixed overall rate from a second process (autocannon ${options.rate}/s over ${options.connections} connections for reads)`);
    say('');
    const results: Array<{ scenario: Scenario; result: LoadResult }> = [];
    for (const scenario of scenarios) {
      // The check would use up the first submission's number; submissions are checked by their answers.
      if (scenario.read) await check(base, scenario);
      const result = await load(base, scenario, options);
      results.push({ scenario, result });
      const codes = Object.entries(result.statusCounts).filter(([code]) => !code.startsWith('2')).map(([code, count]) => `${code}×${count}`).join(' ');
      say(
        `${scenario.name.padEnd(18)} ${fixed(result.responses / result.seconds).padStart(6)}/s  p50 ${fixed(result.latenciesMs.p50).padStart(6)}  p95 ${fixed(result.latenciesMs.p95).padStart(6)}  ` +
          `p99 ${fixed(result.latenciesMs.p99).padStart(6)}  max ${fixed(result.latenciesMs.max).padStart(6)} ms  non-2xx ${result.non2xx}${codes ? ` (${codes})` : ''}` +
          `${result.errors + result.timeouts > 0 ? `  errors ${result.errors}, timeouts ${result.timeouts}` : ''}${!scenario.read && result.repeated > 0 ? `  ${result.repeated} sent twice` : ''}`,
      );
    }

    say('');
    say(`| endpoint | rate asked | achieved req/s | p50 ms | p95 ms | p99 ms | non-2xx |`);
    say(`|---|---:|---:|---:|---:|---:|---:|`);
    for (const { scenario, result } of results) {
      say(
        `| ${scenario.what} | ${scenario.rate}/s | ${fixed(result.responses / result.seconds)} | ${fixed(result.latenciesMs.p50)} | ${fixed(result.latenciesMs.p95)} | ${fixed(result.latenciesMs.p99)} | ${result.non2xx} |`,
      );
    }
    const reads = results.filter(({ scenario }) => scenario.read);
    const over = reads.filter(({ result }) => !(result.latenciesMs.p95 <= READ_TARGET_P95_MS) || result.responses / result.seconds < 0.95 * options.rate);
    say('');
    say(
      over.length === 0
        ? `reads: p95 ≤ ${READ_TARGET_P95_MS} ms at ${options.rate} requests/s: met by all ${reads.length}`
        : `reads: p95 ≤ ${READ_TARGET_P95_MS} ms at ${options.rate} requests/s: NOT met by ${over.map(({ scenario }) => scenario.name).join(', ')}`,
    );
    if (options.json) {
      writeFileSync(options.json, JSON.stringify(results.map(({ scenario, result }) => ({ name: scenario.name, what: scenario.what, rate: scenario.rate, ...result })), null, 2));
    }
  } finally {
    if (closeApp) await closeApp();
    if (options.keep) say(`kept database ${name} (${databaseUrl})`);
    else await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
