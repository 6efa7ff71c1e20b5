import request from 'supertest';
import { Clock } from '../src/common/time/clock';
import { JobQueue } from '../src/common/queue/job-queue';
import { SilentGrantWatch } from '../src/invoices/silent-grant-watch.service';
import { NotificationRelay } from '../src/notifications/notification-relay.service';
import { RemindersService } from '../src/notifications/reminders.service';
import { auditActions, makeAgreement, makeSupplierViaApi, procurementUser } from './support/factories';
import { fictitiousCpr, invoiceBody } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface Listed {
  items: Array<{ type: string; title: string; link: string; onBehalfOf: string | null }>;
}

/**
 * A grant's course (issue 12: 4, 5, 7, 8, 9; issue 15: the team leaders' events): an early end with a lawful reason
 * per mentor type, the next holistic period linked to the one before, eligibility by mentor type and target group,
 * the case system's push, silent grants, and the caseworker and team leaders told.
 */
describe('a grant’s course', () => {
  let t: TestApp;
  let caseworker: TestUser;
  let leader: TestUser;
  let admin: TestUser;
  let agreementId: string;
  let supplierId: string;
  let supplierUser: TestUser;

  const citizen = async (targetGroup: string) =>
    (await t.http.post('/api/v1/citizens').set(bearer(caseworker.token)).send({ cpr: fictitiousCpr(), name: 'Borger Forløb', caseNumber: `J-${Math.random().toString(36).slice(2, 8)}`, targetGroup }).expect(201)).body as { id: string };
  const terms = (citizenId: string, overrides: Record<string, unknown> = {}) => ({
    citizenId,
    agreementId,
    mentorType: 'holistic',
    serviceLevel: 1,
    minutesPerWeek: 60,
    start: '2026-09-01',
    end: '2027-02-28',
    goal: 'Stabil hverdag',
    tasks: 'Samtaler hver uge',
    mentorName: 'Mette Mentor',
    mentorPhone: '12345678',
    ...overrides,
  });
  const propose = async (targetGroup: string, overrides: Record<string, unknown> = {}) =>
    (await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(terms((await citizen(targetGroup)).id, overrides)).expect(201)).body as { id: string; reference: string; citizenId: string };
  const approve = (id: string, activeFrom = '2026-09-01') => t.http.post(`/api/v1/grants/${id}/approve`).set(bearer(leader.token)).send({ activeFrom }).expect(200);
  const activeHolistic = async () => {
    const grant = await propose('activity_ready_cash_benefit');
    await approve(grant.id);
    return grant;
  };
  const relay = async () => {
    await t.app.get(JobQueue).drain();
    await t.app.get(NotificationRelay).dispatchPending();
  };
  const notificationsOf = async (user: TestUser, type: string) => ((await t.http.get('/api/v1/notifications').set(bearer(user.token)).expect(200)).body as Listed).items.filter((item) => item.type === type);

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    [caseworker, leader, admin] = await Promise.all([makeUser(t, 'caseworker'), makeUser(t, 'team_leader'), makeUser(t, 'admin')]);
    const supplier = await makeSupplierViaApi(t);
    supplierId = supplier.id;
    agreementId = (await makeAgreement(t, supplier.id, { mentorTypes: ['retention', 'holistic', 'discharge'] })).id;
    const procurement = await procurementUser(t);
    await t.http.post(`/api/v1/agreements/${agreementId}/rates`).set(bearer(procurement.token)).send({ mentorType: 'holistic', serviceLevel: 1, validFrom: '2026-01-01', rateOre: 45_000 }).expect(201);
    supplierUser = await makeUser(t, 'supplier', supplier.id);
  });
  afterAll(() => t.close());

  describe('an early end needs a lawful reason of its mentor type', () => {
    it('refuses to end a holistic course early without a reason, or for a reason the type does not allow, storing nothing', async () => {
      const grant = await activeHolistic();
      const bare = await t.http.post(`/api/v1/grants/${grant.id}/end`).set(bearer(caseworker.token)).send({ outcome: 'job', endedOn: '2026-12-15' }).expect(422);
      expect(bare.body.details).toEqual([
        expect.objectContaining({ field: 'reason', rule: 'end_reason_required', values: expect.objectContaining({ mentorType: 'holistic', end: '2027-02-28', endedOn: '2026-12-15', allowed: 'ready_for_active_offer, left_target_group' }) }),
      ]);
      const unlawful = await t.http.post(`/api/v1/grants/${grant.id}/end`).set(bearer(caseworker.token)).send({ outcome: 'job', endedOn: '2026-12-15', reason: 'goal_reached' }).expect(422);
      expect(unlawful.body.details).toEqual([expect.objectContaining({ field: 'reason', rule: 'end_reason_for_mentor_type' })]);
      const wrongOutcome = await t.http.post(`/api/v1/grants/${grant.id}/end`).set(bearer(caseworker.token)).send({ outcome: 'job', endedOn: '2026-12-15', reason: 'ready_for_active_offer' }).expect(422);
      expect(wrongOutcome.body.details).toEqual([expect.objectContaining({ field: 'outcome', rule: 'end_reason_outcome' })]);
      const after = (await t.http.get(`/api/v1/grants/${grant.id}`).set(bearer(caseworker.token)).expect(200)).body;
      expect(after).toMatchObject({ status: 'active', outcome: null, course: { endReason: null, earlyEndReasons: ['ready_for_active_offer', 'left_target_group'], successor: 'needed' } });
      expect((await auditActions(t, admin, 'grant', grant.id)).map((entry) => entry.action)).not.toContain('grant.ended');
    });

    it('ends a holistic course early when the citizen is ready for an active offer, and the period asks for no successor', async () => {
      const grant = await activeHolistic();
      const ended = await t.http.post(`/api/v1/grants/${grant.id}/end`).set(bearer(caseworker.token)).send({ outcome: 'active_offer', endedOn: '2026-12-15', reason: 'ready_for_active_offer' }).expect(200);
      expect(ended.body).toMatchObject({ status: 'ended', outcome: 'active_offer', endedOn: '2026-12-15' });
      const read = (await t.http.get(`/api/v1/grants/${grant.id}`).set(bearer(caseworker.token)).expect(200)).body;
      expect(read.course).toMatchObject({ endReason: 'ready_for_active_offer', successor: 'active_offer' });
      const [entry] = (await auditActions(t, admin, 'grant', grant.id)).filter((e) => e.action === 'grant.ended');
      expect(entry.change).toMatchObject({ outcome: 'active_offer', endedOn: '2026-12-15', reason: 'ready_for_active_offer' });
      // A supplier never sees the course's facts.
      const seen = (await t.http.get(`/api/v1/grants/${grant.id}`).set(bearer(supplierUser.token)).expect(200)).body;
      expect(seen.course).toBeUndefined();
    });

    it('ends a retention course early with no reason, as before', async () => {
      const grant = await propose('sickness_benefit', { mentorType: 'retention' });
      await approve(grant.id);
      await t.http.post(`/api/v1/grants/${grant.id}/end`).set(bearer(caseworker.token)).send({ outcome: 'education_started', endedOn: '2026-10-10' }).expect(200);
    });
  });

  describe('the next holistic period', () => {
    it('follows a period from the day after its end for 6 months, linked so that the chain is visible, once', async () => {
      const first = await activeHolistic();
      const next = await t.http.post(`/api/v1/grants/${first.id}/successor-period`).set(bearer(caseworker.token)).expect(201);
      expect(next.body).toMatchObject({ status: 'proposed', start: '2027-03-01', end: '2027-08-31', mentorType: 'holistic', citizenId: first.citizenId, course: { previousGrantId: first.id, nextGrantId: null } });
      const firstRead = (await t.http.get(`/api/v1/grants/${first.id}`).set(bearer(caseworker.token)).expect(200)).body;
      expect(firstRead.course).toMatchObject({ nextGrantId: next.body.id, successor: 'next_period' });
      const chain = (await t.http.get(`/api/v1/grants/${next.body.id}/periods`).set(bearer(leader.token)).expect(200)).body as Array<{ id: string; start: string; end: string }>;
      expect(chain.map((p) => [p.id, p.start, p.end])).toEqual([
        [first.id, '2026-09-01', '2027-02-28'],
        [next.body.id, '2027-03-01', '2027-08-31'],
      ]);
      const again = await t.http.post(`/api/v1/grants/${first.id}/successor-period`).set(bearer(caseworker.token)).expect(409);
      expect(again.body.details).toEqual([expect.objectContaining({ rule: 'successor_exists' })]);
      const retention = await propose('sickness_benefit', { mentorType: 'retention' });
      const notHolistic = await t.http.post(`/api/v1/grants/${retention.id}/successor-period`).set(bearer(caseworker.token)).expect(422);
      expect(notHolistic.body.details).toEqual([expect.objectContaining({ rule: 'successor_holistic_only' })]);
    });
  });

  describe('eligibility by mentor type and target group', () => {
    const countGrants = async (citizenId: string) => Number(((await t.dataSource.query(`SELECT count(*)::int AS n FROM mentor_grant WHERE citizen_id = $1`, [citizenId])) as Array<{ n: number }>)[0].n);

    it('refuses a holistic mentor for a sickness benefit recipient with 422 naming the rule, storing nothing', async () => {
      const sick = await citizen('sickness_benefit');
      const refused = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(terms(sick.id)).expect(422);
      expect(refused.body.details).toEqual([expect.objectContaining({ field: 'mentorType', rule: 'eligible_target_group', values: expect.objectContaining({ targetGroup: 'sickness_benefit', start: '2026-09-01' }) })]);
      expect(await countGrants(sick.id)).toBe(0);
      // The integration target groups are eligible.
      await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(terms((await citizen('integration_benefit_activity_ready')).id)).expect(201);
    });

    it('refuses a discharge coordinator without a discharge date, or starting more than 3 months before it', async () => {
      const patient = await citizen('psychiatric_discharge');
      const discharge = { mentorType: 'discharge', start: '2026-09-01', end: '2027-02-28' };
      const noDate = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(terms(patient.id, discharge)).expect(422);
      expect(noDate.body.details).toEqual([expect.objectContaining({ field: 'dischargeDate', rule: 'discharge_date_required' })]);
      const early = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(terms(patient.id, { ...discharge, dischargeDate: '2026-12-02' })).expect(422);
      expect(early.body.details).toEqual([expect.objectContaining({ field: 'start', rule: 'discharge_start_window', values: expect.objectContaining({ earliestStart: '2026-09-02' }) })]);
      expect(await countGrants(patient.id)).toBe(0);
      const made = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(terms(patient.id, { ...discharge, dischargeDate: '2026-12-01' })).expect(201);
      expect(made.body.course).toMatchObject({ dischargeDate: '2026-12-01' });
    });

    it('gives a single parent with an education order a mentor from enrolment for 6 months in all, also when extended', async () => {
      const parent = await citizen('single_parent_education_order');
      const retention = { mentorType: 'retention', start: '2026-09-01', end: '2026-11-30' };
      const before = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(terms(parent.id, { ...retention, enrolmentDate: '2026-09-02' })).expect(422);
      expect(before.body.details).toEqual([expect.objectContaining({ field: 'start', rule: 'education_order_from_enrolment' })]);
      const grant = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(terms(parent.id, { ...retention, enrolmentDate: '2026-09-01' })).expect(201);
      await approve(grant.body.id);
      const beyond = await t.http.post(`/api/v1/grants/${grant.body.id}/extend`).set(bearer(caseworker.token)).send({ newEnd: '2027-03-01' }).expect(422);
      expect(beyond.body.details).toEqual([expect.objectContaining({ field: 'end', rule: 'education_order_length', values: expect.objectContaining({ latestEnd: '2027-02-28' }) })]);
      await t.http.post(`/api/v1/grants/${grant.body.id}/extend`).set(bearer(caseworker.token)).send({ newEnd: '2027-02-28' }).expect(200);
    });
  });

  describe('the case system’s push', () => {
    let token: string;
    beforeAll(async () => {
      const account = await t.http.post('/api/v1/api-tokens/service-accounts').set(bearer(admin.token)).send({ name: 'momentum', scopes: ['case-system:write'] }).expect(201);
      token = (await t.http.post('/api/v1/api-tokens').set(bearer(admin.token)).send({ serviceAccountId: account.body.id }).expect(201)).body.token;
    });
    const push = (caseNumber: string, body: Record<string, unknown>, as = token) => t.http.put(`/api/v1/integrations/case-system/citizens/${caseNumber}`).set(bearer(as)).send(body);

    it('registers a citizen, records a change of target group, and changes nothing when the same push comes twice', async () => {
      const cpr = fictitiousCpr();
      const first = await push('M-2026-777', { cpr, name: 'Borger Fagsystem', targetGroup: 'activity_ready_cash_benefit' }).expect(200);
      expect(first.body).toMatchObject({ created: true, changed: true, citizen: { caseNumber: 'M-2026-777', targetGroup: 'activity_ready_cash_benefit' } });
      const id = first.body.citizen.id as string;
      const change = { name: 'Borger Fagsystem', targetGroup: 'integration_benefit_activity_ready', effectiveFrom: '2026-11-01' };
      const changed = await push('M-2026-777', change).expect(200);
      expect(changed.body).toMatchObject({ created: false, changed: true });
      expect(changed.body.targetGroups.history.map((e: { targetGroup: string; effectiveFrom: string }) => [e.effectiveFrom, e.targetGroup])).toEqual([
        ['2000-01-01', 'activity_ready_cash_benefit'],
        ['2026-11-01', 'integration_benefit_activity_ready'],
      ]);
      const auditBefore = (await auditActions(t, admin, 'citizen', id)).length;
      const again = await push('M-2026-777', change).expect(200);
      expect(again.body).toMatchObject({ created: false, changed: false });
      expect(again.body.targetGroups.history).toHaveLength(2);
      expect((await auditActions(t, admin, 'citizen', id)).length).toBe(auditBefore);
    });

    it('refuses an unknown target group with 422 naming the rule, a first push without a CPR number, and another person’s CPR number, storing nothing', async () => {
      const unknown = await push('M-2026-778', { cpr: fictitiousCpr(), name: 'Borger Ukendt', targetGroup: 'pirates' }).expect(422);
      expect(unknown.body.details).toEqual([expect.objectContaining({ field: 'targetGroup', rule: 'target_group_known' })]);
      const noCpr = await push('M-2026-778', { name: 'Borger Ukendt', targetGroup: 'sickness_benefit' }).expect(422);
      expect(noCpr.body.details).toEqual([expect.objectContaining({ field: 'cpr', rule: 'case_system_cpr_required' })]);
      expect(await t.dataSource.query(`SELECT id FROM citizen WHERE case_number = 'M-2026-778'`)).toEqual([]);
      await push('M-2026-779', { cpr: fictitiousCpr(), name: 'Borger Ejer', targetGroup: 'sickness_benefit' }).expect(200);
      const mismatch = await push('M-2026-779', { cpr: fictitiousCpr(), name: 'Borger Ejer', targetGroup: 'sickness_benefit' }).expect(409);
      expect(mismatch.body.details).toEqual([expect.objectContaining({ field: 'cpr', rule: 'case_system_cpr_mismatch' })]);
    });

    it('answers a service account without the scope 403', async () => {
      const account = await t.http.post('/api/v1/api-tokens/service-accounts').set(bearer(admin.token)).send({ name: 'finance-system', scopes: ['statements:read'] }).expect(201);
      const other = (await t.http.post('/api/v1/api-tokens').set(bearer(admin.token)).send({ serviceAccountId: account.body.id }).expect(201)).body.token as string;
      await push('M-2026-780', { cpr: fictitiousCpr(), name: 'Borger Scope', targetGroup: 'sickness_benefit' }, other).expect(403);
    });
  });

  describe('silent grants', () => {
    it('flags a weekly-contact grant after 2 weeks without a delivered session and tells the caseworker once', async () => {
      const grant = await propose('activity_ready_cash_benefit', { mentorType: 'retention' });
      await approve(grant.id, '2026-09-01');
      const today = jest.spyOn(t.app.get(Clock), 'today');
      try {
        // A session on Monday 2026-10-05, on an invoice: silent from 2026-10-19 (weekly contact: 2 weeks).
        await t.http.post('/api/v1/invoices').set(bearer(supplierUser.token)).send(invoiceBody([{ grantReference: grant.reference, date: '2026-10-05', minutes: 30, rateOre: 45_000 }])).expect(201);
        today.mockReturnValue('2026-10-18');
        await t.app.get(SilentGrantWatch).run();
        expect((await t.http.get('/api/v1/silent-grants').set(bearer(caseworker.token)).expect(200)).body.filter((s: { grantId: string }) => s.grantId === grant.id)).toEqual([]);
        today.mockReturnValue('2026-10-19');
        await t.app.get(SilentGrantWatch).run();
        await t.app.get(SilentGrantWatch).run();
        const silent = (await t.http.get('/api/v1/silent-grants').set(bearer(caseworker.token)).expect(200)).body.filter((s: { grantId: string }) => s.grantId === grant.id);
        expect(silent).toEqual([expect.objectContaining({ reference: grant.reference, silentSince: '2026-10-05', flaggedOn: '2026-10-19', weeks: 2 })]);
        await relay();
        const told = (await notificationsOf(caseworker, 'grant.silent')).filter((item) => item.link === `/grants/${grant.id}`);
        expect(told).toHaveLength(1);
        // The dashboard lists it; a session delivered later clears it.
        expect((await t.http.get('/').set(bearer(caseworker.token)).expect(200)).text).toContain(grant.reference);
        today.mockReturnValue('2026-10-21');
        await t.http.post('/api/v1/invoices').set(bearer(supplierUser.token)).send(invoiceBody([{ grantReference: grant.reference, date: '2026-10-20', minutes: 30, rateOre: 45_000 }], { issueDate: '2026-10-21' })).expect(201);
        await t.app.get(SilentGrantWatch).run();
        expect((await t.http.get('/api/v1/silent-grants').set(bearer(caseworker.token)).expect(200)).body.filter((s: { grantId: string }) => s.grantId === grant.id)).toEqual([]);
        const actions = (await auditActions(t, admin, 'grant', grant.id)).map((entry) => entry.action).filter((action) => action.startsWith('grant.silent'));
        expect(actions.sort()).toEqual(['grant.silent_cleared', 'grant.silent_flagged']);
        const performance = (await t.http.get('/api/v1/reports/supplier-performance').query({ year: '2026' }).set(bearer(admin.token)).expect(200)).body;
        // This grant, and three of the tests above still active with no session at all: two holistic periods and the single parent's.
        expect(performance.suppliers.find((s: { supplierId: string }) => s.supplierId === supplierId)).toMatchObject({ silentGrants: 4 });
      } finally {
        today.mockRestore();
      }
    });
  });

  describe('the team leaders’ events', () => {
    it('tells the caseworker who proposed a grant once when it is approved, and when it is sent back', async () => {
      const approved = await propose('activity_ready_cash_benefit');
      await approve(approved.id);
      const sentBack = await propose('activity_ready_cash_benefit');
      await t.http.post(`/api/v1/grants/${sentBack.id}/reject`).set(bearer(leader.token)).send({ reason: 'Målet er ikke konkret' }).expect(200);
      await relay();
      expect((await notificationsOf(caseworker, 'grant_proposal.approved')).filter((item) => item.link === `/grants/${approved.id}`)).toHaveLength(1);
      expect((await notificationsOf(caseworker, 'grant_proposal.sent_back')).filter((item) => item.link === `/grants/${sentBack.id}`)).toHaveLength(1);
    });

    it('tells the team leaders of waiting proposals once a day, through a deputy while one is named, and audits for whom the deputy acted', async () => {
      const away = await makeUser(t, 'team_leader');
      const deputy = await makeUser(t, 'team_leader');
      const today = (t.app.get(Clock) as Clock).today();
      await t.http.post('/api/v1/delegations').set(bearer(away.token)).send({ deputyUserId: deputy.id, validFrom: today, validTo: today }).expect(201);
      const waiting = await propose('activity_ready_cash_benefit');
      await t.app.get(RemindersService).run();
      await t.app.get(RemindersService).run();
      await relay();
      expect(await notificationsOf(away, 'grant_proposals.waiting')).toEqual([]);
      const told = await notificationsOf(deputy, 'grant_proposals.waiting');
      expect(told).toHaveLength(1);
      expect(told[0].link).toBe('/grants');
      await t.http.post(`/api/v1/grants/${waiting.id}/approve`).set(bearer(deputy.token)).send({ activeFrom: '2026-09-01' }).expect(200);
      const [entry] = (await t.dataSource.query(`SELECT on_behalf_of_user_id FROM audit_entry WHERE entity_id = $1 AND action = 'grant.approved'`, [waiting.id])) as Array<{ on_behalf_of_user_id: string | null }>;
      expect(entry.on_behalf_of_user_id).toBe(away.id);
    });
  });

  // Last: it counts the holistic courses the tests above made.
  it('counts the status 7 months after the start of each first holistic course', async () => {
    const today = jest.spyOn(t.app.get(Clock), 'today').mockReturnValue('2027-04-01');
    try {
      const figure = (await t.http.get('/api/v1/reports/holistic-status').query({ year: '2026' }).set(bearer(admin.token)).expect(200)).body;
      // Five approved first periods from 2026-09-01, measured on 2027-04-01: one ended in an active offer, four ran out with no end recorded.
      expect(figure).toEqual({ year: 2026, courses: 5, pending: 0, byStatus: [{ status: 'unknown', count: 4 }, { status: 'active_offer', count: 1 }] });
    } finally {
      today.mockRestore();
    }
  });

  // After the count above: the pages make holistic periods of their own.
  describe('the pages, in Danish and English', () => {
    const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const signIn = async (user: TestUser) => {
      const agent = request.agent(t.app.getHttpServer());
      const form = await agent.get('/login').expect(200);
      await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: user.email, password: user.password, next: '/' }).expect(303);
      return agent;
    };

    it('ends a holistic grant through the reasons its type allows and a confirmation, beside the field when refused', async () => {
      const grant = await activeHolistic();
      const agent = await signIn(caseworker);
      const form = await agent.get(`/grants/${grant.id}/ending`).expect(200);
      expect(form.text).toContain('<option value="ready_for_active_offer">');
      expect(form.text).not.toContain('<option value="goal_reached">');
      const english = await agent.get(`/grants/${grant.id}/ending?lang=en`).expect(200);
      expect(english.text).toContain('A holistic mentor course ends before 2027-02-28 only when the citizen is ready for an active offer');
      await agent.get(`/grants/${grant.id}/ending?lang=da`).expect(200);
      const refused = await agent.post(`/grants/${grant.id}/ending`).type('form').send({ _csrf: csrfOf(form.text), outcome: 'job', endedOn: '2026-12-15', reason: '' }).expect(422);
      expect(refused.text).toContain('aria-describedby="e-reason-hint e-reason-error" aria-invalid="true"');
      expect(refused.text).toMatch(/<p class="field-error" id="e-reason-error">Perioden løber til 2027-02-28/);
      const review = await agent.post(`/grants/${grant.id}/ending`).type('form').send({ _csrf: csrfOf(form.text), outcome: 'active_offer', endedOn: '2026-12-15', reason: 'ready_for_active_offer' }).expect(200);
      expect(review.text).toContain('Bevilling ' + grant.reference + ' afsluttes den 2026-12-15');
      // Nothing is stored before the confirmation.
      expect((await t.http.get(`/api/v1/grants/${grant.id}`).set(bearer(caseworker.token)).expect(200)).body.status).toBe('active');
      const done = await agent.post(`/grants/${grant.id}/ending/confirm`).type('form').send({ _csrf: csrfOf(review.text), outcome: 'active_offer', endedOn: '2026-12-15', reason: 'ready_for_active_offer' }).expect(303);
      expect(done.headers.location).toBe(`/grants/${grant.id}?notice=ended`);
      expect((await agent.get(`/grants/${grant.id}`).expect(200)).text).toContain('Borgeren er klar til et ret og pligt-tilbud, som jobcentret giver');
    });

    it('proposes the next period from the chain page once ticked, and lists the silent grants', async () => {
      const grant = await activeHolistic();
      const agent = await signIn(caseworker);
      const page = await agent.get(`/grants/${grant.id}/periods`).expect(200);
      expect(page.text).toContain('Perioden udløber 2027-02-28');
      await agent.post(`/grants/${grant.id}/successor-period`).type('form').send({ _csrf: csrfOf(page.text) }).expect(422);
      const made = await agent.post(`/grants/${grant.id}/successor-period`).type('form').send({ _csrf: csrfOf(page.text), confirm: 'yes' }).expect(303);
      const nextId = /\/grants\/([0-9a-f-]{36})\?notice=created_proposed/.exec(made.headers.location)![1];
      const chain = await agent.get(`/grants/${nextId}/periods?lang=en`).expect(200);
      expect(chain.text).toContain('The periods, oldest first');
      expect(chain.text).toContain(grant.reference);
      expect((await agent.get('/grants-silent?lang=en').expect(200)).text).toContain('Grants without activity');
    });

    it('shows the seven-month status of first holistic courses beside the spend report', async () => {
      const agent = await signIn(admin);
      const today = jest.spyOn(t.app.get(Clock), 'today').mockReturnValue('2027-04-01');
      try {
        const page = await agent.get('/finance/spend?year=2026').expect(200);
        expect(page.text).toContain('Status 7 måneder efter start af første helhedsorienterede mentorforløb');
        // Two courses ended early for an active offer: one by the API above, one through the ending page.
        expect(page.text).toContain('<th scope="row">Overgang til aktivt tilbud</th><td class="num">2</td>');
      } finally {
        today.mockRestore();
      }
    });
  });
});
