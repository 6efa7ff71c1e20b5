import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { SuppliersErrorCode } from './suppliers.errors';

// The Central Business Register's modulus-11 weights, first digit to last.
const CVR_WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1];

/** A Danish CVR number: 8 digits, no leading 0, weighted digit sum divisible by 11. */
export function isValidCvr(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[1-9]\d{7}$/.test(value)) return false;
  const sum = CVR_WEIGHTS.reduce((total, weight, i) => total + weight * Number(value[i]), 0);
  return sum % 11 === 0;
}

/** A GLN (EAN location number) used for e-invoice routing: 13 digits ending in the GS1 check digit. */
export function isValidGln(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{13}$/.test(value)) return false;
  return gs1CheckDigit(value.slice(0, 12)) === Number(value[12]);
}

// GS1: from the right of the payload, weights alternate 3, 1, 3, …; the check digit tops the sum up to a multiple of 10.
function gs1CheckDigit(payload: string): number {
  const sum = [...payload].reverse().reduce((total, digit, i) => total + Number(digit) * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10;
}

/** class-validator rule `cvr_check`: the value is a string CVR number with a valid check digit. */
export function IsCvr(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: SuppliersErrorCode.CvrCheck,
      validator: {
        validate: (value: unknown) => isValidCvr(value),
        defaultMessage: buildMessage(
          (eachPrefix, args) => `${eachPrefix}${args?.property ?? 'cvr'} must be 8 digits with a valid modulus-11 check digit`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}

/** class-validator rule `gln_check`: the value is a string GLN with a valid GS1 check digit. */
export function IsGln(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: SuppliersErrorCode.GlnCheck,
      validator: {
        validate: (value: unknown) => isValidGln(value),
        defaultMessage: buildMessage(
          (eachPrefix, args) => `${eachPrefix}${args?.property ?? 'gln'} must be 13 digits with a valid GS1 check digit`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}
