import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainErrorCode, DomainException } from './domain.exception';
import { toErrorBody } from './http-exception.filter';
import { RuleError } from './rule-error';

describe('toErrorBody', () => {
  it.each([
    [DomainErrorCode.NotFound, 404, 'Not Found'],
    [DomainErrorCode.Conflict, 409, 'Conflict'],
    [DomainErrorCode.RuleViolation, 422, 'Unprocessable Entity'],
    [DomainErrorCode.InvalidInput, 422, 'Unprocessable Entity'],
    [DomainErrorCode.Forbidden, 403, 'Forbidden'],
    [DomainErrorCode.Unauthenticated, 401, 'Unauthorized'],
  ])('maps the domain code %s to %i', (code, statusCode, error) => {
    const detail = { field: 'x', rule: 'r', message: 'm' };
    expect(toErrorBody(new DomainException(code, 'msg', [detail]))).toEqual({ statusCode, error, message: 'msg', details: [detail] });
  });

  it('maps a rule error to 422 with its code as the rule, and to 409 when it is a conflict', () => {
    const refused = new RuleError('calendar_month', "'0000-01' is not a calendar month (YYYY-MM)", { field: 'month', values: { month: '0000-01' } });
    expect(toErrorBody(refused)).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'The request breaks a rule',
      details: [{ field: 'month', rule: 'calendar_month', message: "'0000-01' is not a calendar month (YYYY-MM)", values: { month: '0000-01' } }],
    });
    expect(toErrorBody(new RuleError('claim_stale', 'the frame changed', { conflict: true }))).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'The request conflicts with stored data',
      details: [{ rule: 'claim_stale', message: 'the frame changed' }],
    });
  });

  it('keeps a plain Error, a broken internal invariant, a 500', () => {
    expect(toErrorBody(new RangeError('the denominator must be above 0, got 0')).statusCode).toBe(500);
  });

  it('keeps the message of Nest HTTP exceptions', () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /x'))).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /x', details: [] });
    expect(toErrorBody(new BadRequestException('Validation failed (uuid is expected)'))).toEqual({ statusCode: 400, error: 'Bad Request', message: 'Validation failed (uuid is expected)', details: [] });
    expect(toErrorBody(new HttpException('Too Many Requests', 429)).statusCode).toBe(429);
  });

  it('hides everything about an unexpected error', () => {
    const body = toErrorBody(new Error('relation "secret_table" does not exist at /srv/app.js:1'));
    expect(body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'An unexpected error occurred', details: [] });
  });

  it('maps PostgreSQL refusing a NUL character to 422, and other database errors to 500', () => {
    const refused = (code: string) => new QueryFailedError('INSERT …', [], Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code }));
    expect(toErrorBody(refused('22021'))).toMatchObject({ statusCode: 422, details: [{ rule: 'text_character' }] });
    expect(toErrorBody(refused('22P05'))).toMatchObject({ statusCode: 422, details: [{ rule: 'text_character' }] });
    expect(toErrorBody(refused('23514')).statusCode).toBe(500);
  });

  it('maps body-parser errors to 400 and 413', () => {
    expect(toErrorBody({ type: 'entity.parse.failed', status: 400 }).statusCode).toBe(400);
    expect(toErrorBody({ type: 'entity.too.large', status: 413, limit: 100 })).toMatchObject({ statusCode: 413, details: [{ field: 'body', rule: 'max_size', values: { limit: 100 } }] });
    expect(toErrorBody({ type: 'encoding.unsupported', status: 415 })).toMatchObject({ statusCode: 415 });
    expect(toErrorBody({ type: 'entity.too.deep', status: 400, limit: 64 })).toMatchObject({ statusCode: 400, details: [{ field: 'body', rule: 'max_depth', values: { limit: 64 } }] });
    expect(toErrorBody({ type: 'entity.text.malformed', status: 400 })).toMatchObject({ statusCode: 400, details: [{ field: 'body', rule: 'unicode' }] });
  });
});
