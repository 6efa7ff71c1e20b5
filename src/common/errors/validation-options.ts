import { ValidationError, ValidationPipeOptions } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CommonErrorCode } from './common.errors';
import { DomainErrorCode, DomainException, ErrorDetail } from './domain.exception';

/** Flattens class-validator errors into field paths with one detail per broken rule. */
export function validationDetails(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      // class-validator's constraint names are the codes (CommonErrorCode, and each module's own validators).
      rule: rule === 'whitelistValidation' ? CommonErrorCode.UnknownField : rule,
      message: rule === 'whitelistValidation' ? `${field} is not an accepted field` : message,
    }));
    return [...own, ...validationDetails(error.children ?? [], field)];
  });
}

export const validationOptions: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) =>
    new DomainException(DomainErrorCode.InvalidInput, 'The request has invalid fields', validationDetails(errors)),
};

/**
 * Validates a plain body with a DTO outside the global pipe (guards, page
 * forms), with the pipe's rules and the same error detail shape.
 */
export async function validateBody<T extends object>(dto: new () => T, plain: unknown, message: string): Promise<T> {
  const instance = plainToInstance(dto, plain ?? {});
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new DomainException(DomainErrorCode.InvalidInput, message, validationDetails(errors));
  return instance;
}
