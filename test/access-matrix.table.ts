/**
 * Who may call which API route, and what each caller gets back: the table that
 * test/access-matrix.e2e-spec.ts holds the running application to. Every
 * `METHOD /path` the application serves under /api/v1 has exactly one entry.
 *
 * The callers:
 * - anonymous: no sign-in;
 * - admin, procurement, caseworker, team_leader, finance: staff users (team_leader: the faglig konsulent who approves grants);
 * - owner: the supplier user whose supplier owns the record in the path (the mentor
 *   supplier; for /hour-registrations the partner company that registers the hours);
 * - other: a supplier user of another supplier (a partner company with records of its own).
 *
 * 404 for `other` means the record exists and belongs to the owner: a supplier never
 * learns that another supplier's record exists. 403 means the role may not call the
 * route at all. The state-changing calls are described beside their entries and in the
 * test's request plans; every permitted call that changes a record gets a record of its own.
 */

export const CALLERS = ['anonymous', 'admin', 'procurement', 'caseworker', 'team_leader', 'finance', 'owner', 'other'] as const;
export type Caller = (typeof CALLERS)[number];
export type ExpectedStatuses = Record<Caller, number>;

/** One row, in the order of CALLERS. */
function row(anonymous: number, admin: number, procurement: number, caseworker: number, team_leader: number, finance: number, owner: number, other: number): ExpectedStatuses {
  return { anonymous, admin, procurement, caseworker, team_leader, finance, owner, other };
}

