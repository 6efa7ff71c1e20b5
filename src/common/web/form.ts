import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainErrorCode, DomainException } from '../errors/domain.exception';
import { validationDetails } from '../errors/validation-options';

/**
 * Validates a submitted form with the same DTO the API uses. Empty fields are
 * dropped first (an empty select means "none"), so optional fields stay optional;
 * `keepEmpty` names fields where an empty string is a value (e.g. a cleared textarea).
 */
export async function parseForm<T extends object>(dto: new () => T, body: unknown, keepEmpty: readonly string[] = []): Promise<T> {
  const plain = Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([key, value]) => value !== '' || keepEmpty.includes(key)));
  const instance = plainToInstance(dto, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new DomainException(DomainErrorCode.InvalidInput, 'The form has invalid fields', validationDetails(errors));
  return instance;
}
