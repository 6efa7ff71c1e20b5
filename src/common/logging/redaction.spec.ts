import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { percentDecode, scrubCpr, scrubUrl, scrubValue } from './redaction';

describe('CPR scrubbing', () => {
  it.each([
    ['citizen 010203-1234 created', 'citizen XXXXXX-XXXX created'],
    ['cpr=0102031234&x=1', 'cpr=XXXXXX-XXXX&x=1'],
    ['two: 311299-0001, 010100 4321', 'two: XXXXXX-XXXX, XXXXXX-XXXX'],
    ['invoice 12345 of 2026-11-01', 'invoice 12345 of 2026-11-01'],
    ['eleven digits 12345678901 stay', 'eleven digits 12345678901 stay'],
    ['EAN 5790000436101', 'EAN 5790000436101'],
    ['en dash 010203\u20131234', 'en dash XXXXXX-XXXX'],
    ['em dash 010203\u20141234', 'em dash XXXXXX-XXXX'],
    ['dot 010203.1234', 'dot XXXXXX-XXXX'],
    ['plus 010203+1234', 'plus XXXXXX-XXXX'],
    ['blanks 010203 - 1234', 'blanks XXXXXX-XXXX'],
    ['encoded /citizens/010203%2D1234', 'encoded /citizens/XXXXXX-XXXX'],
    ['every digit encoded %30%31%30%32%30%33%31%32%33%34', 'every digit encoded XXXXXX-XXXX'],
    ['no CPR keeps its escapes a%20b', 'no CPR keeps its escapes a%20b'],
  ])('%s', (input, expected) => {
    expect(scrubCpr(input)).toBe(expected);
  });

  it('scrubs nested objects, arrays and errors', () => {
    const error = new Error('bad 010203-1234');
    expect(scrubValue({ a: ['0102031234'], b: { c: 'x 010203-1234' }, n: 5, err: error })).toEqual({
      a: ['XXXXXX-XXXX'],
      b: { c: 'x XXXXXX-XXXX' },
      n: 5,
      err: { type: 'Error', message: 'bad XXXXXX-XXXX', stack: expect.not.stringContaining('010203') },
    });
  });

  it('leaves the request and the response to their serializers, prototype and all', () => {
    const req = new IncomingMessage(new Socket());
    const res = new ServerResponse(req);
    const scrubbed = scrubValue({ req, res, note: '0102031234' }) as Record<string, unknown>;
    expect(scrubbed.req).toBe(req);
    expect(scrubbed.res).toBe(res);
    expect(scrubbed.note).toBe('XXXXXX-XXXX');
  });
});

describe('request URLs in logs', () => {
  it.each([
    ['/api/v1/citizens?search=010203%2B1234', '/api/v1/citizens?search=[redacted]'],
    ['/api/v1/citizens?cpr=0102031234&page=2', '/api/v1/citizens?cpr=[redacted]&page=2'],
    ['/grants/new?citizenQuery=Anne+Hansen', '/grants/new?citizenQuery=[redacted]'],
    ['/grants?sort=citizen&cursor=WyJjaXRpemVuIl0', '/grants?sort=citizen&cursor=[redacted]'],
    ['/api/v1/citizens?Q=anne+hansen&CPR=x&Term=y&QUERY=z', '/api/v1/citizens?Q=[redacted]&CPR=[redacted]&Term=[redacted]&QUERY=[redacted]'],
    ['/api/v1/citizens?note=010203%2B1234', '/api/v1/citizens?note=XXXXXX-XXXX'],
    ['/api/v1/citizens?note=010203+1234', '/api/v1/citizens?note=XXXXXX-XXXX'],
    ['/api/v1/citizens?note=010203%201234', '/api/v1/citizens?note=XXXXXX-XXXX'],
    ['/api/v1/citizens?note=010203%E2%80%931234', '/api/v1/citizens?note=XXXXXX-XXXX'],
    ['/api/v1/citizens?note=010203.1234', '/api/v1/citizens?note=XXXXXX-XXXX'],
    ['/api/v1/citizens?note=010203%252D1234', '/api/v1/citizens?note=XXXXXX-XXXX'],
    ['/api/v1/citizens/010203%2D1234/grants', '/api/v1/citizens/XXXXXX-XXXX/grants'],
    ['/api/v1/grants?status=active&from=2026-01-01', '/api/v1/grants?status=active&from=2026-01-01'],
    ['/api/v1/x?note=100%&bad=%E2%80&s%65arch=1', '/api/v1/x?note=100%&bad=\ufffd&search=[redacted]'],
    ['/auth/oidc/callback?code=Sx1-abc&state=k9&iss=https%3A%2F%2Fbroker.example', '/auth/oidc/callback?code=[redacted]&state=[redacted]&iss=https://broker.example'],
    ['/plain', '/plain'],
  ])('%s', (url, expected) => {
    expect(scrubUrl(url)).toBe(expected);
  });

  it('decodes a malformed escape without throwing', () => {
    expect(percentDecode('%E0%A4%A')).toBe('\ufffd%A');
    expect(() => decodeURIComponent('%E0%A4%A')).toThrow(URIError);
  });
});
