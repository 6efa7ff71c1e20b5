import { randomBytes } from 'node:crypto';
import { generateSync } from 'otplib';
import { NotificationEvents, notificationEvent } from '../src/common/notifications/notification-events';
import { JobQueue } from '../src/common/queue/job-queue';
import { NotificationRelay } from '../src/notifications/notification-relay.service';
import { ACCESS_MATRIX, CALLERS, type Caller } from './access-matrix.table';
import { makeAgreement, makeSupplierViaApi } from './support/factories';
import { smallPdf } from './support/pdf';
import { invoiceBody, peppolInvoiceXml } from './support/invoice-fixtures';
import { buildPortalWorld, expectStatus, makeGrant, type PortalWorld, type WorldGrant } from './support/portal-world';
import { appRoutes, type AppRoute } from './support/routes';
import { bearer, makeUser, startTestApp, validCvr, type TestApp, type TestUser } from './support/test-app';

const TABLE_FILE = 'test/access-matrix.table.ts';
const TABLE_SIZE = Object.keys(ACCESS_MATRIX).length;

// The other supplier's user is called before the owner: a record the owner's call changes
// (a month it submits) is still there, unchanged, when the other supplier asks for it.
const CALL_ORDER: Caller[] = ['anonymous', 'admin', 'procurement', 'caseworker', 'team_leader', 'finance', 'other', 'owner'];

/** How one caller calls one route: the path (filled from the world's ids unless given), query, body and token. */
interface CallSpec {
  path?: string;
  query?: Record<string, string>;
  body?: object | string;
  /** Another token than the caller's own; null for none. */
  token?: string | null;
  /** A text body sent as text/csv instead of `body`. */
  csv?: string;
  contentType?: string;
  /** A multipart body: one file and text fields. */
  upload?: { file: Buffer; fileName: string; fields: Record<string, string> };
}
type Plan = (caller: Caller) => CallSpec | Promise<CallSpec>;

