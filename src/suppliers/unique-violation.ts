import { QueryFailedError } from 'typeorm';
import { DomainException } from '../common/errors/domain.exception';
import { CommonErrorCode } from '../common/errors/common.errors';

/** Turns a PostgreSQL unique (23505) or foreign-key (23503) violation into a domain error naming the field, else rethrows. */
export function explainConstraint(error: unknown, uniqueFields: Record<string, string>, foreignFields: Record<string, string> = {}): never {
  const driver = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string; detail?: string }) : undefined;
  if (driver?.code === '23505') {
    const field = Object.entries(uniqueFields).find(([constraint]) => driver.constraint === constraint)?.[1] ?? Object.values(uniqueFields)[0];
    throw DomainException.conflict(`Another record already has this ${field}`, [{ field, rule: CommonErrorCode.Unique, message: `the ${field} is already in use` }]);
  }
  if (driver?.code === '23503') {
    const field = Object.entries(foreignFields).find(([constraint]) => driver.constraint === constraint)?.[1];
    if (field) throw DomainException.rule(`The ${field} does not exist`, [{ field, rule: CommonErrorCode.Exists, message: `no record has this ${field}` }]);
  }
  throw error;
}
