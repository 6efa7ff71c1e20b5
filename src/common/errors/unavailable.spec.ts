import { QueryFailedError } from 'typeorm';
import { toErrorBody } from './http-exception.filter';
import { isDependencyUnavailable } from './unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDependencyUnavailable', () => {
  it.each([
    ['nothing listens', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['the peer went away', withCode('read ECONNRESET', 'ECONNRESET')],
    ['an administrator ended the session', withCode('terminating connection due to administrator command', '57P01')],
    ['the server is starting up', withCode('the database system is starting up', '57P03')],
    ['the connection failed', withCode('connection failure', '08006')],
    ['the database lets no one in', withCode('database "portal" is not currently accepting connections', '55000')],
    ['pg lost the connection', new Error('Connection terminated unexpectedly')],
    ['pg-pool waited too long', new Error('timeout exceeded when trying to connect')],
    ['ioredis closed', new Error('Connection is closed.')],
    ['ioredis gave up', Object.assign(new Error('Reached the max retries per request limit (which is 1). Refer to "maxRetriesPerRequest" option for details.'), { name: 'MaxRetriesPerRequestError' })],
    ['TypeORM wrapping it', new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly'))],
    ['a cause', new Error('enqueue failed', { cause: withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED') })],
    ['an AggregateError of both addresses', Object.assign(new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''), {})],
  ])('is so when %s', (_case, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
    expect(toErrorBody(error)).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'The portal cannot reach its data right now. Please try again in a moment.', details: [] });
  });

  it.each([
    ['a failed check', new QueryFailedError('INSERT …', [], withCode('new row violates check constraint', '23514'))],
    ['another 55000', withCode('cannot refresh materialized view concurrently', '55000')],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'Connection is closed.'],
    ['null', null],
  ])('is not so for %s, which stays a 500', (_case, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
    expect(toErrorBody(error).statusCode).toBe(500);
  });
});
