/**
 * Invoice intake benchmark: a 5,000-line CSV invoice validated and stored against a database with
 * 30,000 grants, through the real HTTP path (POST /api/v1/invoices as a signed-in supplier user, the app
 * listening on loopback, jobs in-process), beside a bare COPY of the same rows as the floor.
 *
 *   npm run build && node dist/bench/invoices.js [--runs 5] [--lines 5000] [--grants 30000] [--suppliers 200] [--keep]
 *
 * A fresh database `mentor_bench_<random>` is created on BENCH_DATABASE_URL's server (default
 * postgres://postgres@127.0.0.1:5432/postgres), migrated, seeded with set-based SQL and dropped at the end
 * unless --keep. One warm-up invoice, then --runs invoices, each on grants of its own (so no run sees another
 * run's lines as duplicates), all over the same weeks and after the same earlier invoices. The time of a run is
 * from sending the request to having read the whole answer (the invoice with every line and finding). The start's
 * background work on the seeded data (the due-task order of every grant) is done before the warm-up.
 * The floor runs `\copy` in psql, timed by psql's own \timing.
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { createHttpApp } from '../src/bootstrap';
import { systemActor } from '../src/common/actor';
import { loadConfig } from '../src/common/config/app-config';
import { JobQueue } from '../src/common/queue/job-queue';
import { addDays, mondayOf, todayInCopenhagen } from '../src/common/time/calendar-date';
import { DueTaskOrder } from '../src/grants/due-task-order.service';
import { UsersService } from '../src/identity/users.service';
import { lineAmountOre } from '../src/invoices/invoice-amounts';
import { admin, median, migrate, say, SERVER_URL, signIn, withDatabase } from './support';

const run = promisify(execFile);

interface Options {
  runs: number;
  lines: number;
  grants: number;
  suppliers: number;
  keep: boolean;
}

/** Weeks the invoice covers; the history of earlier invoices covers the five weeks before. */
const WEEKS = 10;
const HISTORY_WEEKS = 5;
const FLOOR_REPEATS = 5;
const DELIVERY_COLUMNS =
  'invoice_id, supplier_id, line_no, kind, grant_id, grant_reference, delivered_on, minutes, contact_form, transport, rate_ore, amount_ore, approvable_ore, status, findings, description, credits_delivery_id, registered_by';

