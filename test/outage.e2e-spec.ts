import IORedis from 'ioredis';
import { Client, Pool } from 'pg';
import request from 'supertest';
import { toErrorBody } from '../src/common/errors/http-exception.filter';
import { freePort } from './support/processes';
import { TEST_PG_URL } from './support/test-env';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * The database unreachable while the app runs: every route answers 503 with Retry-After and the one
 * error shape, pages show the error page, and /health names states only, never the driver's error text.
 */
describe('database unreachable', () => {
  let t: TestApp;
  let caseworker: TestUser;
  let admin: Client;
  let database: string;
  let pages: ReturnType<typeof request.agent>;

  beforeAll(async () => {
    t = await startTestApp();
    caseworker = await makeUser(t, 'caseworker');
    pages = request.agent(t.app.getHttpServer());
    const form = await pages.get('/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    await pages.post('/login').type('form').send({ _csrf: csrf, email: caseworker.email, password: caseworker.password }).expect(303);
    database = new URL(t.databaseUrl).pathname.slice(1);
    admin = new Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    // As during a failover: no new session is let in, and every open one is ended.
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    await admin.end();
    await t.close();
  });

  it('answers 503 with Retry-After and a Danish message on an API route', async () => {
    const response = await t.http.get('/api/v1/citizens').set(bearer(caseworker.token)).expect(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'Portalen kan ikke nå sine data lige nu. Prøv igen om lidt.', details: [] });
  });

  it('answers in English when English is asked for, also on a sign-in', async () => {
    const response = await t.http.post('/api/v1/auth/login?lang=en').send({ email: caseworker.email, password: caseworker.password }).expect(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'The portal cannot reach its data right now. Please try again in a moment.', details: [] });
  });

  it('shows the error page with 503 on a page', async () => {
    const response = await pages.get('/grants').set('Accept', 'text/html').expect(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.text).toContain('<h1 id="error-heading">Portalen er midlertidigt utilgængelig</h1>');
    expect(response.text).toContain('<p id="error-retry">Prøv igen om 30 sekunder.</p>');
    expect(response.text).toContain('Portalen kan ikke nå sine data lige nu. Prøv igen om lidt.');
  });

  it('says on /health only that the database is down', async () => {
    const response = await t.http.get('/health').expect(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.body).toEqual({ status: 'error', database: 'down', redis: 'up' });
  });
});

/** What the real drivers throw when nothing listens is what the error filter takes for an outage. */
describe('drivers facing a closed port', () => {
  const unavailable = { statusCode: 503, error: 'Service Unavailable', message: 'The portal cannot reach its data right now. Please try again in a moment.', details: [] };

  it('pg: a pool connecting to a closed port answers 503', async () => {
    const pool = new Pool({ host: '127.0.0.1', port: await freePort(), user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2_000 });
    const error = await pool.query('SELECT 1').then(() => null, (caught: unknown) => caught);
    await pool.end();
    expect(toErrorBody(error)).toEqual(unavailable);
  });

  it('ioredis: a command that runs out of retries answers 503', async () => {
    const redis = new IORedis({ host: '127.0.0.1', port: await freePort(), maxRetriesPerRequest: 1, retryStrategy: () => 50, lazyConnect: true });
    redis.on('error', () => undefined);
    const error = await redis.ping().then(() => null, (caught: unknown) => caught);
    redis.disconnect();
    expect(toErrorBody(error)).toEqual(unavailable);
  });
});
