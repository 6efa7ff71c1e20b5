/** Where the suite finds PostgreSQL and Redis; overridable by environment. */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A database URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * The business day the whole integration suite runs on (BUSINESS_DATE): its
 * worlds hold 2026 agreements, grants and invoices with exact expected figures,
 * so "today" is pinned rather than read from the wall clock.
 */
export const TEST_TODAY = '2026-11-25';

export const TEMPLATE_ENV = 'MENTOR_TEST_TEMPLATE_DB';
