import { execFileSync } from 'node:child_process';
import { auditActions, makeAgreement, makeSupplierViaApi, procurementUser, teamLeaderUser } from './support/factories';
import { expectStatus } from './support/portal-world';
import { invoiceBody } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * A level-4 grant through its course (today is 2026-11-25, a Wednesday): approved by a team leader, stepped down to
 * level 3 from a Monday, its mentor changed, raised again by an amendment a team leader approves, extended, and two
 * follow-ups held by the caseworker; an invoice validated week by week against the minutes in force that week.
 */
describe('a grant’s course: amendments and follow-ups', () => {
  let t: TestApp;
  let caseworker: TestUser;
  let teamLeader: TestUser;
  let admin: TestUser;
  let supplierUser: TestUser;
  let otherSupplierUser: TestUser;
  let grantId: string;
  let reference: string;
  let citizenId: string;

  const post = (path: string, user: TestUser, body: Record<string, unknown>) => t.http.post(path).set(bearer(user.token)).send(body);
  const get = (path: string, user: TestUser) => t.http.get(path).set(bearer(user.token));
  const amendments = () => `/api/v1/grants/${grantId}/amendments`;
  const followUps = () => `/api/v1/grants/${grantId}/follow-ups`;
  const rules = (body: { details: Array<{ rule: string }> }) => body.details.map((d) => d.rule);

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    [caseworker, admin] = await Promise.all([makeUser(t, 'caseworker'), makeUser(t, 'admin')]);
    teamLeader = await teamLeaderUser(t);
    const supplier = await makeSupplierViaApi(t);
    const other = await makeSupplierViaApi(t);
    [supplierUser, otherSupplierUser] = await Promise.all([makeUser(t, 'supplier', supplier.id), makeUser(t, 'supplier', other.id)]);
    const agreement = await makeAgreement(t, supplier.id);
    const procurement = await procurementUser(t);
    // Level 4 at 500 kr. an hour, level 3 at 450 kr.: a line's rate is held to the level in force on its day.
    for (const [serviceLevel, rateOre] of [[3, 45_000], [4, 50_000]]) {
      await expectStatus('rate', post(`/api/v1/agreements/${agreement.id}/rates`, procurement, { mentorType: 'retention', serviceLevel, validFrom: '2026-01-01', rateOre }), 201);
    }
    const citizen = await expectStatus<{ id: string }>('citizen', post('/api/v1/citizens', caseworker, { cpr: '150384-2231', name: 'Birgit Forløb', caseNumber: 'J-4711', targetGroup: 'sickness_benefit' }), 201);
    citizenId = citizen.id;
    const grant = await expectStatus<{ id: string; reference: string; status: string }>(
      'grant',
      post('/api/v1/grants', caseworker, {
        citizenId, agreementId: agreement.id, mentorType: 'retention', serviceLevel: 4, minutesPerWeek: 300, start: '2026-08-31', end: '2026-11-29',
        goal: 'Stabilt fremmøde på arbejdspladsen', tasks: 'Tæt kontakt flere gange om ugen', mentorName: 'Mette Mentor', mentorPhone: '12345678',
      }),
      201,
    );
    expect(grant.status).toBe('proposed');
    grantId = grant.id;
    reference = grant.reference;
  });
  afterAll(() => t.close());

  it('is approved by a team leader; an amendment of a grant still proposed is refused', async () => {
    const early = await post(amendments(), caseworker, { kind: 'hours', effectiveFrom: '2026-11-02', reason: 'Nedtrapning', serviceLevel: 3, minutesPerWeek: 210 }).expect(409);
    expect(rules(early.body)).toEqual(['amendment_grant_active']);
    await expectStatus('approve', post(`/api/v1/grants/${grantId}/approve`, teamLeader, { activeFrom: '2026-08-31' }), 200);
  });

  it('refuses an amendment before the start, after the end, or of minutes from a Wednesday, naming the rule, and stores nothing', async () => {
    const before = await post(amendments(), caseworker, { kind: 'hours', effectiveFrom: '2026-08-24', reason: 'Nedtrapning', serviceLevel: 3, minutesPerWeek: 210 }).expect(422);
    expect(before.body.details[0]).toMatchObject({ field: 'effectiveFrom', rule: 'amendment_in_period', values: { start: '2026-08-31', end: '2026-11-29', effectiveFrom: '2026-08-24' } });
    const after = await post(amendments(), caseworker, { kind: 'mentor', effectiveFrom: '2026-11-30', reason: 'Mentorskift', mentorName: 'Karsten Mentor', mentorPhone: '87654321' }).expect(422);
    expect(rules(after.body)).toEqual(['amendment_in_period']);
    const wednesday = await post(amendments(), caseworker, { kind: 'hours', effectiveFrom: '2026-11-04', reason: 'Nedtrapning', serviceLevel: 3, minutesPerWeek: 210 }).expect(422);
    expect(wednesday.body.details[0]).toMatchObject({ rule: 'amendment_from_monday', values: { before: '2026-11-02', after: '2026-11-09' } });
    const band = await post(amendments(), caseworker, { kind: 'hours', effectiveFrom: '2026-11-02', reason: 'Nedtrapning', serviceLevel: 3, minutesPerWeek: 300 }).expect(422);
    expect(rules(band.body)).toEqual(['hours_in_band']);
    const cpr = await post(amendments(), caseworker, { kind: 'goal', effectiveFrom: '2026-11-02', reason: 'Nyt mål for 150384-2231', goal: 'Nyt mål', tasks: 'Nye opgaver' }).expect(422);
    expect(rules(cpr.body)).toEqual(['cpr_in_text']);
    const listed = await get(amendments(), caseworker).expect(200);
    expect(listed.body.items).toEqual([]);
  });

  it('steps level 4 down to level 3 from a Monday at once: it lowers the minutes', async () => {
    const stepDown = await post(amendments(), caseworker, { kind: 'hours', effectiveFrom: '2026-11-02', reason: 'Nedtrapning efter tre måneder', serviceLevel: 3, minutesPerWeek: 210 }).expect(201);
    expect(stepDown.body).toMatchObject({ kind: 'hours', effectiveFrom: '2026-11-02', status: 'approved', serviceLevel: 3, minutesPerWeek: 210, needsApproval: false });
    const again = await post(amendments(), caseworker, { kind: 'hours', effectiveFrom: '2026-11-02', reason: 'Igen', serviceLevel: 3, minutesPerWeek: 200 }).expect(409);
    expect(rules(again.body)).toEqual(['amendment_same_day']);
  });

  it('changes the mentor from a day: a new course for the statistics', async () => {
    const change = await post(amendments(), caseworker, { kind: 'mentor', effectiveFrom: '2026-11-11', reason: 'Mentor er stoppet hos leverandøren', mentorName: 'Karsten Mentor', mentorPhone: '87654321' }).expect(201);
    expect(change.body).toMatchObject({ status: 'approved', mentor: { name: 'Karsten Mentor', phone: '87654321', email: null } });
    // Rejected: on an approved amendment, and for a caseworker.
    await post(`${amendments()}/${change.body.id}/reject`, teamLeader, { reason: 'Nej' }).expect(409);
    await post(`${amendments()}/${change.body.id}/approve`, caseworker, {}).expect(403);
  });

  it('raises the minutes only with a team leader’s approval, and answers a second decision 409', async () => {
    const raise = await post(amendments(), caseworker, { kind: 'hours', effectiveFrom: '2026-11-23', reason: 'Borgeren har brug for mere støtte i opstarten', serviceLevel: 3, minutesPerWeek: 240 }).expect(201);
    expect(raise.body).toMatchObject({ status: 'proposed', needsApproval: true, decidedBy: null });
    let list = await get(amendments(), caseworker).expect(200);
    expect(list.body.inForce).toMatchObject({ since: '2026-11-11', serviceLevel: 3, minutesPerWeek: 210, mentor: { name: 'Karsten Mentor' } });
    const approved = await post(`${amendments()}/${raise.body.id}/approve`, teamLeader, {}).expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: teamLeader.id });
    const second = await post(`${amendments()}/${raise.body.id}/approve`, teamLeader, {}).expect(409);
    expect(rules(second.body)).toEqual(['grant_amendment_transition']);
    list = await get(amendments(), caseworker).expect(200);
    expect(list.body.inForce).toMatchObject({ since: '2026-11-23', serviceLevel: 3, minutesPerWeek: 240 });
    expect(list.body.items.map((a: { kind: string; effectiveFrom: string; status: string }) => `${a.kind} ${a.effectiveFrom} ${a.status}`)).toEqual([
      'hours 2026-11-02 approved',
      'mentor 2026-11-11 approved',
      'hours 2026-11-23 approved',
    ]);
    const actions = (await auditActions(t, admin, 'grant', grantId)).map((a) => a.action);
    expect(actions.filter((a) => a.startsWith('grant_amendment.'))).toEqual(['grant_amendment.approved', 'grant_amendment.proposed', 'grant_amendment.recorded', 'grant_amendment.recorded']);
  });

  it('shows the grant’s supplier the current minutes and the approved amendments without reasons or CPR; another supplier gets 404', async () => {
    const own = await get(amendments(), supplierUser).expect(200);
    expect(own.body.inForce.minutesPerWeek).toBe(240);
    expect(own.body.items[0]).not.toHaveProperty('reason');
    expect(own.text).not.toContain('150384');
    expect(own.text).not.toContain('Birgit');
    await get(amendments(), otherSupplierUser).expect(404);
    await get(followUps(), supplierUser).expect(403);
    await post(amendments(), supplierUser, { kind: 'goal', effectiveFrom: '2026-11-02', reason: 'x', goal: 'x', tasks: 'x' }).expect(403);
  });

  it('validates an invoice week by week against the minutes in force, each line at the rate of the level in force', async () => {
    const invoice = await post(
      '/api/v1/invoices',
      supplierUser,
      invoiceBody(
        [
          // Week 44 (the week before the step-down): level 4, 300 minutes granted, 360 invoiced.
          { grantReference: reference, date: '2026-10-27', minutes: 180, rateOre: 50_000 },
          { grantReference: reference, date: '2026-10-29', minutes: 180, rateOre: 50_000 },
          // Week 45 (from the step-down): level 3, 210 minutes granted, 300 invoiced.
          { grantReference: reference, date: '2026-11-03', minutes: 180, rateOre: 45_000 },
          { grantReference: reference, date: '2026-11-05', minutes: 120, rateOre: 45_000 },
          // Week 48 (from the approved raise): 240 minutes granted and invoiced.
          { grantReference: reference, date: '2026-11-24', minutes: 240, rateOre: 45_000 },
        ],
        { issueDate: '2026-11-25' },
      ),
    ).expect(201);
    const lines = invoice.body.lines as Array<{ findings: Array<{ code: string; values: Record<string, unknown> }>; approvableOre: number }>;
    const weekFindings = lines.map((line) => line.findings.filter((f) => f.code === 'week_over_grant').map((f) => `${f.values.week} ${f.values.grantedMinutes}/${f.values.invoicedMinutes}`));
    expect(weekFindings).toEqual([[], ['2026-W44 300/360'], [], ['2026-W45 210/300'], []]);
    expect(lines.flatMap((line) => line.findings.map((f) => f.code)).filter((code) => code.startsWith('rate'))).toEqual([]);
    // 180 min at 500 kr. = 150,000 øre; 120 of 180 at 500 kr. = 100,000; 180 at 450 kr. = 135,000; 30 of 120 = 22,500; 240 at 450 kr. = 180,000.
    expect(lines.map((line) => line.approvableOre)).toEqual([150_000, 100_000, 135_000, 22_500, 180_000]);
  });

  it('keeps the caseworker’s follow-up open after a progress report; two follow-ups close it and the next falls due 13 weeks after each', async () => {
    await expectStatus('extend', post(`/api/v1/grants/${grantId}/extend`, caseworker, { newEnd: '2027-02-27' }), 200);
    let grant = await get(`/api/v1/grants/${grantId}`, caseworker).expect(200);
    expect(grant.body.dueTasks).toEqual([
      { kind: 'follow_up', due: '2026-11-30', state: 'due' },
      { kind: 'evaluation', due: '2027-02-13', state: 'due' },
    ]);
    await post(`/api/v1/grants/${grantId}/progress-reports`, supplierUser, { dueDate: '2026-11-30', progress: 'Fremmødet er stabilt', hoursUsedFor: 'Samtaler', deliverySummary: 'Ugentlige møder' }).expect(201);
    grant = await get(`/api/v1/grants/${grantId}`, caseworker).expect(200);
    expect(grant.body.dueTasks[0]).toEqual({ kind: 'follow_up', due: '2026-11-30', state: 'due' });

    const future = await post(followUps(), caseworker, { heldOn: '2026-11-26', form: 'meeting', withWhom: 'Borger og mentor', progress: 'God', nextSteps: 'Fortsæt' }).expect(422);
    expect(rules(future.body)).toEqual(['follow_up_not_future']);
    const first = await post(followUps(), caseworker, { heldOn: '2026-11-20', form: 'meeting', withWhom: 'Borger og mentor', progress: 'Fremmødet er stabilt', nextSteps: 'Nedtrapning drøftes' }).expect(201);
    expect(first.body).toMatchObject({ kind: 'follow_up', heldOn: '2026-11-20', taskDue: '2026-11-30', nextDue: '2027-02-19' });
    const second = await post(followUps(), caseworker, { heldOn: '2026-11-25', form: 'video', withWhom: 'Borger', progress: 'Mål nået delvist', nextSteps: 'Ny opfølgning' }).expect(201);
    expect(second.body).toMatchObject({ taskDue: '2027-02-19', nextDue: '2027-02-24' });
    grant = await get(`/api/v1/grants/${grantId}`, caseworker).expect(200);
    expect(grant.body.dueTasks).toEqual([
      { kind: 'follow_up', due: '2026-11-30', state: 'done', heldOn: '2026-11-20' },
      { kind: 'evaluation', due: '2027-02-13', state: 'due' },
      { kind: 'follow_up', due: '2027-02-19', state: 'done', heldOn: '2026-11-25' },
      { kind: 'follow_up', due: '2027-02-24', state: 'due' },
    ]);
    const listed = await get(followUps(), caseworker).expect(200);
    expect(listed.body.map((f: { heldOn: string; form: string }) => `${f.heldOn} ${f.form}`)).toEqual(['2026-11-20 meeting', '2026-11-25 video']);
    const actions = (await auditActions(t, admin, 'grant', grantId)).map((a) => a.action);
    expect(actions.filter((a) => a === 'grant.follow_up_recorded')).toHaveLength(2);
  });

  it('refuses a follow-up on an ended grant with 409, storing nothing', async () => {
    await expectStatus('end', post(`/api/v1/grants/${grantId}/end`, caseworker, { outcome: 'job', endedOn: '2026-11-25' }), 200);
    const ended = await post(followUps(), caseworker, { heldOn: '2026-11-25', form: 'phone', withWhom: 'Borger', progress: 'Job', nextSteps: 'Ingen' }).expect(409);
    expect(rules(ended.body)).toEqual(['follow_up_grant_active']);
    const amend = await post(amendments(), caseworker, { kind: 'goal', effectiveFrom: '2026-11-25', reason: 'x', goal: 'x', tasks: 'y' }).expect(409);
    expect(rules(amend.body)).toEqual(['amendment_grant_active']);
    expect((await get(followUps(), caseworker).expect(200)).body).toHaveLength(2);
  });

  it('puts the version in force and the history annex in the written agreement', async () => {
    const pdf = await t.http.get(`/api/v1/grants/${grantId}/agreement.pdf`).set(bearer(caseworker.token)).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf.body as Buffer }).toString().replace(/\s+/g, ' ');
    // The version in force (level 3, 4 hours a week from 23 November, the new mentor) and the history annex.
    expect(text).toContain('Denne version af aftalen gælder fra 23. november 2026');
    expect(text).toContain('Karsten Mentor');
    expect(text).toContain('Bilag: Bevillingens ændringer');
    expect(text).toContain('Bevilget: serviceniveau 4, 5 timer om ugen; mentor Mette Mentor.');
    expect(text).toContain('Ændret timetal: serviceniveau 3, 3 timer 30 minutter om ugen.');
    expect(text).toContain('Mentorskift: Karsten Mentor.');
    expect(text).not.toContain('150384-2231');
  });
});
