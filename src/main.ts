import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createHttpApp, createWorkerContext, runMigrations } from './bootstrap';
import { ConfigError, type RunMode } from './common/config/app-config';
import { resolveConfig } from './common/config/config.loader';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './common/database/embedded-postgres';
import { DEMO_SIGN_INS, DemoDataSeed } from './demo/demo-data.seed';

/**
 * One code base, three ways to run: `all` (api, pages and worker in one
 * process; the default of `npm start`), `api`, and `worker`.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const mode = parseMode(process.argv[2]);
  const config = resolveConfig();
  if (mode === 'worker' && config.redisUrl === null) throw new ConfigError('REDIS_URL', 'is required to run a separate worker process');
  let embedded: EmbeddedPostgres | null = null;
  if (config.databaseUrl === null) embedded = await startEmbeddedPostgres(config.dataDir);
  const options = { config, mode, databaseUrl: config.databaseUrl ?? embedded!.url, embedded: embedded !== null };
  const stopEmbedded = async () => embedded?.stop();

  if (mode === 'worker') {
    const context = await createWorkerContext(options);
    await runMigrations(context.get(DataSource), options.embedded);
    await context.init();
    new Logger('Main').log('worker started');
    process.once('SIGTERM', () => void context.close().then(stopEmbedded));
    return;
  }

  const app = await createHttpApp(options);
  await runMigrations(app.get(DataSource), options.embedded);
  const seed = app.get(DemoDataSeed);
  const seeded = embedded !== null && (await seed.isEmpty()) ? await seed.run() : null;
  await app.listen(config.port, '0.0.0.0');
  app.get(DataSource); // fail now, not on the first request, if the database went away
  const url = config.publicUrl;
  const lines = [
    `Mentor supplier portal is running at ${url} (${mode === 'all' ? 'api, pages and worker' : 'api'}; ${embedded ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL'}; ${config.redisUrl ? 'BullMQ on Redis' : 'in-process jobs'}) after ${Date.now() - started} ms`,
    `API documentation: ${url}/api/docs`,
  ];
  if (embedded) {
    lines.push(seeded ? 'Demo data created. Demo sign-ins:' : 'Demo sign-ins:');
    for (const signIn of DEMO_SIGN_INS) lines.push(`  ${signIn.role.padEnd(12)} ${signIn.email.padEnd(38)} ${signIn.password}`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  const shutdown = () => void app.close().then(stopEmbedded).then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

function parseMode(arg: string | undefined): RunMode {
  if (arg === undefined || arg === 'all' || arg === 'api' || arg === 'worker') return arg ?? 'all';
  throw new ConfigError('mode', `must be all, api or worker (got "${arg}")`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
