import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createCliContext, runMigrations } from './bootstrap';
import { resolveConfig } from './common/config/config.loader';
import { startEmbeddedPostgres } from './common/database/embedded-postgres';
import { DemoDataSeed } from './demo/demo-data.seed';

/** `migrate` runs pending migrations; `seed` also adds the demo data (re-runnable). */
async function cli(command: string | undefined): Promise<void> {
  if (command !== 'migrate' && command !== 'seed') throw new Error('usage: cli migrate | seed');
  const config = resolveConfig();
  const embedded = config.databaseUrl === null ? await startEmbeddedPostgres(config.dataDir) : null;
  // No HTTP and no job workers: a migration or a seed must not pick up the live database's unfinished runs.
  const context = await createCliContext({ config, databaseUrl: config.databaseUrl ?? embedded!.url, embedded: embedded !== null });
  try {
    const applied = await runMigrations(context.get(DataSource), embedded !== null);
    process.stdout.write(`migrations applied: ${applied.length === 0 ? 'none pending' : applied.join(', ')}\n`);
    if (command === 'seed') {
      const { created } = await context.get(DemoDataSeed).run();
      process.stdout.write(`demo data: ${created} records created\n`);
    }
  } finally {
    await context.close();
    await embedded?.stop();
  }
}

cli(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
