import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createCliContext, runMigrations } from './bootstrap';
import { resolveConfig } from './common/config/config.loader';
import { startEmbeddedPostgres } from './common/database/embedded-postgres';
import { DemoDataSeed } from './demo/demo-data.seed';
import { CeilingLedgerCheckService } from './invoices/ceiling-ledger-check.service';
import type { CeilingLedgerDifference } from './suppliers/agreements.service';

const COMMANDS = ['migrate', 'seed', 'check-ledger'];

/**
 * `migrate` runs pending migrations; `seed` also adds the demo data (re-runnable); `check-ledger` compares every
 * agreement's ceiling ledger with its deliveries and exits 1 on any difference. Resolves to the exit code.
 */
async function cli(command: string | undefined): Promise<number> {
  if (command === undefined || !COMMANDS.includes(command)) throw new Error(`usage: cli ${COMMANDS.join(' | ')}`);
  const config = resolveConfig();
  const embedded = config.databaseUrl === null ? await startEmbeddedPostgres(config.dataDir) : null;
  // No HTTP and no job workers: a migration or a seed must not pick up the live database's unfinished runs.
  const context = await createCliContext({ config, databaseUrl: config.databaseUrl ?? embedded!.url, embedded: embedded !== null });
  try {
    if (command === 'check-ledger') return await checkLedger(context);
    const applied = await runMigrations(context.get(DataSource), embedded !== null);
    process.stdout.write(`migrations applied: ${applied.length === 0 ? 'none pending' : applied.join(', ')}\n`);
    if (command === 'seed') {
      const { created } = await context.get(DemoDataSeed).run();
      process.stdout.write(`demo data: ${created} records created\n`);
    }
    return 0;
  } finally {
    await context.close();
    await embedded?.stop();
  }
}

async function checkLedger(context: INestApplicationContext): Promise<number> {
  const differences = await context.get(CeilingLedgerCheckService).check();
  if (differences.length === 0) {
    process.stdout.write('ceiling ledger: every agreement equals its deliveries\n');
    return 0;
  }
  process.stdout.write(`ceiling ledger: ${differences.length} agreement(s) differ from their deliveries (ledger minus deliveries)\n`);
  for (const d of differences) process.stdout.write(`${describeDifference(d)}\n`);
  return 1;
}

function describeDifference(d: CeilingLedgerDifference): string {
  const side = (what: string, ledger: number, deliveries: number, difference: number) => `${what} ledger ${ledger} øre, deliveries ${deliveries} øre, difference ${difference} øre`;
  return `agreement ${d.reference} (${d.agreementId}): ${side('pending', d.ledger.pendingOre, d.deliveries.pendingOre, d.pendingDifferenceOre)}; ${side('approved', d.ledger.approvedOre, d.deliveries.approvedOre, d.approvedDifferenceOre)}`;
}

cli(process.argv[2])
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
