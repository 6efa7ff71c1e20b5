/** Seconds a client is asked to wait before trying again while the database or Redis is away. */
export const RETRY_AFTER_SECONDS = 30;

// PostgreSQL: the server shutting down or starting up (57P01–57P03), the connection lost or refused (class 08),
// too many connections (53300).
const DATABASE_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
// The socket itself: nothing listens, the peer went away, no route, no name.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// What pg, pg-pool and ioredis say when a connection is gone or cannot be had in time.
const MESSAGES = [
  /is not currently accepting connections/i,
  /^Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /^Connection is closed\.?$/i,
  /Reached the max retries per request limit/i,
  /Stream isn't writeable and enableOfflineQueue options is false/i,
];
const NAMES = new Set(['MaxRetriesPerRequestError']);

interface Inspectable {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * Whether an error says the database or Redis cannot be reached (rather than that a query or the request is
 * wrong): then the request may succeed later, and the answer is 503 with Retry-After. Looks through TypeORM's
 * driverError, a cause and an AggregateError's errors.
 */
export function isDependencyUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 3 || typeof error !== 'object' || error === null) return false;
  const { name, code, message, driverError, cause, errors } = error as Inspectable;
  if (typeof code === 'string' && (DATABASE_CODES.has(code) || NETWORK_CODES.has(code))) return true;
  if (typeof name === 'string' && NAMES.has(name)) return true;
  if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true;
  if (Array.isArray(errors) && errors.some((inner) => isDependencyUnavailable(inner, depth + 1))) return true;
  return isDependencyUnavailable(driverError, depth + 1) || isDependencyUnavailable(cause, depth + 1);
}