function parseOptions(argv: string[]): Options {
  const number = (name: string, fallback: number): number => {
    const at = argv.indexOf(`--${name}`);
    if (at < 0) return fallback;
    const value = Number(argv[at + 1]);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} needs a whole number above 0`);
    return value;
  };
  return { runs: number('runs', 5), lines: number('lines', 5000), grants: number('grants', 30_000), suppliers: number('suppliers', 200), keep: argv.includes('--keep') };
}

const ms = (value: number): string => value.toFixed(1);
const thousands = (value: number): string => Math.round(value).toLocaleString('en-US');

// The rate card of every agreement: 400–475 kr. an hour by service level.
const rateOf = (level: number): number => 40_000 + (level - 1) * 2_500;

/** Suppliers, agreements with rate cards, citizens, grants and the earlier invoices, in set-based statements. */
async function seed(db: Client, options: Options, periodFrom: string, benchGrants: number): Promise<void> {
  const today = todayInCopenhagen(new Date());
  const year = today.slice(0, 4);
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO supplier (name, cvr, kind, postal_code, city, vat_registered)
     SELECT 'Mentor ' || i || ' ApS', (10000000 + i)::text, 'mentor_supplier', '3400', 'Hillerød', true FROM generate_series(1, $1) i`,
    [options.suppliers],
  );
  await db.query(
    `INSERT INTO agreement (supplier_id, kind, reference, title, valid_from, valid_to, mentor_types, ceiling_ore)
     SELECT id, 'framework', 'RA-BENCH-' || cvr, 'Rammeaftale om mentorstøtte', $1::date, $2::date, ARRAY['retention', 'holistic'], 2000000000 FROM supplier`,
    [addDays(today, -730), addDays(today, 730)],
  );
  await db.query(
    `INSERT INTO agreement_rate (agreement_id, mentor_type, service_level, valid_from, rate_ore)
     SELECT a.id, t.mentor_type, l.level, a.valid_from, 40000 + (l.level - 1) * 2500
       FROM agreement a CROSS JOIN unnest(ARRAY['retention', 'holistic']) AS t(mentor_type) CROSS JOIN generate_series(1, 4) AS l(level)`,
  );
  await db.query(
    `INSERT INTO citizen (cpr_encrypted, cpr_lookup, cpr_masked, name, case_number, target_group)
     SELECT decode(md5(random()::text) || md5(random()::text), 'hex'), encode(sha256(('bench-cpr-' || i)::bytea), 'hex'),
            lpad((1 + i % 28)::text, 2, '0') || lpad((1 + i % 12)::text, 2, '0') || lpad((i % 100)::text, 2, '0') || '-XXXX',
            'Borger ' || i, 'J-' || i,
            (ARRAY['sickness_benefit', 'activity_ready_cash_benefit', 'resource_course', 'job_ready_cash_benefit', 'sickness_benefit'])[1 + i % 5]
       FROM generate_series(1, $1) i`,
    [options.grants],
  );
  // The bench supplier (the first) holds the first `benchGrants` grants, running through the invoiced weeks
  // (one in 60 ends inside them); the other grants spread over the other suppliers, started in the last half year.
  // Levels lean to 1 and 2; one grant in ten is holistic (contact every other week).
  await db.query(
    `WITH s AS (SELECT id, row_number() OVER (ORDER BY cvr) AS n FROM supplier),
          g AS (SELECT i, CASE WHEN i <= $2 THEN 1 ELSE 2 + (i - $2 - 1) % ($3 - 1) END AS supplier_no,
                       (ARRAY[1, 1, 1, 2, 2, 2, 3, 3, 4])[1 + (i * 7) % 9] AS level,
                       CASE WHEN i <= $2 THEN $4::date - (7 + (i * 13) % 100) ELSE $5::date - (i * 17) % 170 END AS start_date
                  FROM generate_series(1, $1) i)
     INSERT INTO mentor_grant (reference, citizen_id, agreement_id, supplier_id, mentor_type, service_level, minutes_per_week, start_date, end_date,
                               original_end_date, target_group_at_start, goal, tasks, mentor_name, status, active_from)
     SELECT 'MS-' || $6 || '-' || lpad(g.i::text, 6, '0'), c.id, a.id, s.id, CASE WHEN g.i % 10 = 0 THEN 'holistic' ELSE 'retention' END, g.level,
            CASE g.level WHEN 1 THEN (ARRAY[60, 90, 120])[1 + g.i % 3] WHEN 2 THEN (ARRAY[150, 180])[1 + g.i % 2] WHEN 3 THEN (ARRAY[210, 240])[1 + g.i % 2] ELSE 300 END,
            g.start_date, e.end_date, e.end_date, c.target_group, 'Fastholdelse i job', 'Ugentlige samtaler og kontakt til arbejdspladsen', 'Mentor ' || (g.i % 400), 'active', g.start_date
       FROM g JOIN s ON s.n = g.supplier_no JOIN agreement a ON a.supplier_id = s.id JOIN citizen c ON c.case_number = 'J-' || g.i
      CROSS JOIN LATERAL (SELECT CASE WHEN g.i <= $2 AND g.i % 60 = 0 THEN $4::date + 48 ELSE g.start_date + 182 END AS end_date) e`,
    [options.grants, benchGrants, options.suppliers, periodFrom, today, year],
  );
  await db.query(`SELECT setval('grant_reference_seq', $1)`, [options.grants]);
  // Earlier invoices: every supplier invoiced two sessions a week in the five weeks before the period
  // (the look-back of the minimum-contact rule), and the bench supplier one more session in the first
  // invoiced week of every 25th grant, so those weeks add earlier minutes to this invoice's.
  await db.query(
    `INSERT INTO invoice (supplier_id, invoice_number, document_type, source, content_hash, issue_date, period_from, period_to, vat_basis_points,
                          net_ore, vat_ore, total_ore, approvable_ore, status, validated_at)
     SELECT id, 'HIST-1', 'invoice', 'csv', encode(sha256(id::text::bytea), 'hex'), $1::date, $1::date - $2 * 7, $1::date - 1, 2500, 0, 0, 0, 0, 'validated', now()
       FROM supplier`,
    [periodFrom, HISTORY_WEEKS],
  );
  await db.query(
    `INSERT INTO delivery (invoice_id, line_no, supplier_id, grant_id, grant_reference, delivered_on, minutes, contact_form, rate_ore, amount_ore, approvable_ore, status)
     SELECT i.id, row_number() OVER (PARTITION BY g.supplier_id ORDER BY g.reference, d.day), g.supplier_id, g.id, g.reference, d.day, g.minutes_per_week / 2,
            'in_person', 40000 + (g.service_level - 1) * 2500, ((g.minutes_per_week / 2) * (40000 + (g.service_level - 1) * 2500) + 30) / 60,
            ((g.minutes_per_week / 2) * (40000 + (g.service_level - 1) * 2500) + 30) / 60, 'pending'
       FROM mentor_grant g JOIN invoice i ON i.supplier_id = g.supplier_id AND i.invoice_number = 'HIST-1'
      CROSS JOIN generate_series(1, $2) w CROSS JOIN LATERAL (VALUES ($1::date - 7 * w.w), ($1::date - 7 * w.w + 3)) AS d(day)
      WHERE d.day BETWEEN g.start_date AND g.end_date`,
    [periodFrom, HISTORY_WEEKS],
  );
  const [bench] = (await db.query(`SELECT id FROM supplier ORDER BY cvr LIMIT 1`)).rows as Array<{ id: string }>;
  await db.query(
    `INSERT INTO invoice (supplier_id, invoice_number, document_type, source, content_hash, issue_date, period_from, period_to, vat_basis_points,
                          net_ore, vat_ore, total_ore, approvable_ore, status, validated_at)
     VALUES ($1, 'HIST-2', 'invoice', 'csv', repeat('0', 64), $2::date, $2::date, $2::date + 6, 2500, 0, 0, 0, 0, 'validated', now())`,
    [bench.id, periodFrom],
  );
  await db.query(
    `INSERT INTO delivery (invoice_id, line_no, supplier_id, grant_id, grant_reference, delivered_on, minutes, contact_form, rate_ore, amount_ore, approvable_ore, status)
     SELECT i.id, row_number() OVER (ORDER BY g.reference), g.supplier_id, g.id, g.reference, $2::date + 1, 30, 'phone',
            40000 + (g.service_level - 1) * 2500, (30 * (40000 + (g.service_level - 1) * 2500) + 30) / 60, (30 * (40000 + (g.service_level - 1) * 2500) + 30) / 60, 'pending'
       FROM mentor_grant g JOIN invoice i ON i.id = (SELECT id FROM invoice WHERE supplier_id = $1 AND invoice_number = 'HIST-2')
      WHERE g.supplier_id = $1 AND substr(g.reference, 9)::int % 25 = 0`,
    [bench.id, periodFrom],
  );
  await db.query(
    `UPDATE invoice i SET net_ore = t.net, vat_ore = t.net / 4, total_ore = t.net + t.net / 4, approvable_ore = t.net
       FROM (SELECT invoice_id, sum(amount_ore) AS net FROM delivery GROUP BY invoice_id) t WHERE t.invoice_id = i.id`,
  );
  await db.query('COMMIT');
  await db.query('ANALYZE');
}

