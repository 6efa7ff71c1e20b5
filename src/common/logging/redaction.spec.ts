import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { scrubCpr, scrubValue } from './redaction';

describe('CPR scrubbing', () => {
  it.each([
    ['citizen 010203-1234 created', 'citizen XXXXXX-XXXX created'],
    ['cpr=0102031234&x=1', 'cpr=XXXXXX-XXXX&x=1'],
    ['two: 311299-0001, 010100 4321', 'two: XXXXXX-XXXX, XXXXXX-XXXX'],
    ['invoice 12345 of 2026-11-01', 'invoice 12345 of 2026-11-01'],
    ['eleven digits 12345678901 stay', 'eleven digits 12345678901 stay'],
    ['EAN 5790000436101', 'EAN 5790000436101'],
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