const routeKey = (route: AppRoute) => `${route.method} ${route.path}`;
const unique = () => randomBytes(4).toString('hex');
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('access matrix: every API route × every caller', () => {
  let t: TestApp;
  let world: PortalWorld;
  let routes: AppRoute[];
  let callers: Record<Exclude<Caller, 'anonymous'>, TestUser>;
  /** The user that anonymous signs in as, and the user admin changes. */
  let visitor: TestUser;
  let target: TestUser;
  /** A supplier for the agreements procurement registers, and a grant of the owner for the invoices the callers send. */
  let spareSupplierId: string;
  let scratchGrant: WorldGrant;
  let shippedRuleSet: Record<string, unknown>;
  /** Path parameters by the path segment before them. */
  let ids: Record<string, string>;
  /** Text that only the owner's records hold; none of it may reach the other supplier's user. */
  let ownerSecrets: string[];
  /** A rejected e-invoice of the owner: it has a business response. */
  let respondedInvoiceId: string;

  let citizens = 0;
  let invoiceDays = 0;
  let capDays = 0;
  // Unique CPR-shaped numbers for the citizens the calls register.
  const nextCpr = () => {
    const n = citizens++;
    return `${pad(1 + (n % 28))}${pad(1 + (Math.floor(n / 28) % 12))}84-${pad(4000 + n, 4)}`;
  };
  // One session day per invoice: 15 minutes a day stays inside the grant's 120 minutes a week, and no day is invoiced twice.
  const nextInvoiceDate = () => new Date(Date.UTC(2026, 8, 1 + invoiceDays++)).toISOString().slice(0, 10);
  const nextCapDate = () => new Date(Date.UTC(2090, 0, 1 + capDays++)).toISOString().slice(0, 10);

  const tokenOf = (caller: Caller): string | null => (caller === 'anonymous' ? null : callers[caller].token);

  const freshGrant = (spec: { end?: string; minutesPerWeek?: number } = {}) =>
    makeGrant(t, world.staff.caseworker, world.owner.agreementId, { cpr: nextCpr(), name: 'Borger Matrix' }, { mentorType: 'retention', minutesPerWeek: 60, ...spec });
  const freshProposal = () =>
    makeGrant(t, world.staff.caseworker, world.owner.agreementId, { cpr: nextCpr(), name: 'Borger Forslag' }, { mentorType: 'retention', minutesPerWeek: 60, approve: false });
  const freshHolistic = () =>
    makeGrant(t, world.staff.caseworker, world.owner.agreementId, { cpr: nextCpr(), name: 'Borger Helhed' }, { mentorType: 'holistic', minutesPerWeek: 60, targetGroup: 'activity_ready_cash_benefit' });
  const freshSentBack = async () => {
    const grant = await freshProposal();
    await expectStatus('send back', t.http.post(`/api/v1/grants/${grant.id}/reject`).set(bearer(world.staff.team_leader.token)).send({ reason: 'Mål og timetal hænger ikke sammen' }), 200);
    return grant;
  };
  /** A fresh grant's amendment raising its minutes, awaiting a team leader: its path. */
  const freshAmendmentProposal = async () => {
    const grant = await freshGrant();
    const amendment = await expectStatus<{ id: string }>(
      'amendment',
      t.http.post(`/api/v1/grants/${grant.id}/amendments`).set(bearer(world.staff.caseworker.token)).send({ kind: 'hours', effectiveFrom: '2026-11-02', reason: 'Mere støtte', serviceLevel: 1, minutesPerWeek: 90 }),
      201,
    );
    return `/api/v1/grants/${grant.id}/amendments/${amendment.id}`;
  };
  const freshSpareAgreement = (overrides: Record<string, unknown> = {}) => makeAgreement(t, spareSupplierId, { mentorTypes: ['retention'], ...overrides });
  /** A spare agreement with one retention level 1 rate of 450 kr. from `validFrom`. */
  const freshRate = async (validFrom: string) => {
    const agreementId = (await freshSpareAgreement()).id;
    const rate = await expectStatus<{ id: string }>(
      'rate',
      t.http.post(`/api/v1/agreements/${agreementId}/rates`).set(bearer(world.staff.procurement.token)).send({ mentorType: 'retention', serviceLevel: 1, validFrom, rateOre: 45_000 }),
      201,
    );
    return { agreementId, rateId: rate.id };
  };
  // Logged sessions of the owner on the scratch grant: one day, a minute count of their own each.
  let loggedMinutes = 0;
  const nextLoggedSession = () => ({ grantId: scratchGrant.id, date: '2026-11-16', minutes: 1 + loggedMinutes++, contactForm: 'phone', withWhom: 'citizen' });
  const freshLoggedSession = async () => (await expectStatus<{ id: string }>('logged session', t.http.post('/api/v1/sessions').set(bearer(world.owner.user.token)).send(nextLoggedSession()), 201)).id;
  const freshInvoice = () =>
    expectStatus<{ id: string }>(
      'invoice',
      t.http.post('/api/v1/invoices').set(bearer(world.owner.user.token)).send(invoiceBody([{ grantReference: scratchGrant.reference, date: nextInvoiceDate(), minutes: 15 }])),
      201,
    );
  // A line above the agreement's rate: a finding the supplier can answer.
  const findingInvoice = () =>
    expectStatus<{ id: string }>(
      'invoice with a finding',
      t.http.post('/api/v1/invoices').set(bearer(world.owner.user.token)).send(invoiceBody([{ grantReference: scratchGrant.reference, date: nextInvoiceDate(), minutes: 15, rateOre: 99_000 }])),
      201,
    );
  const disputedInvoice = async () => {
    const invoice = await findingInvoice();
    await expectStatus('dispute', t.http.post(`/api/v1/invoices/${invoice.id}/lines/1/answer`).set(bearer(world.owner.user.token)).send({ answer: 'dispute', comment: 'Prisen er aftalt' }), 200);
    return invoice;
  };
  const freshSession = async () => {
    const draft = await expectStatus<{ lines: Array<{ id: string; lineNo: number }> }>(
      'hour registration',
      t.http.post('/api/v1/hour-registrations').set(bearer(world.partner.user.token)).send({ grantId: world.partner.grants.main.id, date: '2026-11-17', minutes: 15, contactForm: 'phone' }),
      201,
    );
    return draft.lines.reduce((last, line) => (line.lineNo > last.lineNo ? line : last)).id;
  };
  const adHocBody = () => ({ supplierId: world.owner.id, caseNumber: `J-${unique()}`, description: 'Mentorstøtte til én borger i otte uger', amountOre: 24_000_00 });
  const freshAdHoc = () => expectStatus<{ id: string }>('ad-hoc purchase', t.http.post('/api/v1/ad-hoc-purchases').set(bearer(world.staff.caseworker.token)).send(adHocBody()), 201);
  const freshClaim = async () => {
    const claim = await expectStatus<{ id: string }>('refund claim', t.http.post('/api/v1/refund-claims').set(bearer(world.staff.finance.token)).send({ from: '2026-10-01', to: '2026-10-31' }), 202);
    await t.app.get(JobQueue).drain();
    return claim.id;
  };
  /** A fresh user of the caller's role (and supplier), for calls that end all of a user's sessions. */
  const lookalike = (caller: Exclude<Caller, 'anonymous'>) => {
    const supplierId = caller === 'owner' ? (callers.owner === world.partner.user ? world.partner.id : world.owner.id) : caller === 'other' ? world.other.id : null;
    return makeUser(t, callers[caller].role, supplierId);
  };
  const secondSession = async (caller: Exclude<Caller, 'anonymous'>) => {
    const { email, password } = callers[caller];
    return (await expectStatus<{ accessToken: string }>('sign-in', t.http.post('/api/v1/auth/login').send({ email, password }), 200)).accessToken;
  };

  /**
   * The calls that need more than the filled path. A state-changing call gets a record of its
   * own wherever more than one caller may change it, so no call depends on what an earlier one did.
   */
  const PLANS: Record<string, Plan> = {
    // The lists are asked for the owner's records by name: the other supplier's user still gets only its own.
    'GET /api/v1/agreements': () => ({ query: { supplierId: world.owner.id } }),
    'GET /api/v1/grants': () => ({ query: { supplierId: world.owner.id } }),
    'GET /api/v1/invoices': () => ({ query: { supplierId: world.owner.id } }),
    'GET /api/v1/statements': () => ({ query: { supplierId: world.owner.id } }),
    // The partner company's final statement is the self-billed one.
    'GET /api/v1/statements/:id.xml': () => ({ path: `/api/v1/statements/${world.partnerStatementId}.xml` }),
    'GET /api/v1/postings': () => ({ query: { from: '2026-01-01', to: '2026-12-31' } }),
    'POST /api/v1/payments/import': () => ({ contentType: 'text/csv', body: `statement_number;paid_amount;paid_on\r\n${world.statement.number};1,00;2026-11-20\r\n` }),

    'POST /api/v1/auth/login': (caller) => {
      const { email, password } = caller === 'anonymous' ? visitor : callers[caller];
      return { body: { email, password } };
    },
    'POST /api/v1/auth/logout': async (caller) => (caller === 'anonymous' ? {} : { token: await secondSession(caller) }),

    'POST /api/v1/users': () => ({ body: { email: `matrix-${unique()}@test.mentorportal.dk`, displayName: 'Ny Bruger', role: 'caseworker', password: 'Matrix-Adgang-2026!' } }),
    'PATCH /api/v1/users/:id': () => ({ body: { displayName: 'Omdøbt Bruger' } }),
    'POST /api/v1/api-tokens': () => ({ body: { serviceAccountId: ids['service-accounts/:id'], validDays: 7 } }),
    'POST /api/v1/api-tokens/service-accounts': () => ({ body: { name: `matrix-${unique()}`, scopes: ['postings:read'] } }),
    'PATCH /api/v1/api-tokens/service-accounts/:id': () => ({ body: { description: 'Økonomisystemet' } }),
    'POST /api/v1/users/:id/reset-password': () => ({ body: { newPassword: 'Nyt-Kodeord-2026!' } }),
    // The shipped values from a far date: a version no other record depends on.
    'POST /api/v1/rule-sets': () => ({ body: { effectiveFrom: '2099-01-01', values: shippedRuleSet, note: 'Adgangsmatrix' } }),

    'POST /api/v1/suppliers': () => ({ body: { name: `Matrix ${unique()} ApS`, cvr: validCvr(), kind: 'mentor_supplier' } }),
    'PATCH /api/v1/suppliers/:id': () => ({ body: { city: 'Helsinge' } }),
    'PUT /api/v1/suppliers/:id/catalogue': () => ({
      body: { targetGroups: ['sickness_benefit'], mentorTypes: ['retention'], methods: 'Samtaler på arbejdspladsen', mentorProfiles: 'Socialrådgivere', contact: 'kontakt@example.dk' },
    }),

    'POST /api/v1/agreements': () => ({
      body: { kind: 'framework', supplierId: spareSupplierId, reference: `RA-${unique()}`, title: 'Rammeaftale', validFrom: '2026-01-01', validTo: '2027-12-31', mentorTypes: ['retention'] },
    }),
    'PATCH /api/v1/agreements/:id': () => ({ body: { title: 'Rammeaftale om mentorstøtte (revideret)' } }),
    'POST /api/v1/agreements/:id/use-extension': async () => ({ path: `/api/v1/agreements/${(await freshSpareAgreement({ extensionOptions: 1, extensionMonths: 6 })).id}/use-extension` }),
    'POST /api/v1/agreements/:id/rates': async () => ({
      path: `/api/v1/agreements/${(await freshSpareAgreement()).id}/rates`,
      body: { mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-01', rateOre: 45_000 },
    }),
    'POST /api/v1/agreements/:id/employee-rates': () => ({ path: `/api/v1/agreements/${world.partner.agreementId}/employee-rates`, body: { employeeRef: `M${unique()}`.slice(0, 20), rateOre: 31_250, validFrom: '2026-01-01' } }),
    'POST /api/v1/agreements/:id/employee-rates/:rateId/end': async () => {
      const rate = await expectStatus<{ id: string }>(
        'employee rate',
        t.http.post(`/api/v1/agreements/${world.partner.agreementId}/employee-rates`).set(bearer(world.staff.procurement.token)).send({ employeeRef: `E${unique()}`.slice(0, 20), rateOre: 31_250, validFrom: '2026-01-01' }),
        201,
      );
      return { path: `/api/v1/agreements/${world.partner.agreementId}/employee-rates/${rate.id}/end`, body: { validTo: '2026-12-31' } };
    },
    'POST /api/v1/agreements/:id/rates/:rateId/end': async () => {
      const { agreementId, rateId } = await freshRate('2026-01-01');
      return { path: `/api/v1/agreements/${agreementId}/rates/${rateId}/end`, body: { validTo: '2026-12-31' } };
    },
    'PATCH /api/v1/agreements/:id/rates/:rateId': async () => {
      const { agreementId, rateId } = await freshRate('2027-01-01');
      return { path: `/api/v1/agreements/${agreementId}/rates/${rateId}`, body: { rateOre: 46_000 } };
    },
    'POST /api/v1/agreements/:id/price-regulations': async () => {
      const { agreementId } = await freshRate('2026-01-01');
      return { path: `/api/v1/agreements/${agreementId}/price-regulations`, body: { effectiveFrom: '2027-01-01', percent: '3.1' } };
    },
    'POST /api/v1/agreements/:id/terminate': async () => ({
      path: `/api/v1/agreements/${(await freshSpareAgreement()).id}/terminate`,
      body: { terminatedOn: '2026-06-30', reason: 'Leverandøren har misligholdt kontaktkravet' },
    }),
    'POST /api/v1/agreements/:id/documents': async () => ({ upload: { file: await smallPdf(), fileName: 'underskrevet-aftale.pdf', fields: { kind: 'signed_agreement' } } }),
    'POST /api/v1/agreements/:id/supervision-visits': () => ({ body: { visitedOn: '2026-10-05', findings: 'Mentorerne fører ikke mødelog', followUpOn: '2026-12-01' } }),
    'POST /api/v1/agreements/:id/penalties': () => ({ body: { imposedOn: '2026-10-15', amountOre: 500_000, reason: 'Manglende statusrapporter' } }),
    'POST /api/v1/ad-hoc-purchases': () => ({ body: adHocBody() }),
    'POST /api/v1/ad-hoc-purchases/:id/approve': async () => ({ path: `/api/v1/ad-hoc-purchases/${(await freshAdHoc()).id}/approve`, body: {} }),
    'POST /api/v1/ad-hoc-purchases/:id/refuse': async () => ({ path: `/api/v1/ad-hoc-purchases/${(await freshAdHoc()).id}/refuse`, body: { reason: 'Brug rammeaftalen' } }),
    'POST /api/v1/price-caps': () => ({ body: { mentorType: 'release', serviceLevel: 1, validFrom: nextCapDate(), rateOre: 100_000 } }),

    'POST /api/v1/citizens': () => ({ body: { cpr: nextCpr(), name: 'Ny Borger', caseNumber: `J-${unique()}`, targetGroup: 'sickness_benefit' } }),
    'PUT /api/v1/citizens/:id/target-groups': () => ({ body: { targetGroup: 'sickness_benefit', effectiveFrom: '2027-06-01' } }),
    'POST /api/v1/grants': async () => {
      const citizen = await expectStatus<{ id: string }>(
        'citizen',
        t.http.post('/api/v1/citizens').set(bearer(world.staff.caseworker.token)).send({ cpr: nextCpr(), name: 'Ny Borger', caseNumber: `J-${unique()}`, targetGroup: 'sickness_benefit' }),
        201,
      );
      return {
        body: {
          citizenId: citizen.id,
          agreementId: world.owner.agreementId,
          mentorType: 'retention',
          serviceLevel: 1,
          minutesPerWeek: 60,
          start: '2026-09-01',
          end: '2027-02-28',
          goal: 'Fastholdelse i job',
          tasks: 'Samtaler',
          mentorName: 'Mette Mentor',
          mentorPhone: '12345678',
        },
      };
    },
    'POST /api/v1/grants/:id/approve': async () => ({ path: `/api/v1/grants/${(await freshProposal()).id}/approve`, body: { activeFrom: '2026-09-01' } }),
    'POST /api/v1/grants/:id/reject': async () => ({ path: `/api/v1/grants/${(await freshProposal()).id}/reject`, body: { reason: 'Timetallet er ikke begrundet' } }),
    'POST /api/v1/grants/:id/propose': async () => ({ path: `/api/v1/grants/${(await freshSentBack()).id}/propose`, body: { minutesPerWeek: 90 } }),
    'POST /api/v1/grants/:id/extend': async () => ({ path: `/api/v1/grants/${(await freshGrant({ end: '2026-11-30' })).id}/extend`, body: { newEnd: '2027-02-28' } }),
    'POST /api/v1/grants/:id/successor-period': async (caller) => ({ path: `/api/v1/grants/${caller === 'admin' || caller === 'caseworker' ? (await freshHolistic()).id : world.owner.grants.main.id}/successor-period` }),
    'PUT /api/v1/integrations/case-system/citizens/:caseNumber': () => {
      const cpr = nextCpr();
      return { path: `/api/v1/integrations/case-system/citizens/K-${unique()}`, body: { cpr, name: 'Borger Fagsystem', targetGroup: 'activity_ready_cash_benefit' } };
    },
    'POST /api/v1/grants/:id/end': async () => ({ path: `/api/v1/grants/${(await freshGrant()).id}/end`, body: { outcome: 'job', endedOn: '2026-11-20' } }),
    'POST /api/v1/grants/:id/progress-reports': async () => ({
      path: `/api/v1/grants/${(await freshGrant()).id}/progress-reports`,
      body: { dueDate: '2026-12-01', progress: 'Godt i gang', hoursUsedFor: 'Møder', deliverySummary: 'Tre møder' },
    }),

    'POST /api/v1/grants/:id/amendments': async () => ({
      path: `/api/v1/grants/${(await freshGrant()).id}/amendments`,
      body: { kind: 'goal', effectiveFrom: '2026-11-02', reason: 'Nyt mål ved opfølgningen', goal: 'Fast fremmøde', tasks: 'Ugentlige samtaler' },
    }),
    'POST /api/v1/grants/:id/amendments/:amendmentId/approve': async () => ({ path: `${await freshAmendmentProposal()}/approve`, body: {} }),
    'POST /api/v1/grants/:id/amendments/:amendmentId/reject': async () => ({ path: `${await freshAmendmentProposal()}/reject`, body: { reason: 'Timetallet er ikke begrundet' } }),
    'POST /api/v1/grants/:id/follow-ups': async () => ({
      path: `/api/v1/grants/${(await freshGrant()).id}/follow-ups`,
      body: { heldOn: '2026-11-20', form: 'meeting', withWhom: 'Borger og mentor', progress: 'Godt i gang', nextSteps: 'Fortsæt' },
    }),

    'POST /api/v1/invoices': () => ({ body: invoiceBody([{ grantReference: scratchGrant.reference, date: nextInvoiceDate(), minutes: 15 }], { supplierId: world.owner.id }) }),
    'POST /api/v1/invoices/:id/approve': async () => ({ path: `/api/v1/invoices/${(await freshInvoice()).id}/approve`, body: {} }),
    'POST /api/v1/invoices/:id/reject': async () => ({ path: `/api/v1/invoices/${(await freshInvoice()).id}/reject`, body: { reason: 'Timerne er ikke dokumenteret' } }),

    'POST /api/v1/invoices/:id/hold': async () => ({ path: `/api/v1/invoices/${(await freshInvoice()).id}/hold`, body: { reason: 'Afventer dokumentation', releaseOn: '2099-01-01' } }),
    'POST /api/v1/invoices/:id/release': async (caller) => {
      const invoice = await freshInvoice();
      if (caller === 'finance') await expectStatus('hold', t.http.post(`/api/v1/invoices/${invoice.id}/hold`).set(bearer(callers.finance.token)).send({ reason: 'Afventer dokumentation', releaseOn: '2099-01-01' }), 200);
      return { path: `/api/v1/invoices/${invoice.id}/release` };
    },
    'POST /api/v1/invoices/:id/lines/:lineNo/answer': async () => ({ path: `/api/v1/invoices/${(await findingInvoice()).id}/lines/1/answer`, body: { answer: 'dispute', comment: 'Mødet blev holdt' } }),
    'POST /api/v1/invoices/:id/lines/:lineNo/reply': async () => ({ path: `/api/v1/invoices/${(await disputedInvoice()).id}/lines/1/reply`, body: { comment: 'Vi ser på det' } }),
    'POST /api/v1/invoices/:id/lines/:lineNo/resolve': async () => ({ path: `/api/v1/invoices/${(await disputedInvoice()).id}/lines/1/resolve`, body: { resolution: 'rejected' } }),
    'GET /api/v1/invoices/:id/response.xml': () => ({ path: `/api/v1/invoices/${respondedInvoiceId}/response.xml` }),
    'POST /api/v1/hour-registrations': () => ({ body: { grantId: world.partner.grants.main.id, date: '2026-11-10', minutes: 15, contactForm: 'in_person' } }),
    // One open month of the owner: only the owner's call may submit it, and the other supplier's comes first.
    'POST /api/v1/hour-registrations/:month/submit': () => ({ path: `/api/v1/hour-registrations/${world.openMonth}/submit` }),
    'DELETE /api/v1/hour-registrations/sessions/:id': async () => ({ path: `/api/v1/hour-registrations/sessions/${await freshSession()}` }),

    // The session log is the mentor supplier's: a session on the owner's grant (the other supplier's is not found),
    // a file naming the owner's grant (refused per row for the other supplier), a change and a removal of a fresh one.
    'POST /api/v1/sessions': () => ({ body: nextLoggedSession() }),
    'POST /api/v1/sessions/import': () => {
      const session = nextLoggedSession();
      return { csv: `bevilling;dato;minutter;kontaktform;med_hvem\r\n${scratchGrant.reference};${session.date};${session.minutes};telefon;borger\r\n` };
    },
    'GET /api/v1/sessions': () => ({ query: { from: '2026-11-01', to: '2026-11-30' } }),
    'PATCH /api/v1/sessions/:id': async () => ({ path: `/api/v1/sessions/${await freshLoggedSession()}`, body: { withWhom: 'citizen_and_employer' } }),
    'DELETE /api/v1/sessions/:id': async () => ({ path: `/api/v1/sessions/${await freshLoggedSession()}` }),

    // A month without deliveries: the run has nothing to replace.
    'POST /api/v1/billing-runs': () => ({ body: { month: '2026-08' } }),
    'POST /api/v1/refund-claims': () => ({ body: { from: '2026-10-01', to: '2026-10-31' } }),
    'POST /api/v1/refund-claims/:id/submit': async () => ({ path: `/api/v1/refund-claims/${await freshClaim()}/submit` }),
    'PUT /api/v1/budgets/:year': () => ({ body: { budgetOre: 500_000_000, frameOre: 100_000_000 } }),
    'PUT /api/v1/hour-budgets/:year': () => ({ body: { mentorType: 'retention', supplierId: null, minutes: 60_000 } }),
    'PUT /api/v1/budget-guarantee/:year': () => ({ body: { fullTimePersons: '1234,56' } }),
    'POST /api/v1/budget-guarantee/import': () => ({ body: { csv: 'year;full_time_persons\n2026;1234,56' } }),
    'POST /api/v1/comparisons/import': () => ({ contentType: 'text/csv', body: 'Område;Periode;Personer med mentor;Befolkning;Udgift kr\r\n751 Aarhus;2025;1.234;250.000;12.345.678,50\r\n' }),
    'GET /api/v1/comparisons': () => ({ query: { period: '2025' } }),
    'PUT /api/v1/notifications/preferences': () => ({ body: { preferences: [] } }),
    'POST /api/v1/grants/:id/messages': () => ({ body: { kind: 'question', body: 'Hvornår er næste samtale?' } }),
    'POST /api/v1/delegations': async (caller) => {
      const role = caller === 'team_leader' ? 'team_leader' : 'finance';
      const deputy = await makeUser(t, role);
      const principal = caller === 'admin' ? (await makeUser(t, 'finance')).id : undefined;
      return { body: { principalUserId: principal, deputyUserId: deputy.id, validFrom: '2027-01-04', validTo: '2027-01-29' } };
    },
    // A delegation in the future of a fresh finance user to the finance caller, which the caller (its deputy) or admin ends.
    'POST /api/v1/delegations/:id/end': async (caller) => {
      const role = caller === 'team_leader' ? 'team_leader' : 'finance';
      const principal = await makeUser(t, role);
      const delegation = await expectStatus<{ id: string }>(
        'delegation',
        t.http.post('/api/v1/delegations').set(bearer(callers.admin.token)).send({ principalUserId: principal.id, deputyUserId: callers[role].id, validFrom: '2027-02-01', validTo: '2027-02-26' }),
        201,
      );
      return { path: `/api/v1/delegations/${delegation.id}/end` };
    },
    'POST /api/v1/auth/logout-all': async (caller) => ({ token: caller === 'anonymous' ? null : (await lookalike(caller)).token }),
    'POST /api/v1/auth/two-factor/confirm': async (caller) => {
      if (caller === 'anonymous') return { body: { code: '000000' } };
      const user = await lookalike(caller);
      const setup = await expectStatus<{ secret: string }>('two-factor set-up', t.http.post('/api/v1/auth/two-factor').set(bearer(user.token)), 201);
      return { token: user.token, body: { code: generateSync({ secret: setup.secret }) } };
    },
    'POST /api/v1/auth/two-factor/recovery-codes': () => ({ body: { code: '000000' } }),
    'POST /api/v1/auth/password': async (caller) => {
      const user = caller === 'anonymous' ? visitor : await lookalike(caller);
      return { token: caller === 'anonymous' ? null : user.token, body: { currentPassword: user.password, newPassword: 'Matrix-Nyt-Kodeord-2026!' } };
    },
  };
  const reportPlan: Plan = () => ({ query: { year: '2026' } });
  const planOf = (route: AppRoute): Plan => PLANS[routeKey(route)] ?? (route.path.startsWith('/api/v1/reports/') ? reportPlan : () => ({}));

  /** Fills `:param` with the world's record for the segment before it (`/grants/:id` → the owner's grant). */
  function fill(path: string): string {
    return path.replace(/:(\w+)/g, (_whole, name: string, offset: number) => {
      const segment = path.slice(0, offset).split('/').filter(Boolean).at(-1);
      const value = ids[`${segment}/:${name}`];
      if (value === undefined) throw new Error(`No record for :${name} in ${path}: add one to the ids in test/access-matrix.e2e-spec.ts`);
      return value;
    });
  }

  async function call(route: AppRoute, caller: Caller) {
    const spec = await planOf(route)(caller);
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let request = t.http[method](spec.path ?? fill(route.path));
    const token = spec.token === undefined ? tokenOf(caller) : spec.token;
    if (token) request = request.set(bearer(token));
    if (spec.query) request = request.query(spec.query);
    if (spec.csv !== undefined) return request.set('Content-Type', 'text/csv').send(spec.csv);
    if (spec.contentType) request = request.set('Content-Type', spec.contentType);
    if (spec.upload) {
      for (const [name, value] of Object.entries(spec.upload.fields)) request = request.field(name, value);
      return request.attach('file', spec.upload.file, { filename: spec.upload.fileName, contentType: 'application/pdf' });
    }
    return spec.body === undefined ? request : request.send(spec.body);
  }

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    world = await buildPortalWorld(t, [
      { cpr: '010184-1001', name: 'Borger Ejer Et' },
      { cpr: '020184-1002', name: 'Borger Ejer To' },
      { cpr: '030184-1003', name: 'Borger Partner' },
      { cpr: '040184-1004', name: 'Borger Anden' },
    ]);
    [visitor, target] = await Promise.all([makeUser(t, 'caseworker'), makeUser(t, 'finance')]);
    callers = { ...world.staff, owner: world.owner.user, other: world.other.user };
    spareSupplierId = (await makeSupplierViaApi(t)).id;
    scratchGrant = await freshGrant({ minutesPerWeek: 120 });
    const versions = await expectStatus<Array<{ values: Record<string, unknown> }>>('rule sets', t.http.get('/api/v1/rule-sets').set(bearer(world.staff.admin.token)), 200);
    shippedRuleSet = versions[versions.length - 1].values;
    const serviceAccount = await expectStatus<{ id: string }>(
      'service account',
      t.http.post('/api/v1/api-tokens/service-accounts').set(bearer(world.staff.admin.token)).send({ name: 'matrix-finance-system', scopes: ['statements:read'] }),
      201,
    );
    const apiToken = await expectStatus<{ id: string }>('API token', t.http.post('/api/v1/api-tokens').set(bearer(world.staff.admin.token)).send({ serviceAccountId: serviceAccount.id }), 201);
    // A notification of the owner's user: its supplier is told that one of its invoices was decided.
    await t.dataSource.transaction((manager) =>
      t.app.get(NotificationEvents).publish(manager, [notificationEvent('invoice.approved', world.approvedInvoice.id, { invoiceId: world.approvedInvoice.id, invoiceNumber: world.approvedInvoice.invoiceNumber, supplierId: world.owner.id, approvedOre: 100 })]),
    );
    await t.app.get(NotificationRelay).dispatchPending();
    // An export of the owner's statement, exported again by id.
    const postingExport = await t.http.get('/api/v1/postings').query({ statementId: world.statement.id }).set(bearer(world.staff.finance.token)).expect(200);
    const ownerDocument = await expectStatus<{ id: string }>(
      'document',
      t.http
        .post(`/api/v1/agreements/${world.owner.agreementId}/documents`)
        .set(bearer(world.staff.procurement.token))
        .field('kind', 'mentor_contract')
        .attach('file', await smallPdf('Mentorkontrakt'), { filename: 'mentorkontrakt.pdf', contentType: 'application/pdf' }),
      201,
    );
    const ownerAdHoc = await freshAdHoc();
    const ownerNotifications = await expectStatus<{ items: Array<{ id: string }> }>('notifications', t.http.get('/api/v1/notifications').set(bearer(world.owner.user.token)), 200);
    const ubl = await expectStatus<{ id: string }>('e-invoice', t.http.post('/api/v1/invoices').set(bearer(world.owner.user.token)).set('Content-Type', 'application/xml').send(peppolInvoiceXml(world.owner.cvr, `UBL-M-${unique()}`, scratchGrant.reference, nextInvoiceDate())), 201);
    await expectStatus('reject', t.http.post(`/api/v1/invoices/${ubl.id}/reject`).set(bearer(world.staff.finance.token)).send({ reason: 'Timerne er ikke dokumenteret' }), 200);
    respondedInvoiceId = ubl.id;
    ids = {
      'notifications/:id': ownerNotifications.items[0].id,
      'users/:id': target.id,
      'service-accounts/:id': serviceAccount.id,
      'api-tokens/:id': apiToken.id,
      'suppliers/:id': world.owner.id,
      'agreements/:id': world.owner.agreementId,
      'documents/:documentId': ownerDocument.id,
      'ad-hoc-purchases/:id': ownerAdHoc.id,
      'citizens/:id': world.owner.grants.main.citizenId,
      'grants/:id': world.owner.grants.main.id,
      'amendments/:amendmentId': '00000000-0000-4000-8000-000000000000',
      'invoices/:id': world.pendingInvoice.id,
      'hour-registrations/:month': world.draftMonth,
      'sessions/:id': world.draftSessionId,
      'billing-runs/:id': world.billingRunId,
      'statements/:id': world.statement.id,
      'refund-claims/:id': world.refundClaimId,
      'budgets/:year': '2026',
      'hour-budgets/:year': '2026',
      'budget-guarantee/:year': '2026',
      'exports/:id': postingExport.headers['x-posting-export-id'] as string,
    };
    ownerSecrets = [
      world.owner.id,
      world.owner.name,
      world.owner.cvr,
      world.owner.agreementId,
      ...Object.values(world.owner.grants).flatMap((grant) => [grant.id, grant.reference, grant.citizenId]),
      scratchGrant.reference,
      world.pendingInvoice.id,
      world.pendingInvoice.invoiceNumber,
      world.approvedInvoice.id,
      world.approvedInvoice.invoiceNumber,
      world.statement.id,
      world.statement.number,
      world.partner.id,
      world.partner.name,
      world.partner.grants.main.id,
      world.partner.grants.main.reference,
      world.draftSessionId,
    ];
    routes = appRoutes(t.app).filter((route) => route.path.startsWith('/api/v1/'));
  });
  afterAll(() => t.close());

  it('has an entry in the table for every API route the application serves, and none for a route it does not serve', () => {
    const served = routes.map(routeKey);
    const missing = served.filter((key) => !(key in ACCESS_MATRIX));
    if (missing.length > 0) throw new Error(`No access-matrix entry for:\n  ${missing.join('\n  ')}\nadd it to ${TABLE_FILE}`);
    expect({ notServed: Object.keys(ACCESS_MATRIX).filter((key) => !served.includes(key)) }).toEqual({ notServed: [] });
    expect(new Set(served).size).toBe(served.length);
  });

  it(`answers every route as the table says: ${TABLE_SIZE} routes × ${CALLERS.length} callers = ${TABLE_SIZE * CALLERS.length} cases`, async () => {
    // The owner of hour registrations is the partner company; of everything else the mentor supplier.
    const ownerOf = (route: AppRoute) => (route.path.startsWith('/api/v1/hour-registrations') || route.path === '/api/v1/statements/:id.xml' ? world.partner.user : world.owner.user);
    const problems: string[] = [];
    let cases = 0;
    for (const route of routes) {
      const expected = ACCESS_MATRIX[routeKey(route)];
      if (!expected) continue; // reported by the test above
      callers.owner = ownerOf(route);
      for (const caller of CALL_ORDER) {
        const response = await call(route, caller);
        cases++;
        const at = `${routeKey(route)} as ${caller}`;
        if (response.status !== expected[caller]) {
          problems.push(`${at}: expected ${expected[caller]}, got ${response.status} ${(response.text ?? '').slice(0, 300)}`);
          continue;
        }
        const body = response.body as { statusCode?: unknown } | undefined;
        if (response.status >= 400 && body?.statusCode !== response.status) problems.push(`${at}: ${response.status} without the error shape: ${(response.text ?? '').slice(0, 300)}`);
        if (caller === 'other' && response.status < 300) {
          const leaked = ownerSecrets.filter((secret) => (response.text ?? '').includes(secret));
          if (leaked.length > 0) problems.push(`${at}: ${response.status} shows the owner's ${leaked.join(', ')}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(`${routes.length} routes × ${CALLERS.length} callers = ${cases} cases`).toBe(`${TABLE_SIZE} routes × ${CALLERS.length} callers = ${TABLE_SIZE * CALLERS.length} cases`);
    // The hold and dispute routes each take a fresh invoice per caller; 880 calls outgrow jest's minute on a loaded machine.
  }, 240_000);
});