interface BenchGrant {
  reference: string;
  minutesPerWeek: number;
  serviceLevel: number;
}

/**
 * A CSV invoice of `lines` sessions over `grants` and WEEKS weeks, ordered by grant and date as a supplier's
 * system exports it: two or three sessions a grant-week within the weekly minutes; one grant-week in twenty
 * 45 minutes over; every 50th grant with week 5's sessions again in week 6 (a week without contact, lines
 * invoiced twice, a week over); one line in 500 above the agreed rate, one in 400 with a wrong amount; every
 * 97th grant invoicing again a session of an earlier invoice.
 */
function buildCsv(grants: BenchGrant[], lines: number, periodFrom: string): string {
  const grantWeeks = grants.length * WEEKS;
  const base = Math.floor(lines / grantWeeks);
  const extra = lines - base * grantWeeks;
  if (base < 1) throw new Error(`${lines} lines are fewer than one a week for ${grants.length} grants`);
  const kroner = (ore: number): string => `${Math.floor(ore / 100)},${String(ore % 100).padStart(2, '0')}`;
  const rows = ['bevilling;dato;minutter;timepris;beløb;kontaktform;transport;beskrivelse'];
  const forms = ['fremmøde', 'telefon', 'video', 'fremmøde'];
  const transports = ['offentlig', 'bil', 'cykel', ''];
  const add = (grant: BenchGrant, date: string, minutes: number, rateOre: number, amountOre: number, n: number): void => {
    const description = n % 3 === 0 ? 'Samtale om fastholdelse og kontakt til arbejdsgiver' : '';
    rows.push(`${grant.reference};${date};${minutes};${kroner(rateOre)};${kroner(amountOre)};${forms[n % 4]};${transports[n % 4]};${description}`);
  };
  let n = 0;
  grants.forEach((grant, g) => {
    const number = Number(grant.reference.slice(8));
    if (number % 97 === 0) {
      // The same session as on the earlier invoice (the Thursday of the week before): a duplicate.
      const minutes = Math.floor(grant.minutesPerWeek / 2);
      add(grant, addDays(periodFrom, -4), minutes, rateOf(grant.serviceLevel), lineAmountOre(minutes, rateOf(grant.serviceLevel)), n++);
    }
    for (let week = 0; week < WEEKS; week++) {
      const j = g * WEEKS + week;
      const sessions = base + ((j * 7919) % grantWeeks < extra ? 1 : 0);
      const over = (g * 7 + week) % 20 === 0;
      // Every 50th grant put week 5's sessions into week 6.
      const dateWeek = number % 50 === 1 && week === 4 ? 5 : week;
      for (let s = 0; s < sessions; s++) {
        const date = addDays(periodFrom, dateWeek * 7 + [0, 2, 3, 4, 1][s % 5]);
        const minutes = Math.max(1, Math.floor(grant.minutesPerWeek / sessions)) + (over && s === 0 ? 45 : 0);
        const rateOre = rateOf(grant.serviceLevel) + (n % 500 === 123 ? 2_500 : 0);
        const amountOre = lineAmountOre(minutes, rateOre) + (n % 400 === 7 ? 100 : 0);
        add(grant, date, minutes, rateOre, amountOre, n++);
      }
    }
  });
  const body = rows.slice(0, lines + 1);
  return `${body.join('\r\n')}\r\n`;
}

