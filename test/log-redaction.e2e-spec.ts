import { bearer, makeUser, startTestApp, type TestApp } from './support/test-app';

/** With logging at debug, a CPR number sent in bodies, queries and errors never reaches a log line. */
describe('CPR numbers in logs', () => {
  let t: TestApp;
  const written: string[] = [];
  const originalWrite = process.stdout.write.bind(process.stdout);

  beforeAll(async () => {
    process.stdout.write = ((chunk: string | Uint8Array) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof process.stdout.write;
    t = await startTestApp({ env: { LOG_LEVEL: 'debug' } });
  });
  afterAll(async () => {
    await t.close();
    process.stdout.write = originalWrite;
  });

  it('logs requests but scrubs the CPR from URLs and never logs bodies', async () => {
    const caseworker = await makeUser(t, 'caseworker');
    const cpr = '1206871234';
    await t.http.post('/api/v1/citizens').set(bearer(caseworker.token)).send({ cpr: '120687-1234', name: 'Log Testesen', caseNumber: 'LOG-1', targetGroup: 'sickness_benefit' }).expect(201);
    await t.http.get('/api/v1/citizens').query({ cpr }).set(bearer(caseworker.token)).expect(200);
    await t.http.post('/api/v1/citizens').set(bearer(caseworker.token)).send({ cpr: '120687-1234', name: 'Twin', caseNumber: 'LOG-2', targetGroup: 'sickness_benefit' }).expect(409);
    const logs = written.join('');
    expect(logs).toContain('"url":"/api/v1/citizens?cpr=XXXXXX-XXXX"');
    expect(logs).not.toContain(cpr);
    expect(logs).not.toContain('120687-1234');
    expect(logs).not.toContain(caseworker.token);
  });
});
