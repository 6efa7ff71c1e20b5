import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createHttpApp, runMigrations } from '../src/bootstrap';
import { resolveConfig } from '../src/common/config/config.loader';
import { startEmbeddedPostgres } from '../src/common/database/embedded-postgres';
import { DEMO_SIGN_INS, DemoDataSeed } from '../src/demo/demo-data.seed';

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
    expect(health.body.info).toEqual({ database: { status: 'up', responseTime: expect.any(Number) }, queue: { status: 'up', driver: 'in-process' } });
    const secret = first.config.sessionSecret;
    await first.app.close();
    await first.embedded.stop();

    const second = await boot();
    expect(second.config.sessionSecret).toBe(secret);
    expect(await second.app.get(DemoDataSeed).isEmpty()).toBe(false);
    const finance = DEMO_SIGN_INS.find((signIn) => signIn.role === 'finance')!;
    const login = await request(second.app.getHttpServer()).post('/api/v1/auth/login').send({ email: finance.email, password: finance.password }).expect(200);
    expect(login.body.user.role).toBe('finance');
    await second.app.close();
    await second.embedded.stop();
  }, 120_000);
});