export const ACCESS_MATRIX: Record<string, ExpectedStatuses> = {
  //                                                        anon admin proc  case  lead  fin   owner other
  // Sign-in: every caller signs in with its own e-mail and password (anonymous with a user's).
  'POST /api/v1/auth/login':                           row(200, 200,  200,  200,  200,  200,  200,  200),
  'GET /api/v1/auth/me':                               row(401, 200,  200,  200,  200,  200,  200,  200),
  // Ends a second session of the caller opened for the call, not the one the rest of the test uses.
  'POST /api/v1/auth/logout':                          row(401, 204,  204,  204,  204,  204,  204,  204),

  'GET /api/v1/audit':                                 row(401, 200,  403,  403,  403,  403,  403,  403),

  'GET /api/v1/users':                                 row(401, 200,  403,  403,  403,  403,  403,  403),
  'GET /api/v1/users/:id':                             row(401, 200,  403,  403,  403,  403,  403,  403),
  'POST /api/v1/users':                                row(401, 201,  403,  403,  403,  403,  403,  403),
  'PATCH /api/v1/users/:id':                           row(401, 200,  403,  403,  403,  403,  403,  403),
  'POST /api/v1/users/:id/reset-password':             row(401, 204,  403,  403,  403,  403,  403,  403),
  'POST /api/v1/users/:id/reset-two-factor':           row(401, 204,  403,  403,  403,  403,  403,  403),

  // Service accounts of integrations and their API tokens are admin's.
  'GET /api/v1/api-tokens':                            row(401, 200,  403,  403,  403,  403,  403,  403),
  'POST /api/v1/api-tokens':                           row(401, 201,  403,  403,  403,  403,  403,  403),
  'POST /api/v1/api-tokens/:id/revoke':                row(401, 200,  403,  403,  403,  403,  403,  403),
  'POST /api/v1/api-tokens/service-accounts':          row(401, 201,  403,  403,  403,  403,  403,  403),
  'PATCH /api/v1/api-tokens/service-accounts/:id':     row(401, 200,  403,  403,  403,  403,  403,  403),

  'GET /api/v1/rule-sets':                             row(401, 200,  200,  200,  200,  200,  403,  403),
  'POST /api/v1/rule-sets':                            row(401, 201,  403,  403,  403,  403,  403,  403),

  // A supplier user sees its own supplier in the list, and only that one.
  'GET /api/v1/suppliers':                             row(401, 200,  200,  200,  200,  200,  200,  200),
  'POST /api/v1/suppliers':                            row(401, 201,  201,  403,  403,  403,  403,  403),
  'GET /api/v1/suppliers/:id':                         row(401, 200,  200,  200,  200,  200,  200,  404),
  'PATCH /api/v1/suppliers/:id':                       row(401, 200,  200,  403,  403,  403,  403,  403),
  'GET /api/v1/suppliers/:id/catalogue':               row(401, 200,  200,  200,  200,  200,  403,  403),
  'PUT /api/v1/suppliers/:id/catalogue':               row(401, 200,  200,  403,  403,  403,  403,  403),
  'GET /api/v1/catalogue':                             row(401, 200,  200,  200,  200,  200,  403,  403),

  'GET /api/v1/agreements':                            row(401, 200,  200,  200,  200,  200,  200,  200),
  'POST /api/v1/agreements':                           row(401, 201,  201,  403,  403,  403,  403,  403),
  'GET /api/v1/agreements/:id':                        row(401, 200,  200,  200,  200,  200,  200,  404),
  'PATCH /api/v1/agreements/:id':                      row(401, 200,  200,  403,  403,  403,  403,  403),
  'POST /api/v1/agreements/:id/use-extension':         row(401, 200,  200,  403,  403,  403,  403,  403),
  'GET /api/v1/agreements/:id/rates':                  row(401, 200,  200,  200,  200,  200,  200,  404),
  'POST /api/v1/agreements/:id/rates':                 row(401, 201,  201,  403,  403,  403,  403,  403),
  'GET /api/v1/price-caps':                            row(401, 200,  200,  200,  200,  200,  403,  403),
  'POST /api/v1/price-caps':                           row(401, 201,  201,  403,  403,  403,  403,  403),
  // Each permitted call ends, corrects or regulates a rate card of its own.
  'POST /api/v1/agreements/:id/rates/:rateId/end':     row(401, 200,  200,  403,  403,  403,  403,  403),
  // A partnership's rates per partner employee (frikøb at the wage cost): read as the agreement, kept by procurement.
  'GET /api/v1/agreements/:id/employee-rates':         row(401, 200,  200,  200,  200,  200,  200,  404),
  'POST /api/v1/agreements/:id/employee-rates':        row(401, 201,  201,  403,  403,  403,  403,  403),
  'POST /api/v1/agreements/:id/employee-rates/:rateId/end': row(401, 200,  200,  403,  403,  403,  403,  403),
  'PATCH /api/v1/agreements/:id/rates/:rateId':        row(401, 200,  200,  403,  403,  403,  403,  403),
  'POST /api/v1/agreements/:id/price-regulations':     row(401, 201,  201,  403,  403,  403,  403,  403),
  // An agreement's term and records: read like the agreement (its supplier sees its own, another supplier learns
  // nothing); changed by procurement and admin, each termination on an agreement of its own.
  'GET /api/v1/agreements/:id/history':                row(401, 200,  200,  200,  200,  200,  200,  404),
  'GET /api/v1/agreements/:id/commitment-use':         row(401, 200,  200,  200,  200,  200,  200,  404),
  'GET /api/v1/agreements/:id/kpis':                   row(401, 200,  200,  200,  200,  200,  200,  404),
  'POST /api/v1/agreements/:id/terminate':             row(401, 201,  201,  403,  403,  403,  403,  403),
  'GET /api/v1/agreements/:id/documents':              row(401, 200,  200,  200,  200,  200,  200,  404),
  'POST /api/v1/agreements/:id/documents':             row(401, 201,  201,  403,  403,  403,  403,  403),
  'GET /api/v1/agreements/:id/documents/:documentId':  row(401, 200,  200,  200,  200,  200,  200,  404),
  'GET /api/v1/agreements/:id/supervision-visits':     row(401, 200,  200,  200,  200,  200,  200,  404),
  'POST /api/v1/agreements/:id/supervision-visits':    row(401, 201,  201,  403,  403,  403,  403,  403),
  'GET /api/v1/agreements/:id/penalties':              row(401, 200,  200,  200,  200,  200,  200,  404),
  'POST /api/v1/agreements/:id/penalties':             row(401, 201,  201,  403,  403,  403,  403,  403),
  // Ad-hoc purchases: proposed by a caseworker, procurement or admin, decided by a team leader (a fresh proposal each);
  // a supplier reads its own.
  'GET /api/v1/ad-hoc-purchases':                      row(401, 200,  200,  200,  200,  200,  200,  200),
  'POST /api/v1/ad-hoc-purchases':                     row(401, 201,  201,  201,  403,  403,  403,  403),
  'GET /api/v1/ad-hoc-purchases/:id':                  row(401, 200,  200,  200,  200,  200,  200,  404),
  'POST /api/v1/ad-hoc-purchases/:id/approve':         row(401, 403,  403,  403,  200,  403,  403,  403),
  'POST /api/v1/ad-hoc-purchases/:id/refuse':          row(401, 403,  403,  403,  200,  403,  403,  403),

  // Citizens are staff data, and not procurement's.
  'POST /api/v1/citizens':                             row(401, 201,  403,  201,  403,  403,  403,  403),
  'GET /api/v1/citizens':                              row(401, 200,  403,  200,  200,  200,  403,  403),
  'GET /api/v1/citizens/:id':                          row(401, 200,  403,  200,  200,  200,  403,  403),
  'GET /api/v1/citizens/:id/target-groups':            row(401, 200,  403,  200,  200,  200,  403,  403),
  // A change from a day after every grant of the citizen: it alters none.
  'PUT /api/v1/citizens/:id/target-groups':            row(401, 200,  403,  200,  403,  403,  403,  403),

  'POST /api/v1/grants':                               row(401, 201,  403,  201,  403,  403,  403,  403),
  'GET /api/v1/grants':                                row(401, 200,  200,  200,  200,  200,  200,  200),
  'GET /api/v1/grants/:id':                            row(401, 200,  200,  200,  200,  200,  200,  404),
  // Visitation: a team leader approves or sends back a proposal (a fresh one for each call); the caseworker proposes a grant sent back again.
  'POST /api/v1/grants/:id/approve':                   row(401, 403,  403,  403,  200,  403,  403,  403),
  'POST /api/v1/grants/:id/reject':                    row(401, 403,  403,  403,  200,  403,  403,  403),
  'POST /api/v1/grants/:id/propose':                   row(401, 200,  403,  200,  403,  403,  403,  403),
  'POST /api/v1/grants/:id/extend':                    row(401, 200,  403,  200,  403,  403,  403,  403),
  'POST /api/v1/grants/:id/end':                       row(401, 200,  403,  200,  403,  403,  403,  403),
  // The written agreement names the citizen: staff only; another supplier learns nothing of the grant.
  // A holistic period of its own per permitted call, whose next period the call proposes.
  'POST /api/v1/grants/:id/successor-period':          row(401, 201,  403,  201,  403,  403,  403,  403),
  'GET /api/v1/grants/:id/periods':                    row(401, 200,  200,  200,  200,  200,  403,  403),
  'GET /api/v1/silent-grants':                         row(401, 200,  403,  200,  200,  403,  403,  403),
  // The case system's push with a service account's token (case-system:write); of the people, admin only.
  'PUT /api/v1/integrations/case-system/citizens/:caseNumber': row(401, 200, 403, 403, 403, 403, 403, 403),
  'GET /api/v1/grants/:id/agreement.pdf':              row(401, 200,  200,  200,  200,  200,  403,  404),
  'POST /api/v1/grants/:id/progress-reports':          row(401, 403,  403,  403,  403,  403,  201,  404),
  'GET /api/v1/grants/:id/progress-reports':           row(401, 200,  200,  200,  200,  200,  200,  404),
  // The course: amendments recorded by a caseworker (one raising the minutes approved or rejected by a team leader, a
  // fresh proposal for each call); the supplier reads those in force, never the reasons; follow-ups are staff's.
  'POST /api/v1/grants/:id/amendments':                row(401, 201,  403,  201,  403,  403,  403,  403),
  'GET /api/v1/grants/:id/amendments':                 row(401, 200,  200,  200,  200,  200,  200,  404),
  'POST /api/v1/grants/:id/amendments/:amendmentId/approve': row(401, 403, 403, 403, 200, 403, 403, 403),
  'POST /api/v1/grants/:id/amendments/:amendmentId/reject':  row(401, 403, 403, 403, 200, 403, 403, 403),
  'POST /api/v1/grants/:id/follow-ups':                row(401, 201,  403,  201,  403,  403,  403,  403),
  'GET /api/v1/grants/:id/follow-ups':                 row(401, 200,  200,  200,  200,  200,  403,  403),
  'GET /api/v1/due-tasks':                             row(401, 200,  403,  200,  403,  403,  403,  403),

  // Each caller sends a new invoice of the owner (supplierId = the owner); the other supplier's user is told the owner does not exist.
  'POST /api/v1/invoices':                             row(401, 201,  403,  403,  403,  201,  201,  404),
  'GET /api/v1/invoices':                              row(401, 200,  403,  403,  403,  200,  200,  200),
  'GET /api/v1/invoices/:id':                          row(401, 200,  403,  403,  403,  200,  200,  404),
  'POST /api/v1/invoices/:id/approve':                 row(401, 403,  403,  403,  403,  200,  403,  403),
  'POST /api/v1/invoices/:id/reject':                  row(401, 403,  403,  403,  403,  200,  403,  403),
  // Each permitted hold and release gets an invoice of its own.
  'POST /api/v1/invoices/:id/hold':                    row(401, 403,  403,  403,  403,  200,  403,  403),
  'POST /api/v1/invoices/:id/release':                 row(401, 403,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/invoices/:id/thread':                   row(401, 200,  403,  403,  403,  200,  200,  404),
  // The owner answers a line with a finding of a fresh invoice; the other supplier gets 404 for it.
  'POST /api/v1/invoices/:id/lines/:lineNo/answer':    row(401, 403,  403,  403,  403,  403,  200,  404),
  // Finance answers and resolves a disputed line of a fresh invoice.
  'POST /api/v1/invoices/:id/lines/:lineNo/reply':     row(401, 403,  403,  403,  403,  200,  403,  403),
  'POST /api/v1/invoices/:id/lines/:lineNo/resolve':   row(401, 403,  403,  403,  403,  200,  403,  403),
  // The business response of a rejected e-invoice of the owner.
  'GET /api/v1/invoices/:id/response.xml':             row(401, 200,  403,  403,  403,  200,  200,  404),
  'GET /api/v1/business-responses':                    row(401, 200,  403,  403,  403,  200,  403,  403),

  // Hour registration is the partner company's own; staff are refused by role.
  'POST /api/v1/hour-registrations':                   row(401, 403,  403,  403,  403,  403,  201,  404),
  // The other supplier has no self-billing draft of the month: 404 (the owner's is not shown).
  'GET /api/v1/hour-registrations/:month':             row(401, 403,  403,  403,  403,  403,  200,  404),
  // The other supplier has no open draft of the month to submit: 409 (the owner's is left untouched).
  'POST /api/v1/hour-registrations/:month/submit':     row(401, 403,  403,  403,  403,  403,  200,  409),
  'DELETE /api/v1/hour-registrations/sessions/:id':    row(401, 403,  403,  403,  403,  403,  204,  404),

  // The session log (mentor sessions, not sign-in sessions) is the mentor supplier's; staff read it (a caseworker sees
  // what is logged but not invoiced on a grant). The other supplier's list holds only its own sessions; a file naming
  // the owner's grant is refused row by row for it (422), as a grant that is not its own.
  'POST /api/v1/sessions':                             row(401, 403,  403,  403,  403,  403,  201,  404),
  'POST /api/v1/sessions/import':                      row(401, 403,  403,  403,  403,  403,  201,  422),
  'GET /api/v1/sessions':                              row(401, 200,  200,  200,  200,  200,  200,  200),
  'PATCH /api/v1/sessions/:id':                        row(401, 403,  403,  403,  403,  403,  200,  404),
  'DELETE /api/v1/sessions/:id':                       row(401, 403,  403,  403,  403,  403,  204,  404),

  'POST /api/v1/billing-runs':                         row(401, 403,  403,  403,  403,  202,  403,  403),
  'GET /api/v1/billing-runs':                          row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/billing-runs/:id':                      row(401, 200,  403,  403,  403,  200,  403,  403),
  // The other supplier's list holds only its own statements.
  'GET /api/v1/statements':                            row(401, 200,  403,  403,  403,  200,  200,  200),
  'GET /api/v1/statements/:id.pdf':                    row(401, 200,  403,  403,  403,  200,  200,  404),
  'GET /api/v1/statements/:id':                        row(401, 200,  403,  403,  403,  200,  200,  404),
  // The partner company's self-billing statement as a self-billed e-invoice; its owner is the partner company.
  'GET /api/v1/statements/:id.xml':                    row(401, 200,  403,  403,  403,  200,  200,  404),

  // The posting export claims what is not exported yet: finance (and the finance system's token) only; admin reads the exports.
  'GET /api/v1/postings':                              row(401, 403,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/postings/exports':                      row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/postings/exports/:id':                  row(401, 200,  403,  403,  403,  200,  403,  403),
  // The payment file is applied by finance (and the finance system's token); here a row whose amount differs, a finding.
  'POST /api/v1/payments/import':                      row(401, 403,  403,  403,  403,  201,  403,  403),
  'GET /api/v1/payments/imports':                      row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/payments/findings':                     row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/payments/due':                          row(401, 200,  403,  403,  403,  200,  403,  403),

  'POST /api/v1/refund-claims':                        row(401, 403,  403,  403,  403,  202,  403,  403),
  'GET /api/v1/refund-claims':                         row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/refund-claims/:id.pdf':                 row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/refund-claims/:id/export.csv':          row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/refund-claims/:id/export.xlsx':         row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/refund-claims/:id':                     row(401, 200,  403,  403,  403,  200,  403,  403),
  'POST /api/v1/refund-claims/:id/submit':             row(401, 403,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/budgets':                               row(401, 200,  403,  403,  403,  200,  403,  403),
  'PUT /api/v1/budgets/:year':                         row(401, 403,  403,  403,  403,  200,  403,  403),
  // Hour budgets and the full-time persons of the budget-guarantee limit: finance's, admin reads.
  'GET /api/v1/hour-budgets/:year':                    row(401, 200,  403,  403,  403,  200,  403,  403),
  'PUT /api/v1/hour-budgets/:year':                    row(401, 403,  403,  403,  403,  200,  403,  403),
  'PUT /api/v1/budget-guarantee/:year':                row(401, 403,  403,  403,  403,  200,  403,  403),
  'POST /api/v1/budget-guarantee/import':              row(401, 403,  403,  403,  403,  201,  403,  403),

  // The budget follow-up is finance's; spend and supplier performance are procurement's too.
  'GET /api/v1/reports/budget':                        row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/budget.csv':                    row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/budget.xlsx':                   row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/supplier-quality':              row(401, 200,  200,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/supplier-quality.csv':          row(401, 200,  200,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/supplier-quality.xlsx':         row(401, 200,  200,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/hour-budget':                   row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/hour-budget.csv':               row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/hour-budget.xlsx':              row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/budget-guarantee':              row(401, 200,  403,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/spend':                         row(401, 200,  200,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/spend.csv':                     row(401, 200,  200,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/spend.xlsx':                    row(401, 200,  200,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/holistic-status':               row(401, 200,  200,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/statistics':                    row(401, 200,  200,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/statistics.csv':                row(401, 200,  200,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/statistics.xlsx':               row(401, 200,  200,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/investment-case':               row(401, 200,  200,  403,  403,  200,  403,  403),
  // Comparison with other municipalities: finance imports the published figures; those who read the statistics read it.
  'POST /api/v1/comparisons/import':                   row(401, 403,  403,  403,  403,  201,  403,  403),
  'GET /api/v1/comparisons':                           row(401, 200,  200,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/supplier-performance':          row(401, 200,  200,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/supplier-performance.csv':      row(401, 200,  200,  403,  403,  200,  403,  403),
  'GET /api/v1/reports/supplier-performance.xlsx':     row(401, 200,  200,  403,  403,  200,  403,  403),

  // Every signed-in user may sign out everywhere and change the own password; each call is made by a
  // fresh user of the caller's role and supplier, so the sessions the rest of the test uses stay open.
  'POST /api/v1/auth/logout-all':                      row(401, 204,  204,  204,  204,  204,  204,  204),
  'POST /api/v1/auth/password':                        row(401, 204,  204,  204,  204,  204,  204,  204),
  // Two-factor sign-in is every user's own: the status, a set-up begun (again) by the caller, a set-up confirmed
  // by a fresh user of the caller's role with a right code, and new recovery codes refused for a caller without two-factor.
  'GET /api/v1/auth/two-factor':                       row(401, 200,  200,  200,  200,  200,  200,  200),
  'POST /api/v1/auth/two-factor':                      row(401, 201,  201,  201,  201,  201,  201,  201),
  'POST /api/v1/auth/two-factor/confirm':              row(401, 200,  200,  200,  200,  200,  200,  200),
  'POST /api/v1/auth/two-factor/recovery-codes':       row(401, 422,  422,  422,  422,  422,  422,  422),

  // Each user's own notifications: the one in the path is the owner's, so it is not found for anyone else.
  'GET /api/v1/notifications':                         row(401, 200,  200,  200,  200,  200,  200,  200),
  'POST /api/v1/notifications/read-all':               row(401, 200,  200,  200,  200,  200,  200,  200),
  'POST /api/v1/notifications/:id/read':               row(401, 404,  404,  404,  404,  404,  204,  404),
  // A grant's thread: its caseworkers and its supplier write; admin reads; another supplier learns nothing.
  'GET /api/v1/grants/:id/messages':                   row(401, 200,  403,  200,  403,  403,  200,  404),
  'POST /api/v1/grants/:id/messages':                  row(401, 403,  403,  201,  403,  403,  201,  404),
  // Deputies: finance names its own, admin anyone's; each call names or ends a delegation of its own.
  'GET /api/v1/delegations':                           row(401, 200,  403,  403,  200,  200,  403,  403),
  'POST /api/v1/delegations':                          row(401, 201,  403,  403,  201,  201,  403,  403),
  'POST /api/v1/delegations/:id/end':                  row(401, 204,  403,  403,  204,  204,  403,  403),
  'GET /api/v1/notifications/preferences':             row(401, 200,  200,  200,  200,  200,  200,  200),
  'PUT /api/v1/notifications/preferences':             row(401, 200,  200,  200,  200,  200,  200,  200),
};
