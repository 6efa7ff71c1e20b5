import type { NestExpressApplication } from '@nestjs/platform-express';
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from '../src/bootstrap';
import { JobQueue } from '../src/common/queue/job-queue';
import { PasswordHasher } from '../src/identity/password';
import { makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { statusCode?: number; message?: string; details?: unknown[] };
  ms: number;
}

/** A sign-in over a real connection, from a chosen local address (127.0.0.0/8 is all loopback). */
function postLogin(port: number, body: object, options: { from?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const payload = JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const call = httpRequest(
      { host: '127.0.0.1', port, path: '/api/v1/auth/login', method: 'POST', localAddress: options.from ?? '127.0.0.1', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), ...options.headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'), ms: performance.now() - started }));
      },
    );
    call.on('error', reject);
    call.end(payload);
  });
}

interface Spec {
  body: object;
  headers: Record<string, string>;
}

// The flood's client, in a process of its own as an attacker's would be: its work is not the server's.
const FLOOD_CLIENT = `
const http = require('node:http');
const port = Number(process.argv[1]);
const specs = JSON.parse(process.argv[2]);
const one = (spec) => new Promise((resolve) => {
  const started = performance.now();
  const body = JSON.stringify(spec.body);
  const call = http.request({ host: '127.0.0.1', port, path: '/api/v1/auth/login', method: 'POST', agent: false,
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...spec.headers } }, (response) => {
    const chunks = [];
    response.on('data', (chunk) => chunks.push(chunk));
    response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'), ms: performance.now() - started }));
  });
  call.on('error', (error) => resolve({ status: 0, headers: {}, body: { message: String(error) }, ms: performance.now() - started }));
  call.end(body);
}).then((answer) => process.stdout.write(JSON.stringify(answer) + '\\n'));
specs.forEach(one);
`;

/** Sends all the sign-ins at once from another process; `answers` grows as they come back, `done` resolves with all. */
function flood(port: number, specs: Spec[]): { answers: Answer[]; done: Promise<Answer[]> } {
  const answers: Answer[] = [];
  const done = new Promise<Answer[]>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', FLOOD_CLIENT, String(port), JSON.stringify(specs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (buffered + chunk.toString('utf8')).split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) answers.push(JSON.parse(line) as Answer);
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && answers.length === specs.length ? resolve(answers) : reject(new Error(`flood client exited with ${code} after ${answers.length} answers`))));
  });
  return { answers, done };
}

/** Waits until the condition holds, checking every 10 ms. */
async function until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  for (const started = Date.now(); !condition(); ) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function listen(app: NestExpressApplication): Promise<number> {
  await app.listen(0, '127.0.0.1');
  return (app.getHttpServer().address() as AddressInfo).port;
}

const countBy = (answers: Answer[]) => answers.reduce<Record<number, number>>((counts, answer) => ({ ...counts, [answer.status]: (counts[answer.status] ?? 0) + 1 }), {});

describe('sign-in under a flood of bogus logins', () => {
  let t: TestApp;
  let port: number;
  let real: TestUser;

  beforeAll(async () => {
    // TRUST_PROXY is not set: X-Forwarded-For is not believed, whatever it says.
    t = await startTestApp({ env: { LOGIN_ADDRESS_LIMIT: '100', LOGIN_HASH_CONCURRENCY: '1', LOGIN_HASH_QUEUE: '128' } });
    real = await makeUser(t, 'caseworker');
    port = await listen(t.app);
  });
  afterAll(() => t.close());

  it('answers a real sign-in within a second while the checks of 200 bogus ones from one address with rotated X-Forwarded-For still wait', async () => {
    const flooding = flood(
      port,
      Array.from({ length: 200 }, (_, i) => ({
        body: { email: `bogus-${i}@flood.example`, password: `guess-${i}-123456` },
        headers: { 'X-Forwarded-For': `203.0.113.${i % 250}, 198.51.100.${i % 200}` },
      })),
    );
    // The flood has been taken in: its refusals are back, and its password checks are running and waiting.
    const hasher = t.app.get(PasswordHasher);
    await until('the flood is refused or queued', () => flooding.answers.filter((a) => a.status === 429).length === 100 && hasher.load.waiting >= 10);

    const answer = await postLogin(port, { email: real.email, password: real.password }, { from: '127.0.0.2' });
    const stillQueued = hasher.load.waiting;
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(1000);
    // It did not wait for the flood's checks to drain: some were still waiting when it was answered.
    expect(stillQueued).toBeGreaterThan(0);

    const answers = await flooding.done;
    // The rotated header did not make them 200 addresses: one address got its 100 checks, the rest were refused.
    expect(countBy(answers)).toEqual({ 401: 100, 429: 100 });
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.every((a) => Number(a.headers['retry-after']) >= 1 && a.body.statusCode === 429)).toBe(true);
    // The refusals were answered without a password check: none waited for the hashing queue to drain.
    expect(Math.max(...refused.map((a) => a.ms))).toBeLessThan(Math.max(...answers.filter((a) => a.status === 401).map((a) => a.ms)));
  });
});

