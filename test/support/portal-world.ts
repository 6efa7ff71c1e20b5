import { randomBytes } from 'node:crypto';
import { JobQueue } from '../../src/common/queue/job-queue';
import { approveGrant, makeAgreement, makeSupplierViaApi, procurementUser, teamLeaderUser } from './factories';
import { invoiceBody } from './invoice-fixtures';
import { bearer, makeUser, type TestApp, type TestUser } from './test-app';

/** A citizen to register: the CPR number as sent (with or without the hyphen) and the name. */
export interface CitizenSeed {
  cpr: string;
  name: string;
}

export interface WorldGrant {
  id: string;
  reference: string;
  citizenId: string;
}

export interface WorldSupplier {
  id: string;
  cvr: string;
  name: string;
  agreementId: string;
  user: TestUser;
  grants: Record<string, WorldGrant>;
}

/**
 * One of everything the portal keeps, made through the API as its users would:
 * a mentor supplier (the owner of most records), a partner company that registers hours,
 * a second partner company (the other supplier), citizens and grants, invoices
 * (validated with findings, approved), self-billing months, a finalised month with
 * statements, a budget, a refund claim and a progress report.
 */
export interface PortalWorld {
  staff: { admin: TestUser; procurement: TestUser; caseworker: TestUser; team_leader: TestUser; finance: TestUser };
  owner: WorldSupplier;
  partner: WorldSupplier;
  other: WorldSupplier;
  citizens: Array<CitizenSeed & { id: string; maskedCpr: string }>;
  /** The owner's invoice awaiting approval, with findings: an over-cap week and a line on the other supplier's grant. */
  pendingInvoice: { id: string; invoiceNumber: string };
  /** The owner's approved October invoice. */
  approvedInvoice: { id: string; invoiceNumber: string };
  /** The partner's self-billing draft month with one registration, and that registration's id. */
  draftMonth: string;
  draftSessionId: string;
  /** A second open self-billing month of the partner, not yet submitted. */
  openMonth: string;
  /** The partner's approved self-billing invoice of the ended month. */
  selfBillingInvoiceId: string;
  /** The finalising run of the ended month, and the owner's and the partner's final statements. */
  month: string;
  billingRunId: string;
  statement: { id: string; number: string };
  partnerStatementId: string;
  refundClaimId: string;
  /** The follow-up date of the owner's main grant, for which a progress report is submitted. */
  followUpDate: string;
}

export const WORLD_MONTH = '2026-10';

const GRANT_PERIOD = { start: '2026-09-01', end: '2027-02-28' };

/** The body of an answer that must have the given status; anything else stops the setup with the answer. */
export async function expectStatus<T = Record<string, unknown>>(what: string, response: PromiseLike<{ status: number; body: unknown }>, status: number): Promise<T> {
  const answer = await response;
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}

/**
 * Registers a citizen as the caseworker and proposes mentor support on the agreement, which the test app's team
 * leader approves from its start (unless `approve` is false: the grant stays proposed).
 */
export async function makeGrant(
  t: TestApp,
  caseworker: TestUser,
  agreementId: string,
  citizen: CitizenSeed,
  spec: { mentorType: string; minutesPerWeek: number; targetGroup?: string; start?: string; end?: string; approve?: boolean },
): Promise<WorldGrant & { maskedCpr: string }> {
  const made = await expectStatus<{ id: string; maskedCpr: string }>(
    'citizen',
    t.http
      .post('/api/v1/citizens')
      .set(bearer(caseworker.token))
      .send({ cpr: citizen.cpr, name: citizen.name, caseNumber: `J-${randomBytes(3).toString('hex')}`, targetGroup: spec.targetGroup ?? 'sickness_benefit' }),
    201,
  );
  const grant = await expectStatus<{ id: string; reference: string }>(
    'grant',
    t.http
      .post('/api/v1/grants')
      .set(bearer(caseworker.token))
      .send({
        citizenId: made.id,
        agreementId,
        mentorType: spec.mentorType,
        serviceLevel: 1,
        minutesPerWeek: spec.minutesPerWeek,
        start: spec.start ?? GRANT_PERIOD.start,
        end: spec.end ?? GRANT_PERIOD.end,
        goal: 'Fastholdelse i job',
        tasks: 'Samtaler med borger og arbejdsgiver',
        mentorName: 'Mette Mentor',
        mentorPhone: '12345678',
      }),
    201,
  );
  if (spec.approve !== false) await approveGrant(t, grant.id, spec.start ?? GRANT_PERIOD.start);
  return { id: grant.id, reference: grant.reference, citizenId: made.id, maskedCpr: made.maskedCpr };
}

