import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { CommonErrorCode } from '../errors/common.errors';
import { isCalendarDate, isValidMonth } from './calendar-date';

/** class-validator rule `calendar_date`: a strict 'YYYY-MM-DD' string naming a day that exists. */
export function IsCalendarDateField(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: CommonErrorCode.CalendarDate,
      validator: {
        validate: (value: unknown) => isCalendarDate(value),
        defaultMessage: buildMessage((eachPrefix, args) => `${eachPrefix}${args?.property ?? 'date'} must be a date YYYY-MM-DD`, validationOptions),
      },
    },
    validationOptions,
  );
}

/** class-validator rule `calendar_month`: a strict 'YYYY-MM' string of a month the calendar computes with (year 1000 on). */
export function IsCalendarMonthField(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: CommonErrorCode.CalendarMonth,
      validator: {
        validate: (value: unknown) => isValidMonth(value),
        defaultMessage: buildMessage((eachPrefix, args) => `${eachPrefix}${args?.property ?? 'month'} must be YYYY-MM`, validationOptions),
      },
    },
    validationOptions,
  );
}
