import { validateBody } from '../errors/validation-options';

/**
 * Validates a submitted form with the same DTO the API uses. Empty fields are
 * dropped first (an empty select means "none"), so optional fields stay optional;
 * `keepEmpty` names fields where an empty string is a value (e.g. a cleared textarea).
 */
export function parseForm<T extends object>(dto: new () => T, body: unknown, keepEmpty: readonly string[] = []): Promise<T> {
  const plain = Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([key, value]) => value !== '' || keepEmpty.includes(key)));
  return validateBody(dto, plain, 'The form has invalid fields');
}

/** The submitted fields as strings, without the CSRF token; a field of only spaces counts as empty. */
export function formValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (key === '_csrf') continue;
    if (typeof value === 'string') values[key] = value.trim() === '' ? '' : value;
  }
  return values;
}
