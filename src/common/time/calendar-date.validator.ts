import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { isCalendarDate } from './calendar-date';

/** class-validator rule `calendar_date`: a strict 'YYYY-MM-DD' string naming a day that exists. */
export function IsCalendarDateField(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'calendar_date',
      validator: {
        validate: (value: unknown) => isCalendarDate(value),
        defaultMessage: buildMessage((eachPrefix, args) => `${eachPrefix}${args?.property ?? 'date'} must be a date YYYY-MM-DD`, validationOptions),
      },
    },
    validationOptions,
  );
}
