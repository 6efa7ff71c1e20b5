import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createHttpApp, runMigrations } from '../src/bootstrap';
import { resolveConfig } from '../src/common/config/config.loader';
import { startEmbeddedPostgres } from '../src/common/database/embedded-postgres';
import { DEMO_SIGN_INS, DemoDataSeed } from '../src/demo/demo-data.seed';

async function waitFor(done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The demo mode of `npm start`: no DATABASE_URL, no REDIS_URL; data persists under DATA_DIR. */
describe('embedded demo mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mentor-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function boot() {
    const config = resolveConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const embedded = await startEmbeddedPostgres(config.dataDir);
    const app = await createHttpApp({ config, mode: 'all', databaseUrl: embedded.url, embedded: true });
    await runMigrations(app.get(DataSource), true);
    await app.init();
    return { app, embedded, config };
  }

  it('migrates and seeds on first start, finds its data and secrets again on the second, and refuses a second process', async () => {
    const first = await boot();
    const seed = first.app.get(DemoDataSeed);
    expect(await seed.isEmpty()).toBe(true);
    const { created } = await seed.run();
    expect(created).toBe(DEMO_SIGN_INS.length + 3 + 3 + 4 * 4 + 2 * 4 + 1 + 5 + 5 + 2);
    expect((await seed.run()).created).toBe(0);
    await expect(startEmbeddedPostgres(dataDir)).rejects.toThrow(`is in use by process ${process.pid}`);
    const health = await request(first.app.getHttpServer()).get('/health').expect(200);
    expect(health.body).toEqual({ status: 'ok', database: 'up', redis: 'not configured' });
    const secret = first.config.sessionSecret;
    await first.app.close();
    await first.embedded.stop();

    const second = await boot();
    expect(second.config.sessionSecret).toBe(secret);
    expect(await second.app.get(DemoDataSeed).isEmpty()).toBe(false);
    const finance = DEMO_SIGN_INS.find((signIn) => signIn.role === 'finance')!;
    const http = request(second.app.getHttpServer());
    const login = await http.post('/api/v1/auth/login').send({ email: finance.email, password: finance.password }).expect(200);
    expect(login.body.user.role).toBe('finance');
    // The whole month close on the embedded database's one connection: nothing inside a transaction may reach for another.
    const auth = { Authorization: `Bearer ${login.body.accessToken as string}` };
    const company = DEMO_SIGN_INS.find((signIn) => signIn.email.startsWith('virksomhed'))!;
    const companyLogin = await http.post('/api/v1/auth/login').send({ email: company.email, password: company.password }).expect(200);
    const companyAuth = { Authorization: `Bearer ${companyLogin.body.accessToken as string}` };
    const grants = await http.get('/api/v1/grants').set(companyAuth).expect(200);
    await http.post('/api/v1/hour-registrations').set(companyAuth).send({ grantId: grants.body.items[0].id, date: '2026-09-21', minutes: 60, contactForm: 'in_person' }).expect(201);
    const selfBilling = await http.post('/api/v1/hour-registrations/2026-09/submit').set(companyAuth).expect(200);
    await http.post(`/api/v1/invoices/${selfBilling.body.id}/approve`).set(auth).send({}).expect(200);
    for (const kind of ['build', 'finalise']) {
      const run = await http.post('/api/v1/billing-runs').set(auth).send({ month: '2026-09', kind }).expect(202);
      await waitFor(async () => (await http.get(`/api/v1/billing-runs/${run.body.id}`).set(auth).expect(200)).body.status === 'completed');
    }
    const statements = await http.get('/api/v1/statements').query({ month: '2026-09' }).set(auth).expect(200);
    expect(statements.body.map((s: { number: string; selfBilled: boolean }) => [s.number, s.selfBilled]).sort()).toEqual([['AF-2026-000001', expect.any(Boolean)], ['AF-2026-000002', expect.any(Boolean)]]);
    await http.put('/api/v1/budgets/2026').set(auth).send({ budgetOre: 650_000_000, frameOre: 224_900_000 }).expect(200);
    const claim = await http.post('/api/v1/refund-claims').set(auth).send({ from: '2026-09-01', to: '2026-09-30' }).expect(202);
    await waitFor(async () => (await http.get(`/api/v1/refund-claims/${claim.body.id}`).set(auth).expect(200)).body.status === 'draft');
    await http.post(`/api/v1/refund-claims/${claim.body.id}/submit`).set(auth).expect(200);
    await second.app.close();
    await second.embedded.stop();
  }, 120_000);
});

/** Every path under dir whose mode lets others write. */
function worldWritable(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    const own = (lstatSync(path).mode & 0o002) !== 0 && !entry.isSymbolicLink() ? [path] : [];
    return entry.isDirectory() ? [...own, ...worldWritable(path)] : own;
  });
}

/** The embedded database is this user's alone: no TCP port, a socket only this user may reach, private files. */
describe('embedded database access', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mentor-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('makes DATA_DIR 0700, leaves no file world-writable and listens only on a private Unix socket', async () => {
    // As an older version left it: a data directory others may enter, holding a file anyone may write.
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'left-behind.json'), '{}', { mode: 0o666 });
    chmodSync(join(dataDir, 'left-behind.json'), 0o666);
    const config = resolveConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const embedded = await startEmbeddedPostgres(config.dataDir);
    try {
      const socketDir = dirname(embedded.socketPath);
      expect(dirname(socketDir)).toBe(dataDir);
      expect(socketDir).toMatch(/\/socket-[A-Za-z0-9]{6}$/);
      expect(embedded.url).toBe(`postgres://postgres@${encodeURIComponent(socketDir)}:5432/postgres`);
      expect(statSync(socketDir).mode & 0o777).toBe(0o700);
      expect(statSync(embedded.socketPath).isSocket()).toBe(true);

      // Files PGlite makes while it runs (every table of the migrations) are not world-writable either.
      const app = await createHttpApp({ config, mode: 'api', databaseUrl: embedded.url, embedded: true });
      await runMigrations(app.get(DataSource), true);
      await app.close();
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, 'demo-secrets.json')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'left-behind.json')).mode & 0o777).toBe(0o600);
      expect(readdirSync(join(dataDir, 'pg', 'base')).length).toBeGreaterThan(0);
      expect(worldWritable(dataDir)).toEqual([]);

      // This user gets in through the socket; the predictable place of a socket holds none.
      const client = new Client({ connectionString: embedded.url });
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await client.end();
      expect(existsSync(join(dataDir, '.s.PGSQL.5432'))).toBe(false);

      // Another user (nobody) is refused at the socket's directory, before PGlite could ask for nothing.
      if (process.getuid?.() === 0) {
        const attempt = spawnSync(process.execPath, ['-e', `require('node:net').connect(${JSON.stringify(embedded.socketPath)}).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); })`], { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 10_000 });
        expect(attempt.stdout.trim()).toBe('EACCES');
      }
    } finally {
      await embedded.stop();
    }
    expect(readdirSync(dataDir).filter((entry) => entry.startsWith('socket-'))).toEqual([]);
    expect(worldWritable(dataDir)).toEqual([]);
  }, 120_000);
});
