import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt } from './support/processes';
import { TEST_REDIS_URL } from './support/test-env';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const run = promisify(execFile);

/**
 * `npm run migration:run` and `npm run seed` (`node dist/src/cli.js migrate | seed`) against a live
 * database: they start no job worker and no sweeper, so an unfinished billing run stays for the
 * deployment's own workers instead of being run inside the command.
 */
describe('CLI commands', () => {
  let t: TestApp;
  let finance: TestUser;

  beforeAll(async () => {
    ensureBuilt();
    // An api with Redis and no workers: a run it queues stays queued.
    t = await startTestApp({ mode: 'api' });
    finance = await makeUser(t, 'finance');
  }, 120_000);
  afterAll(() => t.close());

  const cli = (command: 'migrate' | 'seed') =>
    run(process.execPath, [CLI, command], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        DATABASE_URL: t.databaseUrl,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: t.queuePrefix,
        // A run quiet for two lock times (2 s) is what a sweeper plans again.
        QUEUE_LOCK_MS: '1000',
        SESSION_SECRET: t.config.sessionSecret,
        CPR_ENCRYPTION_KEY: t.config.cprEncryptionKey.toString('hex'),
        LOG_LEVEL: 'debug',
        BUSINESS_DATE: t.config.businessDate ?? '',
      },
      timeout: 60_000,
    });

  it('migrate and seed leave a stalled billing run queued and log no job or sweep', async () => {
    const started = await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2026-09' }).expect(202);
    expect(started.body.status).toBe('queued');
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    const migrate = await cli('migrate');
    expect(migrate.stdout).toContain('migrations applied: none pending\n');
    const seed = await cli('seed');
    expect(seed.stdout).toMatch(/demo data: \d+ records created\n/);

    const logs = `${migrate.stdout}${seed.stdout}`;
    expect(logs).not.toContain('planned again');
    expect(logs).not.toContain('"context":"BillingProcessor"');
    expect(logs).not.toContain('"context":"InProcessQueue"');
    const [stored] = (await t.dataSource.query(`SELECT status, started_at FROM billing_run WHERE id = $1`, [started.body.id])) as Array<{ status: string; started_at: Date | null }>;
    expect(stored).toEqual({ status: 'queued', started_at: null });
  }, 120_000);
});
