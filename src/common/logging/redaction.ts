import { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A CPR number is ten digits, DDMMYY-SSSS. It is also written without the dash, with a blank, an en or em
 * dash, a dot or a `+` (a blank in a query string); anything in a log line that looks like one is replaced
 * before it is written.
 */
const cprPattern = /(?<!\d)\d{6}(?:[ \t\u00a0]{0,3}[-+.\u2010-\u2015][ \t\u00a0]{0,3}|[ \t\u00a0]{1,3})?\d{4}(?!\d)/g;
const escapeRun = /(?:%[0-9A-Fa-f]{2})+/g;
const anEscape = /%[0-9A-Fa-f]{2}/;

export function scrubCpr(text: string): string {
  const scrubbed = text.replace(cprPattern, 'XXXXXX-XXXX');
  if (!anEscape.test(text)) return scrubbed;
  // A percent-encoded number (`010203%2D1234`, `%30%31…`) is one only once decoded: then the decoded text is written.
  const decoded = percentDecode(scrubbed);
  return hasCpr(decoded) ? decoded.replace(cprPattern, 'XXXXXX-XXXX') : scrubbed;
}

function hasCpr(text: string): boolean {
  return text.search(cprPattern) !== -1;
}

/**
 * Decodes %XX escapes without ever throwing: a malformed escape stays as it is, bytes that are no UTF-8
 * become U+FFFD. Twice over, so a doubly encoded `%252D` is read too.
 */
export function percentDecode(text: string): string {
  let current = text;
  for (let round = 0; round < 3; round += 1) {
    const next = current.replace(escapeRun, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
    if (next === current) break;
    current = next;
  }
  return current;
}

/**
 * Query parameters whose values are left out of request logs whole: they hold a CPR number or a search for a
 * person (the new-grant page's citizen search too), a list's cursor (which carries the last row's sort key, a
 * citizen's name when a list is sorted by citizen), or an OpenID Connect callback's authorization code and state.
 */
const dropped = new Set(['cpr', 'q', 'search', 'query', 'term', 'citizenquery', 'cursor', 'code', 'state']);

/**
 * The request URL as it may be logged: decoded (`+` is a blank in a query), the values of `cpr` and the
 * search parameters replaced, and CPR-like numbers scrubbed anywhere else.
 */
export function scrubUrl(url: string): string {
  const mark = url.indexOf('?');
  const path = scrubCpr(percentDecode(mark === -1 ? url : url.slice(0, mark)));
  if (mark === -1) return path;
  const query = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = percentDecode((equals === -1 ? pair : pair.slice(0, equals)).replace(/\+/g, ' '));
      if (equals === -1) return scrubCpr(name);
      if (dropped.has(name.trim().toLowerCase())) return `${scrubCpr(name)}=[redacted]`;
      return `${scrubCpr(name)}=${scrubCpr(percentDecode(pair.slice(equals + 1).replace(/\+/g, ' ')))}`;
    });
  return `${path}?${query.join('&')}`;
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
