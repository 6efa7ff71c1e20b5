import { percentDecode } from '../src/common/logging/redaction';
import { cprNumbersIn } from './support/log-sweep';
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
    expect(logs).toContain('"url":"/api/v1/citizens?cpr=[redacted]"');
    expect(logs).not.toContain(cpr);
    expect(logs).not.toContain('120687-1234');
    expect(logs).not.toContain(caseworker.token);
  });

  it('leaves no CPR in the request log when the URL encodes it or writes it with +, a blank, an en dash or a dot', async () => {
    const caseworker = await makeUser(t, 'caseworker');
    const from = written.length;
    const urls = [
      '/api/v1/citizens?search=010203%2B1234',
      '/api/v1/citizens?q=010203+1234',
      '/api/v1/citizens?Term=010203%201234',
      '/api/v1/citizens?note=010203%E2%80%931234',
      '/api/v1/citizens?note=010203.1234',
      '/api/v1/citizens/010203%2D1234',
      '/api/v1/citizens?note=%30%31%30%32%30%33%2D%31%32%33%34',
    ];
    for (const url of urls) await t.http.get(url).set(bearer(caseworker.token));
    const lines = written.slice(from).join('').split('\n').filter((line) => line.includes('"url":"/api/v1/citizens'));
    expect(lines).toHaveLength(urls.length);
    // Read as a person would: decoded, `+` a blank, any dash a hyphen.
    const readable = lines.map((line) => percentDecode(line.replace(/\+/g, ' ')).replace(/[\u2013\u2014.]/g, '-'));
    expect(readable.flatMap((line) => cprNumbersIn(line))).toEqual([]);
    expect(readable.join('\n')).not.toMatch(/010203.{0,3}1234/);
    expect(lines.map((line) => (JSON.parse(line) as { req: { url: string } }).req.url)).toEqual([
      '/api/v1/citizens?search=[redacted]',
      '/api/v1/citizens?q=[redacted]',
      '/api/v1/citizens?Term=[redacted]',
      '/api/v1/citizens?note=XXXXXX-XXXX',
      '/api/v1/citizens?note=XXXXXX-XXXX',
      '/api/v1/citizens/XXXXXX-XXXX',
      '/api/v1/citizens?note=XXXXXX-XXXX',
    ]);
  });
});
