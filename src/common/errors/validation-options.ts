import { ValidationError, ValidationPipeOptions } from '@nestjs/common';
import { DomainErrorCode, DomainException, ErrorDetail } from './domain.exception';

/** Flattens class-validator errors into field paths with one detail per broken rule. */
export function validationDetails(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule: rule === 'whitelistValidation' ? 'unknown_field' : rule,
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