/**
 * The floor: psql's \\copy of an invoice's stored rows into an empty copy of delivery (its columns, defaults,
 * checks and indexes, not its foreign keys), timed by psql. For comparison, the same rows copied into delivery
 * itself under another invoice, foreign keys checked, each time rolled back.
 */
async function psqlFloor(databaseUrl: string, invoiceId: string, placeholderInvoiceId: string): Promise<{ bareMs: number[]; withForeignKeysMs: number[]; rows: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'mentor-bench-'));
  try {
    const file = join(dir, 'deliveries.copy');
    const placeholderFile = join(dir, 'deliveries-placeholder.copy');
    const script = join(dir, 'floor.sql');
    const otherColumns = DELIVERY_COLUMNS.replace(/^invoice_id, /, '');
    const bare = Array.from({ length: FLOOR_REPEATS }, () => `TRUNCATE bench_floor_delivery;\n\\copy bench_floor_delivery (${DELIVERY_COLUMNS}) FROM '${file}'\n`).join('');
    const withForeignKeys = Array.from({ length: FLOOR_REPEATS }, () => `BEGIN;\n\\copy delivery (${DELIVERY_COLUMNS}) FROM '${placeholderFile}'\nROLLBACK;\n`).join('');
    writeFileSync(
      script,
      `\\set ON_ERROR_STOP on\n` +
        `\\copy (SELECT ${DELIVERY_COLUMNS} FROM delivery WHERE invoice_id = '${invoiceId}' ORDER BY line_no) TO '${file}'\n` +
        `\\copy (SELECT '${placeholderInvoiceId}'::uuid, ${otherColumns} FROM delivery WHERE invoice_id = '${invoiceId}' ORDER BY line_no) TO '${placeholderFile}'\n` +
        `DROP TABLE IF EXISTS bench_floor_delivery;\n` +
        `CREATE TABLE bench_floor_delivery (LIKE delivery INCLUDING ALL);\n` +
        `\\timing on\n${bare}${withForeignKeys}\\timing off\nDROP TABLE bench_floor_delivery;\n`,
    );
    const { stdout } = await run('psql', ['-X', '-d', databaseUrl, '-f', script], { maxBuffer: 1 << 20 });
    const copies = [...stdout.matchAll(/^COPY (\d+)\s*\nTime: ([\d.]+) ms/gm)];
    if (copies.length !== 2 * FLOOR_REPEATS) throw new Error(`psql floor: expected ${2 * FLOOR_REPEATS} timed copies, got:\n${stdout}`);
    const times = copies.map((m) => Number(m[2]));
    return { bareMs: times.slice(0, FLOOR_REPEATS), withForeignKeysMs: times.slice(FLOOR_REPEATS), rows: Number(copies[0][1]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An invoice without deliveries, committed, for the copy into delivery to name. */
async function placeholderInvoice(databaseUrl: string, like: string): Promise<string> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(
      `INSERT INTO invoice (supplier_id, invoice_number, document_type, source, content_hash, issue_date, period_from, period_to, vat_basis_points,
                            net_ore, vat_ore, total_ore, approvable_ore, status, validated_at)
       SELECT supplier_id, 'BENCH-FLOOR', document_type, source, content_hash, issue_date, period_from, period_to, vat_basis_points,
              net_ore, vat_ore, total_ore, approvable_ore, status, validated_at FROM invoice WHERE id = $1 RETURNING id`,
      [like],
    );
    return (rows as Array<{ id: string }>)[0].id;
  } finally {
    await db.end();
  }
}

interface InvoiceAnswer {
  id: string;
  errorCount: number;
  warningCount: number;
  approvableOre: number;
  netOre: number;
  findings: Array<{ code: string }>;
  lines: Array<{ findings: Array<{ code: string }> }>;
}

function findingSummary(answer: InvoiceAnswer): string {
  const counts = new Map<string, number>();
  for (const finding of [...answer.findings, ...answer.lines.flatMap((line) => line.findings)]) counts.set(finding.code, (counts.get(finding.code) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([code, count]) => `${code} ${count}`).join(', ');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  Logger.overrideLogger(['error']);
  const linesPerGrant = 30;
  const grantsPerInvoice = Math.ceil(options.lines / linesPerGrant);
  const benchGrants = grantsPerInvoice * (options.runs + 1);
  if (benchGrants >= options.grants) throw new Error(`${options.runs + 1} invoices of ${grantsPerInvoice} grants need more than ${options.grants} grants`);
  const today = todayInCopenhagen(new Date());
  const periodFrom = addDays(mondayOf(today), -7 * WEEKS);
  const name = `mentor_bench_${randomBytes(5).toString('hex')}`;
  const databaseUrl = withDatabase(SERVER_URL, name);
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  say(`database ${name}`);
  let closeApp: (() => Promise<void>) | null = null;
  try {
    let started = performance.now();
    await migrate(databaseUrl);
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    let serverVersion = '';
    let grants: BenchGrant[] = [];
    let benchSupplierId = '';
    let deliveriesBefore = 0;
    try {
      await seed(db, options, periodFrom, benchGrants);
      serverVersion = ((await db.query('SHOW server_version')).rows as Array<{ server_version: string }>)[0].server_version;
      benchSupplierId = ((await db.query(`SELECT id FROM supplier ORDER BY cvr LIMIT 1`)).rows as Array<{ id: string }>)[0].id;
      grants = (
        await db.query(
          `SELECT reference, minutes_per_week AS "minutesPerWeek", service_level AS "serviceLevel" FROM mentor_grant WHERE supplier_id = $1 ORDER BY reference`,
          [benchSupplierId],
        )
      ).rows as BenchGrant[];
      deliveriesBefore = Number(((await db.query('SELECT count(*) AS n FROM delivery')).rows as Array<{ n: string }>)[0].n);
    } finally {
      await db.end();
    }
    say(
      `seeded in ${ms(performance.now() - started)} ms: ${options.suppliers} suppliers, ${options.grants} active grants, ${thousands(deliveriesBefore)} earlier deliveries; ` +
        `the invoicing supplier has ${grants.length} grants, ${grantsPerInvoice} on each invoice, weeks ${periodFrom} – ${addDays(periodFrom, 7 * WEEKS - 1)}`,
    );

    started = performance.now();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      CPR_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
      LOGIN_RATE_LIMIT: '1000',
      BODY_LIMIT_BYTES: String(8 * 1_048_576),
    });
    const app = await createHttpApp({ config, mode: 'all', databaseUrl, embedded: false });
    closeApp = async () => {
      await app.get(JobQueue).drain();
      await app.close();
    };
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const email = `bench-${randomBytes(4).toString('hex')}@bench.mentorportal.dk`;
    const password = `Bench-${randomBytes(8).toString('hex')}`;
    await app.get(UsersService).create({ email, displayName: 'Bench supplier', role: 'supplier', supplierId: benchSupplierId, password, language: 'da' }, systemActor('bench'));
    const token = await signIn(base, email, password);
    say(`app on ${base} after ${ms(performance.now() - started)} ms (in-process jobs), supplier user signed in`);
    // The seeded grants have no due-task order yet: the start's sweep queues its rebuild over all of them, which is not
    // intake's work and would share the machine with the first invoices. It is done before the warm-up.
    started = performance.now();
    const order = app.get(DueTaskOrder);
    while (await order.needsRebuild()) {
      await order.requestRebuild();
      await app.get(JobQueue).drain();
    }
    say(`due-task order of the seeded grants in place after ${ms(performance.now() - started)} ms`);

    const submit = async (k: number): Promise<{ ms: number; answer: InvoiceAnswer; bytes: number }> => {
      const csv = buildCsv(grants.slice(k * grantsPerInvoice, (k + 1) * grantsPerInvoice), options.lines, periodFrom);
      const query = new URLSearchParams({ invoiceNumber: `BENCH-${k}`, issueDate: today });
      const t0 = performance.now();
      const response = await fetch(`${base}/api/v1/invoices?${query}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv' }, body: csv });
      const text = await response.text();
      const elapsed = performance.now() - t0;
      if (response.status !== 201) throw new Error(`invoice ${k}: ${response.status} ${text.slice(0, 2000)}`);
      const answer = JSON.parse(text) as InvoiceAnswer;
      if (answer.lines.length !== options.lines) throw new Error(`invoice ${k}: ${answer.lines.length} lines stored, ${options.lines} sent`);
      return { ms: elapsed, answer, bytes: Buffer.byteLength(csv) };
    };

    const warm = await submit(0);
    say(`warm-up: ${ms(warm.ms)} ms (CSV ${thousands(warm.bytes / 1024)} KiB)`);
    const times: number[] = [];
    let first: InvoiceAnswer | null = null;
    for (let k = 1; k <= options.runs; k++) {
      const result = await submit(k);
      times.push(result.ms);
      first ??= result.answer;
    }
    const answer = first as InvoiceAnswer;
    say(
      `each invoice: ${options.lines} lines on ${grantsPerInvoice} fresh grants; run 1 answered ${answer.errorCount} errors, ${answer.warningCount} warnings ` +
        `(${findingSummary(answer)}), approvable ${thousands(answer.approvableOre / 100)} of ${thousands(answer.netOre / 100)} kr.`,
    );
    say(`runs (ms): ${times.map(ms).join(', ')}`);

    const floor = await psqlFloor(databaseUrl, answer.id, await placeholderInvoice(databaseUrl, answer.id));
    if (floor.rows !== options.lines) throw new Error(`the floor copied ${floor.rows} rows, not ${options.lines}`);

    const pipelineMs = median(times);
    const floorMs = median(floor.bareMs);
    const withForeignKeysMs = median(floor.withForeignKeysMs);
    const linesPerSecond = options.lines / (pipelineMs / 1000);
    say('');
    say(`invoice intake, POST /api/v1/invoices text/csv as a supplier user (parse, validate, store, answer with every line)`);
    say(`  machine:   ${availableParallelism()} CPUs, node ${process.version}, PostgreSQL ${serverVersion} (same machine)`);
    say(`  pipeline:  ${ms(pipelineMs)} ms median of ${options.runs} → ${thousands(linesPerSecond)} lines/s   (target ≥ 20,000 lines/s: ${linesPerSecond >= 20_000 ? 'met' : 'NOT met'})`);
    say(`  floor:     ${ms(floorMs)} ms median of ${FLOOR_REPEATS} bare \\copy of the same ${floor.rows} rows into an empty copy of delivery (indexes and checks, no foreign keys) [${floor.bareMs.map(ms).join(', ')}]`);
    say(`  ratio:     ${(pipelineMs / floorMs).toFixed(2)}× the floor   (target ≤ 3×: ${pipelineMs <= 3 * floorMs ? 'met' : 'NOT met'})`);
    say(`  for scale: ${ms(withForeignKeysMs)} ms median of ${FLOOR_REPEATS} \\copy of the same rows into delivery itself, its foreign keys checked, rolled back [${floor.withForeignKeysMs.map(ms).join(', ')}]; the pipeline is ${(pipelineMs / withForeignKeysMs).toFixed(2)}× that`);
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
