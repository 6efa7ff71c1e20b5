import type { IncomingMessage } from 'node:http';
import { pino } from 'pino';
import type { Options } from 'pino-http';
import { loggerOptions } from './logger.options';

describe('request ids', () => {
  const genReqId = (loggerOptions('info').pinoHttp as Options).genReqId!;
  const idFor = (given: string | undefined) => genReqId({ headers: given === undefined ? {} : { 'x-request-id': given } } as IncomingMessage, undefined as never);

  it('takes the id a client gives', () => {
    expect(idFor('req-2026-abc_1')).toBe('req-2026-abc_1');
  });

  it.each(['0102031234', '010203-1234', 'x-010203-1234'])('makes a new id instead of %s, which looks like a CPR number', (given) => {
    expect(idFor(given)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('makes a new id when none or a malformed one is given', () => {
    expect(idFor(undefined)).not.toBe(idFor(undefined));
    expect(idFor('a b')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('start-up detail', () => {
  it('logs the routes and modules Nest maps at debug level, everything else at its own', () => {
    const lines: Array<{ level: string; msg: string }> = [];
    const options = loggerOptions('info').pinoHttp as Options;
    const logger = pino({ level: 'debug', hooks: options.hooks, formatters: options.formatters }, { write: (line: string) => lines.push(JSON.parse(line)) });
    logger.info({ context: 'RoutesResolver' }, 'AppController {/}:');
    logger.info({ context: 'RouterExplorer' }, 'Mapped {/, GET} route');
    logger.info({ context: 'Main' }, 'worker started');
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      ['debug', 'AppController {/}:'],
      ['debug', 'Mapped {/, GET} route'],
      ['info', 'worker started'],
    ]);
  });
});