describe('sign-in through a trusted proxy, when the hashing queue is full or everyone\'s budget is spent', () => {
  let t: TestApp;
  let port: number;
  let real: TestUser;

  beforeAll(async () => {
    // Behind a proxy on loopback: X-Forwarded-For names the client, so each bogus login below is another address.
    t = await startTestApp({ env: { TRUST_PROXY: 'loopback', LOGIN_HASH_CONCURRENCY: '1', LOGIN_HASH_QUEUE: '2', LOGIN_GLOBAL_LIMIT: '10' } });
    real = await makeUser(t, 'finance');
    port = await listen(t.app);
  });
  afterAll(() => t.close());

  it('answers a full queue at once with 503, Retry-After and the error shape in the language asked for', async () => {
    const danish = (i: number) => i % 2 === 1;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        postLogin(port, { email: `bogus-${i}@botnet.example`, password: `guess-${i}-123456` }, { headers: { 'X-Forwarded-For': `192.0.2.${i + 1}`, 'Accept-Language': danish(i) ? 'da' : 'en' } }),
      ),
    );
    expect(answers.filter((a) => a.status !== 503 && a.status !== 401)).toEqual([]);
    // One check runs and two wait; how many finish while the 30 arrive depends on the machine, but most are turned away.
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThanOrEqual(15);
    answers.forEach((answer, i) => {
      if (answer.status !== 503) return;
      expect(answer.headers['retry-after']).toBe('1');
      expect(answer.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: danish(i) ? 'Log-ind har travlt lige nu. Prøv igen om et øjeblik.' : 'Sign-in is busy right now. Try again in a moment.',
        details: [{ rule: 'sign_in_capacity', message: danish(i) ? 'Log-ind har travlt lige nu. Prøv igen om et øjeblik.' : 'every password check of this server is taken; try again after Retry-After seconds', values: { retryAfterSeconds: 1 } }],
      });
    });
  });

  it('refuses addresses that failed this minute once everyone\'s budget is spent, but lets an address without failures sign in', async () => {
    // The test above spent part of the budget of 10; these spend the rest, one at a time.
    let refused: Answer | undefined;
    for (let i = 0; i < 12 && !refused; i += 1) {
      const answer = await postLogin(port, { email: `again-${i}@botnet.example`, password: 'guess-123456' }, { headers: { 'X-Forwarded-For': `192.0.2.${(i % 3) + 1}` } });
      if (answer.status === 429) refused = answer;
      else expect(answer.status).toBe(401);
    }
    expect(refused?.body.details).toEqual([{ rule: 'sign_in_attempts', message: 'too many failed sign-ins; try again after Retry-After seconds', values: { retryAfterSeconds: expect.any(Number) } }]);
    expect((await postLogin(port, { email: real.email, password: 'wrong-password-1' }, { headers: { 'X-Forwarded-For': '192.0.2.1' } })).status).toBe(429);
    expect((await postLogin(port, { email: real.email, password: real.password }, { headers: { 'X-Forwarded-For': '198.51.100.7' } })).status).toBe(200);
  });
});

describe('sign-in budgets shared by processes through Redis', () => {
  let first: TestApp;
  let second: NestExpressApplication;

  beforeAll(async () => {
    first = await startTestApp({ env: { LOGIN_RATE_LIMIT: '2' } });
    // A second api process of the same deployment: same database, same Redis prefix.
    second = await createHttpApp({ config: first.config, mode: 'api', databaseUrl: first.databaseUrl, embedded: false, queuePrefix: first.queuePrefix });
    await second.init();
  });
  afterAll(async () => {
    await second.get(JobQueue).drain();
    await second.close();
    await first.close();
  });

  it('refuses in one process what was spent in the other', async () => {
    const [firstPort, secondPort] = [await listen(first.app), await listen(second)];
    const body = { email: 'shared@test.mentorportal.dk', password: 'guess-123456' };
    expect((await postLogin(firstPort, body)).status).toBe(401);
    expect((await postLogin(firstPort, body)).status).toBe(401);
    expect((await postLogin(secondPort, body)).status).toBe(429);
  });
});
