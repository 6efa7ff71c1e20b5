/**
 * What a service account (an integration: the case system, the finance system) may be given. A route opens
 * itself to service accounts with @ApiScopes(...); a route without it answers a service account 403, and a
 * person's role never reaches a service account's route through a scope.
 */
export const API_SCOPES = {
  /** The case system registers citizens (POST /api/v1/citizens) and, as it lands, pushes their changes. */
  'case-system:write': 'The case system registers citizens and pushes their changes',
  /** The finance system reads statements, as PDF too. */
  'statements:read': 'The finance system reads statements and their PDFs',
  /** The finance system reads the posting export (GET /api/v1/postings, as it lands). */
  'postings:read': 'The finance system reads the posting export',
  /** The finance system reports payments back (POST /api/v1/payments/import, as it lands). */
  'payments:write': 'The finance system reports payments back',
} as const;

export type ApiScope = keyof typeof API_SCOPES;
export const API_SCOPE_NAMES = Object.keys(API_SCOPES) as ApiScope[];

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === 'string' && Object.hasOwn(API_SCOPES, value);
}
