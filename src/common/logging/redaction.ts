import { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A CPR number is ten digits, DDMMYY-SSSS, with or without the dash. Anything
 * in a log line that looks like one is replaced before it is written.
 */
const cprPattern = /(?<![\d])(\d{6})[- ]?(\d{4})(?![\d])/g;

export function scrubCpr(text: string): string {
  return text.replace(cprPattern, 'XXXXXX-XXXX');
}

/** Recursively scrubs CPR-like values from strings inside a log object. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubCpr(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  // The request and response go to their own serializers (a scrubbed URL, the status); a copy would lose
  // the response's prototype getters, and with them its status code.
  if (value instanceof IncomingMessage || value instanceof ServerResponse) return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  if (value instanceof Error) {
    return { type: value.name, message: scrubCpr(value.message), stack: value.stack ? scrubCpr(value.stack) : undefined };
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubValue(item, depth + 1);
  return out;
}

/** Paths pino removes outright: credentials and the sensitive fields themselves. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.cpr',
  '*.sessionSecret',
  '*.cprEncryptionKey',
];