async function supplier(t: TestApp, kind: 'mentor_supplier' | 'partner_company'): Promise<Omit<WorldSupplier, 'grants'>> {
  const made = await makeSupplierViaApi(t, { kind });
  const procurement = await procurementUser(t);
  const agreement =
    kind === 'partner_company'
      ? await makeAgreement(t, made.id, { kind: 'partnership', mentorTypes: ['company'], defaultMinutesPerWeek: 60, defaultRateOre: 25_000 })
      : await makeAgreement(t, made.id);
  if (kind === 'mentor_supplier') {
    for (const serviceLevel of [1, 2]) {
      await expectStatus(
        'rate',
        t.http.post(`/api/v1/agreements/${agreement.id}/rates`).set(bearer(procurement.token)).send({ mentorType: 'retention', serviceLevel, validFrom: '2026-01-01', rateOre: 45_000 }),
        201,
      );
    }
  }
  const user = await makeUser(t, 'supplier', made.id);
  return { id: made.id, cvr: made.cvr, name: made.name, agreementId: agreement.id, user };
}

/**
 * Builds the world. `citizens` are the four citizens of the owner's main and second grant,
 * the partner's grant and the other supplier's grant, in that order.
 */
export async function buildPortalWorld(t: TestApp, citizens: [CitizenSeed, CitizenSeed, CitizenSeed, CitizenSeed]): Promise<PortalWorld> {
  const [admin, procurement, caseworker, teamLeader, finance] = await Promise.all([makeUser(t, 'admin'), procurementUser(t), makeUser(t, 'caseworker'), teamLeaderUser(t), makeUser(t, 'finance')]);
  const [ownerBase, partnerBase, otherBase] = await Promise.all([supplier(t, 'mentor_supplier'), supplier(t, 'partner_company'), supplier(t, 'partner_company')]);

  const main = await makeGrant(t, caseworker, ownerBase.agreementId, citizens[0], { mentorType: 'retention', minutesPerWeek: 120 });
  const second = await makeGrant(t, caseworker, ownerBase.agreementId, citizens[1], { mentorType: 'retention', minutesPerWeek: 60 });
  const company = await makeGrant(t, caseworker, partnerBase.agreementId, citizens[2], { mentorType: 'company', minutesPerWeek: 60 });
  const elsewhere = await makeGrant(t, caseworker, otherBase.agreementId, citizens[3], { mentorType: 'company', minutesPerWeek: 60 });
  const owner: WorldSupplier = { ...ownerBase, grants: { main, second } };
  const partner: WorldSupplier = { ...partnerBase, grants: { main: company } };
  const other: WorldSupplier = { ...otherBase, grants: { main: elsewhere } };

  const submit = (body: Record<string, unknown>) => expectStatus<{ id: string; invoiceNumber: string }>('invoice', t.http.post('/api/v1/invoices').set(bearer(owner.user.token)).send(body), 201);
  const approvedInvoice = await submit(
    invoiceBody([
      { grantReference: main.reference, date: '2026-10-05', minutes: 60 },
      { grantReference: main.reference, date: '2026-10-13', minutes: 45 },
      { grantReference: second.reference, date: '2026-10-20', minutes: 60 },
    ]),
  );
  await expectStatus('approve', t.http.post(`/api/v1/invoices/${approvedInvoice.id}/approve`).set(bearer(finance.token)).send({}), 200);
  // Week 2026-W45: 90 + 60 minutes on a grant of 120 a week, and a line on the other supplier's grant.
  const pendingInvoice = await submit(
    invoiceBody([
      { grantReference: main.reference, date: '2026-11-02', minutes: 90 },
      { grantReference: main.reference, date: '2026-11-04', minutes: 60 },
      { grantReference: elsewhere.reference, date: '2026-11-03', minutes: 30 },
    ]),
  );

  const register = (date: string, minutes: number) =>
    expectStatus<{ lines: Array<{ id: string; date: string }> }>(
      'hour registration',
      t.http.post('/api/v1/hour-registrations').set(bearer(partner.user.token)).send({ grantId: company.id, date, minutes, contactForm: 'in_person' }),
      201,
    );
  await register('2026-10-06', 60);
  await register('2026-10-14', 45);
  const selfBilling = await expectStatus<{ id: string }>('submit month', t.http.post(`/api/v1/hour-registrations/${WORLD_MONTH}/submit`).set(bearer(partner.user.token)), 200);
  await expectStatus('approve self-billing', t.http.post(`/api/v1/invoices/${selfBilling.id}/approve`).set(bearer(finance.token)).send({}), 200);
  await register('2026-09-15', 30);
  const draft = await register('2026-11-03', 30);

  const runMonth = async (kind: 'build' | 'finalise') => {
    const run = await expectStatus<{ id: string }>('billing run', t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: WORLD_MONTH, kind }), 202);
    await t.app.get(JobQueue).drain();
    return run.id;
  };
  await runMonth('build');
  const billingRunId = await runMonth('finalise');
  const finalStatement = async (supplierId: string) => {
    const statements = await expectStatus<Array<{ id: string; number: string; status: string }>>(
      'statements',
      t.http.get('/api/v1/statements').query({ month: WORLD_MONTH, supplierId }).set(bearer(finance.token)),
      200,
    );
    if (statements.length !== 1 || statements[0].status !== 'final') throw new Error(`statements: expected one final statement, got ${JSON.stringify(statements)}`);
    return { id: statements[0].id, number: statements[0].number };
  };
  const statement = await finalStatement(owner.id);
  const partnerStatement = await finalStatement(partner.id);

  await expectStatus('budget', t.http.put('/api/v1/budgets/2026').set(bearer(finance.token)).send({ budgetOre: 500_000_000, frameOre: 100_000_000 }), 200);
  const claim = await expectStatus<{ id: string }>('refund claim', t.http.post('/api/v1/refund-claims').set(bearer(finance.token)).send({ from: '2026-10-01', to: '2026-10-31' }), 202);
  await t.app.get(JobQueue).drain();
  const computed = await expectStatus<{ status: string }>('refund claim', t.http.get(`/api/v1/refund-claims/${claim.id}`).set(bearer(finance.token)), 200);
  if (computed.status !== 'draft') throw new Error(`refund claim: expected a draft, got ${JSON.stringify(computed)}`);

  // 13 weeks after the grant's start.
  const followUpDate = '2026-12-01';
  await expectStatus(
    'progress report',
    t.http
      .post(`/api/v1/grants/${main.id}/progress-reports`)
      .set(bearer(owner.user.token))
      .send({ dueDate: followUpDate, progress: 'Godt i gang', hoursUsedFor: 'Møder på arbejdspladsen', deliverySummary: 'Fire møder' }),
    201,
  );

  return {
    staff: { admin, procurement, caseworker, team_leader: teamLeader, finance },
    owner,
    partner,
    other,
    citizens: [main, second, company, elsewhere].map((grant, index) => ({ ...citizens[index], id: grant.citizenId, maskedCpr: grant.maskedCpr })),
    pendingInvoice,
    approvedInvoice,
    draftMonth: '2026-11',
    draftSessionId: draft.lines.find((line) => line.date === '2026-11-03')!.id,
    openMonth: '2026-09',
    month: WORLD_MONTH,
    selfBillingInvoiceId: selfBilling.id,
    billingRunId,
    statement,
    partnerStatementId: partnerStatement.id,
    refundClaimId: claim.id,
    followUpDate,
  };
}
