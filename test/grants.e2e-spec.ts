import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { approveGrant, teamLeaderUser } from './support/factories';
import { bearer, makeUser, startTestApp, validCvr, type TestApp, type TestUser } from './support/test-app';

interface Fixture {
  supplierId: string;
  agreementId: string;
}

/** A supplier with a framework agreement 2026-01-01..2027-12-31 covering the given mentor types, straight into the tables. */
async function supplierWithAgreement(t: TestApp, name: string, mentorTypes = ['retention', 'holistic']): Promise<Fixture> {
  const [supplier] = (await t.dataSource.query(`INSERT INTO supplier (name, cvr, kind) VALUES ($1, $2, 'mentor_supplier') RETURNING id`, [name, validCvr()])) as Array<{ id: string }>;
  const [agreement] = (await t.dataSource.query(
    `INSERT INTO agreement (supplier_id, kind, reference, title, valid_from, valid_to, mentor_types)
     VALUES ($1, 'framework', $2, 'Rammeaftale om mentorstøtte 2026–2027', '2026-01-01', '2027-12-31', $3) RETURNING id`,
    [supplier.id, `RA-${Math.random().toString(36).slice(2, 10)}`, mentorTypes],
  )) as Array<{ id: string }>;
  return { supplierId: supplier.id, agreementId: agreement.id };
}

function randomCpr(): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(1 + Math.floor(Math.random() * 28))}${pad(1 + Math.floor(Math.random() * 12))}${pad(Math.floor(Math.random() * 100))}${pad(Math.floor(Math.random() * 10000), 4)}`;
}

describe('grants', () => {
  let t: TestApp;
  let caseworker: TestUser;
  let finance: TestUser;
  let mentorhuset: Fixture;
  let other: Fixture;
  let supplierUser: TestUser;
  let otherSupplierUser: TestUser;
  let citizen: { id: string; cpr: string; maskedCpr: string; name: string; caseNumber: string };
  const workDir = mkdtempSync(join(tmpdir(), 'grants-e2e-'));

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    caseworker = await makeUser(t, 'caseworker');
    finance = await makeUser(t, 'finance');
    mentorhuset = await supplierWithAgreement(t, 'Mentorhuset Nordsjælland ApS');
    other = await supplierWithAgreement(t, 'Andre Mentorer ApS');
    supplierUser = await makeUser(t, 'supplier', mentorhuset.supplierId);
    otherSupplierUser = await makeUser(t, 'supplier', other.supplierId);
    const cpr = randomCpr();
    const response = await t.http
      .post('/api/v1/citizens')
      .set(bearer(caseworker.token))
      .send({ cpr, name: 'Søren Ærø Åberg', caseNumber: 'J-2026-04711', targetGroup: 'activity_ready_cash_benefit' })
      .expect(201);
    citizen = { id: response.body.id, cpr, maskedCpr: response.body.maskedCpr, name: 'Søren Ærø Åberg', caseNumber: 'J-2026-04711' };
  });
  afterAll(async () => {
    rmSync(workDir, { recursive: true, force: true });
    await t.close();
  });

  function grantBody(override: Record<string, unknown> = {}) {
    return {
      citizenId: citizen.id,
      agreementId: mentorhuset.agreementId,
      mentorType: 'retention',
      serviceLevel: 1,
      minutesPerWeek: 120,
      start: '2026-01-05',
      end: '2026-06-30',
      goal: 'Fastholdelse i job på værkstedet uden mentorstøtte efter forløbet.',
      tasks: 'Ugentlige møder på arbejdspladsen og støtte i dialogen med lederen.',
      mentorName: 'Ditte Højgaard Ørsted',
      mentorPhone: '+45 40 12 34 56',
      mentorEmail: 'ditte@mentorhuset.dk',
      ...override,
    };
  }

  /** A grant proposed by the caseworker and approved by the team leader from its start. */
  async function createGrant(override: Record<string, unknown> = {}): Promise<Record<string, unknown> & { id: string; reference: string }> {
    const response = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grantBody(override)).expect(201);
    return (await approveGrant(t, response.body.id, response.body.start)) as Record<string, unknown> & { id: string; reference: string };
  }

  it('grants support within the rules: reference, status, frozen target group and the supplier of the agreement', async () => {
    const grant = await createGrant();
    expect(grant.reference).toMatch(/^MS-2026-\d{6}$/);
    expect(grant).toMatchObject({
      status: 'active',
      supplierId: mentorhuset.supplierId,
      agreementId: mentorhuset.agreementId,
      citizenId: citizen.id,
      citizenName: citizen.name,
      maskedCpr: citizen.maskedCpr,
      caseNumber: citizen.caseNumber,
      targetGroupAtStart: 'activity_ready_cash_benefit',
      mentorType: 'retention',
      serviceLevel: 1,
      minutesPerWeek: 120,
      start: '2026-01-05',
      end: '2026-06-30',
      originalEnd: '2026-06-30',
      extensionsUsed: 0,
      mentor: { name: 'Ditte Højgaard Ørsted', phone: '+45 40 12 34 56', email: 'ditte@mentorhuset.dk' },
      outcome: null,
      endedOn: null,
    });
    expect(JSON.stringify(grant)).not.toContain(citizen.cpr);
    const audit = (await t.dataSource.query(`SELECT action FROM audit_entry WHERE entity_id = $1`, [grant.id])) as Array<{ action: string }>;
    expect(audit.map((a) => a.action).sort()).toEqual(['grant.approved', 'grant.created']);
  });

  /** The text of the grant's written agreement as staff read it. */
  async function agreementText(grantId: string, reference: string): Promise<string> {
    const response = await t.http
      .get(`/api/v1/grants/${grantId}/agreement.pdf`)
      .set(bearer(caseworker.token))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const file = join(workDir, `${reference}-${Date.now()}.pdf`);
    writeFileSync(file, response.body as Buffer);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  }

  it('walks visitation: proposed, refused to its creator and to a grant not proposed, sent back with a reason, proposed again changed, approved', async () => {
    const leader = await teamLeaderUser(t);
    // 2026-11-02..2027-04-30, begun before today (2026-11-25).
    const period = { start: '2026-11-02', end: '2027-04-30' };
    const proposed = (await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grantBody(period)).expect(201)).body;
    expect(proposed).toMatchObject({ status: 'proposed', activeFrom: null, createdBy: caseworker.id, visitation: { proposedBy: caseworker.id, approvedBy: null, sentBackBy: null } });
    // A caseworker may not approve; nor may a supplier invoice it (no due tasks either until it is active).
    const byCaseworker = await t.http.post(`/api/v1/grants/${proposed.id}/approve`).set(bearer(caseworker.token)).send({}).expect(403);
    expect(byCaseworker.body.statusCode).toBe(403);
    // Four eyes: the caseworker who proposed it, now a team leader, may not approve it.
    const admin = await makeUser(t, 'admin');
    const turned = await makeUser(t, 'caseworker');
    const own = (await t.http.post('/api/v1/grants').set(bearer(turned.token)).send(grantBody(period)).expect(201)).body;
    await t.http.patch(`/api/v1/users/${turned.id}`).set(bearer(admin.token)).send({ role: 'team_leader' }).expect(200);
    const relogged = (await t.http.post('/api/v1/auth/login').send({ email: turned.email, password: turned.password }).expect(200)).body.accessToken as string;
    const ownApproval = await t.http.post(`/api/v1/grants/${own.id}/approve`).set(bearer(relogged)).send({}).expect(422);
    expect(ownApproval.body.details.map((d: { rule: string }) => d.rule)).toEqual(['grant_approver_distinct']);

    const sentBack = await t.http.post(`/api/v1/grants/${proposed.id}/reject`).set(bearer(leader.token)).send({ reason: 'Timetallet er ikke begrundet i målet.' }).expect(200);
    expect(sentBack.body).toMatchObject({ status: 'sent_back', visitation: { sentBackBy: leader.id, sentBackReason: 'Timetallet er ikke begrundet i målet.' } });
    const notProposed = await t.http.post(`/api/v1/grants/${proposed.id}/approve`).set(bearer(leader.token)).send({}).expect(409);
    expect(notProposed.body.details).toEqual([
      { field: 'status', rule: 'grant_transition', message: 'a grant that is sent_back cannot be approved: only a proposed grant can', values: { from: 'sent_back', to: 'active' } },
    ]);
    await t.http.post(`/api/v1/grants/${proposed.id}/propose`).set(bearer(caseworker.token)).send({ minutesPerWeek: 121 }).expect(422);
    const again = await t.http.post(`/api/v1/grants/${proposed.id}/propose`).set(bearer(caseworker.token)).send({ minutesPerWeek: 90, goal: 'Fastholdelse i job med 1½ times støtte om ugen.' }).expect(200);
    expect(again.body).toMatchObject({ status: 'proposed', minutesPerWeek: 90, goal: 'Fastholdelse i job med 1½ times støtte om ugen.' });
    // Today is 2026-11-25 and the grant started 2026-11-02: by default it is active from today; not from tomorrow.
    const tomorrow = await t.http.post(`/api/v1/grants/${proposed.id}/approve`).set(bearer(leader.token)).send({ activeFrom: '2026-11-26' }).expect(422);
    expect(tomorrow.body.details.map((d: { rule: string }) => d.rule)).toEqual(['active_from_not_future']);
    expect(await agreementText(proposed.id, proposed.reference)).toContain('UDKAST: Bevillingen afventer godkendelse hos en faglig konsulent og gælder ikke endnu.');
    const approved = await t.http.post(`/api/v1/grants/${proposed.id}/approve`).set(bearer(leader.token)).send({}).expect(200);
    expect(await agreementText(proposed.id, proposed.reference)).not.toContain('UDKAST');
    expect(approved.body).toMatchObject({ status: 'active', activeFrom: '2026-11-25', visitation: { approvedBy: leader.id, proposedBy: caseworker.id } });
    const again409 = await t.http.post(`/api/v1/grants/${proposed.id}/approve`).set(bearer(leader.token)).send({}).expect(409);
    expect(again409.body.details[0]).toMatchObject({ rule: 'grant_transition', values: { from: 'active', to: 'active' } });

    const audit = (await t.dataSource.query(`SELECT action, change FROM audit_entry WHERE entity_id = $1 AND action <> 'grant.agreement_pdf_viewed' ORDER BY id`, [proposed.id])) as Array<{ action: string; change: Record<string, unknown> }>;
    expect(audit.map((a) => a.action)).toEqual(['grant.created', 'grant.sent_back', 'grant.proposed', 'grant.approved']);
    expect(audit[2].change).toMatchObject({ minutesPerWeek: { from: 120, to: 90 } });
    expect(audit[3].change).toEqual({ status: { from: 'proposed', to: 'active' }, activeFrom: '2026-11-25' });
  });

  it('refuses 121 minutes a week at level 1 with the numbers, and stores nothing', async () => {
    const before = (await t.dataSource.query(`SELECT count(*)::int AS n FROM mentor_grant`)) as Array<{ n: number }>;
    const response = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grantBody({ minutesPerWeek: 121 })).expect(422);
    expect(response.body.message).toBe('The grant breaks the rules');
    expect(response.body.details).toEqual([
      expect.objectContaining({ field: 'minutesPerWeek', rule: 'hours_in_band', values: { minutesPerWeek: 121, level: 1, min: 0, max: 120 } }),
    ]);
    const after = (await t.dataSource.query(`SELECT count(*)::int AS n FROM mentor_grant`)) as Array<{ n: number }>;
    expect(after[0].n).toBe(before[0].n);
  });

  it('refuses a period of 6 months and a day', async () => {
    const response = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grantBody({ end: '2026-07-05' })).expect(422);
    expect(response.body.details).toEqual([
      expect.objectContaining({ field: 'end', rule: 'period_length', values: { start: '2026-01-05', end: '2026-07-05', maxMonths: 6, latestEnd: '2026-07-04' } }),
    ]);
    await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grantBody({ end: '2026-07-04' })).expect(201);
  });

  it('refuses level 4 for 3 months and a day', async () => {
    const response = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grantBody({ serviceLevel: 4, minutesPerWeek: 300, end: '2026-04-05' })).expect(422);
    expect(response.body.details).toEqual([
      expect.objectContaining({ field: 'end', rule: 'level4_length', values: { start: '2026-01-05', end: '2026-04-05', maxMonths: 3, latestEnd: '2026-04-04' } }),
    ]);
  });

  it('refuses a mentor type the agreement does not cover, and an unknown agreement', async () => {
    const response = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grantBody({ mentorType: 'company' })).expect(422);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'mentorType', rule: 'agreement_covers_mentor_type', values: { mentorType: 'company' } })]);
    const unknown = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grantBody({ agreementId: '00000000-0000-4000-8000-000000000001' })).expect(422);
    expect(unknown.body.details).toEqual([expect.objectContaining({ field: 'agreementId', rule: 'exists' })]);
  });

  it.each([
    [{ start: '05-01-2026' }, 'start'],
    [{ end: '2026-02-30' }, 'end'],
    [{ start: '2026-1-5' }, 'start'],
  ])('refuses dates not written YYYY-MM-DD: %j', async (override, field) => {
    const response = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grantBody(override)).expect(422);
    expect(response.body.details).toEqual([expect.objectContaining({ field, rule: 'calendar_date' })]);
  });

  it('lets only caseworkers and admins grant', async () => {
    await t.http.post('/api/v1/grants').set(bearer(finance.token)).send(grantBody()).expect(403);
    await t.http.post('/api/v1/grants').set(bearer(supplierUser.token)).send(grantBody()).expect(403);
  });

  it('extends once, refuses a second extension, ends with an outcome and refuses a second ending with 409', async () => {
    const grant = await createGrant();
    const extended = await t.http.post(`/api/v1/grants/${grant.id}/extend`).set(bearer(caseworker.token)).send({ newEnd: '2026-12-31' }).expect(200);
    expect(extended.body).toMatchObject({ end: '2026-12-31', originalEnd: '2026-06-30', extensionsUsed: 1 });
    const twice = await t.http.post(`/api/v1/grants/${grant.id}/extend`).set(bearer(caseworker.token)).send({ newEnd: '2027-03-31' }).expect(422);
    expect(twice.body.details).toEqual([expect.objectContaining({ rule: 'extension_count', values: { extensionsUsed: 1, maxExtensions: 1 } })]);

    const outside = await t.http.post(`/api/v1/grants/${grant.id}/end`).set(bearer(caseworker.token)).send({ outcome: 'job', endedOn: '2027-01-01' }).expect(422);
    expect(outside.body.details).toEqual([expect.objectContaining({ field: 'endedOn', rule: 'ended_within_period' })]);
    await t.http.post(`/api/v1/grants/${grant.id}/end`).set(bearer(caseworker.token)).send({ outcome: 'pirate', endedOn: '2026-09-30' }).expect(422);
    const ended = await t.http.post(`/api/v1/grants/${grant.id}/end`).set(bearer(caseworker.token)).send({ outcome: 'job', endedOn: '2026-09-30' }).expect(200);
    expect(ended.body).toMatchObject({ status: 'ended', outcome: 'job', endedOn: '2026-09-30' });
    const again = await t.http.post(`/api/v1/grants/${grant.id}/end`).set(bearer(caseworker.token)).send({ outcome: 'education', endedOn: '2026-09-30' }).expect(409);
    expect(again.body.details).toEqual([
      { field: 'status', rule: 'grant_transition', message: 'a grant that is ended cannot become ended (ended is final)', values: { from: 'ended', to: 'ended' } },
    ]);
    const extendEnded = await t.http.post(`/api/v1/grants/${grant.id}/extend`).set(bearer(caseworker.token)).send({ newEnd: '2027-01-31' }).expect(409);
    expect(extendEnded.body.details).toEqual([expect.objectContaining({ rule: 'grant_transition', values: { from: 'ended', to: 'active' } })]);

    const audit = (await t.dataSource.query(`SELECT action FROM audit_entry WHERE entity_id = $1 ORDER BY id`, [grant.id])) as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toEqual(['grant.created', 'grant.approved', 'grant.extended', 'grant.ended']);
  });

  it('hides a grant from a supplier user of another supplier and shows its own supplier one without the citizen', async () => {
    const grant = await createGrant();
    const notFound = await t.http.get(`/api/v1/grants/${grant.id}`).set(bearer(otherSupplierUser.token)).expect(404);
    expect(notFound.body.message).toBe('Grant was not found');
    await t.http.get(`/api/v1/grants/${grant.id}/progress-reports`).set(bearer(otherSupplierUser.token)).expect(404);
    const otherList = await t.http.get('/api/v1/grants').query({ reference: grant.reference }).set(bearer(otherSupplierUser.token)).expect(200);
    expect(otherList.body.items).toEqual([]);

    const own = await t.http.get(`/api/v1/grants/${grant.id}`).set(bearer(supplierUser.token)).expect(200);
    expect(Object.keys(own.body).sort()).toEqual(['activeFrom', 'agreementId', 'dueTasks', 'end', 'goal', 'id', 'mentor', 'mentorType', 'minutesPerWeek', 'reference', 'serviceLevel', 'start', 'status', 'tasks']);
    for (const secret of [citizen.cpr, citizen.maskedCpr, citizen.cpr.slice(0, 6), citizen.name, citizen.caseNumber]) expect(own.text).not.toContain(secret);
    const ownList = await t.http.get('/api/v1/grants').query({ reference: grant.reference }).set(bearer(supplierUser.token)).expect(200);
    expect(ownList.body.items).toHaveLength(1);
    for (const secret of [citizen.cpr, citizen.maskedCpr, citizen.name, citizen.caseNumber]) expect(ownList.text).not.toContain(secret);

    await t.http.get('/api/v1/citizens').set(bearer(supplierUser.token)).expect(403);
    await t.http.get(`/api/v1/grants/${grant.id}/agreement.pdf`).set(bearer(supplierUser.token)).expect(403);
  });

  it('answers another supplier’s user 404 for the written agreement, as for every other read of the grant', async () => {
    const grant = await createGrant();
    const response = await t.http.get(`/api/v1/grants/${grant.id}/agreement.pdf`).set(bearer(otherSupplierUser.token)).expect(404);
    expect(response.body.message).toBe('Grant was not found');
    const audit = (await t.dataSource.query(`SELECT action FROM audit_entry WHERE entity_id = $1 ORDER BY id`, [grant.id])) as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toEqual(['grant.created', 'grant.approved']);
  });

  it('lists with filters and a keyset cursor', async () => {
    const mine = await t.http.get('/api/v1/grants').query({ supplierId: mentorhuset.supplierId, status: 'active', limit: 2 }).set(bearer(finance.token)).expect(200);
    expect(mine.body.items).toHaveLength(2);
    expect(mine.body.nextCursor).toBe(mine.body.items[1].reference);
    const next = await t.http.get('/api/v1/grants').query({ supplierId: mentorhuset.supplierId, status: 'active', limit: 2, after: mine.body.nextCursor }).set(bearer(finance.token)).expect(200);
    expect(next.body.items[0].reference > mine.body.nextCursor).toBe(true);
    const none = await t.http.get('/api/v1/grants').query({ supplierId: other.supplierId }).set(bearer(finance.token)).expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });
    const activeOn = await t.http.get('/api/v1/grants').query({ activeOn: '2025-12-31' }).set(bearer(finance.token)).expect(200);
    expect(activeOn.body.items).toEqual([]);
    await t.http.get('/api/v1/grants').query({ limit: 201 }).set(bearer(finance.token)).expect(422);
  });

  it('shows the due tasks of a grant 2026-01-05..2026-06-30 and takes the supplier’s progress report once, on a follow-up date', async () => {
    const grant = await createGrant();
    const staff = await t.http.get(`/api/v1/grants/${grant.id}`).set(bearer(caseworker.token)).expect(200);
    expect(staff.body.dueTasks.map((task: { kind: string; due: string }) => [task.kind, task.due])).toEqual([
      ['follow_up', '2026-04-06'],
      ['evaluation', '2026-06-16'],
    ]);
    for (const task of staff.body.dueTasks) expect(['due', 'overdue']).toContain(task.state);

    const wrong = await t.http
      .post(`/api/v1/grants/${grant.id}/progress-reports`)
      .set(bearer(supplierUser.token))
      .send({ dueDate: '2026-04-07', progress: 'Godt i gang', hoursUsedFor: 'Møder', deliverySummary: '13 møder' })
      .expect(422);
    expect(wrong.body.details).toEqual([expect.objectContaining({ field: 'dueDate', rule: 'not_a_follow_up_date', values: { dueDate: '2026-04-07', followUpDates: '2026-04-06' } })]);
    await t.http
      .post(`/api/v1/grants/${grant.id}/progress-reports`)
      .set(bearer(caseworker.token))
      .send({ dueDate: '2026-04-06', progress: 'x', hoursUsedFor: 'x', deliverySummary: 'x' })
      .expect(403);
    await t.http
      .post(`/api/v1/grants/${grant.id}/progress-reports`)
      .set(bearer(otherSupplierUser.token))
      .send({ dueDate: '2026-04-06', progress: 'x', hoursUsedFor: 'x', deliverySummary: 'x' })
      .expect(404);
    const report = await t.http
      .post(`/api/v1/grants/${grant.id}/progress-reports`)
      .set(bearer(supplierUser.token))
      .send({ dueDate: '2026-04-06', progress: 'Godt i gang', hoursUsedFor: 'Møder på arbejdspladsen', deliverySummary: '13 møder à 2 timer' })
      .expect(201);
    expect(report.body).toMatchObject({ grantId: grant.id, dueDate: '2026-04-06', progress: 'Godt i gang', late: true });
    const duplicate = await t.http
      .post(`/api/v1/grants/${grant.id}/progress-reports`)
      .set(bearer(supplierUser.token))
      .send({ dueDate: '2026-04-06', progress: 'Igen', hoursUsedFor: 'x', deliverySummary: 'x' })
      .expect(409);
    expect(duplicate.body.details).toEqual([expect.objectContaining({ field: 'dueDate', rule: 'unique' })]);

    const reports = await t.http.get(`/api/v1/grants/${grant.id}/progress-reports`).set(bearer(caseworker.token)).expect(200);
    expect(reports.body).toEqual([report.body]);
    const own = await t.http.get(`/api/v1/grants/${grant.id}/progress-reports`).set(bearer(supplierUser.token)).expect(200);
    expect(own.body).toEqual([report.body]);

    // The report closes no task: the caseworker reads it and records the follow-up (test/grant-course.e2e-spec.ts).
    const after = await t.http.get(`/api/v1/grants/${grant.id}`).set(bearer(caseworker.token)).expect(200);
    expect(after.body.dueTasks[0]).toEqual({ kind: 'follow_up', due: '2026-04-06', state: 'overdue' });

    const list = await t.http.get('/api/v1/due-tasks?limit=200').set(bearer(caseworker.token)).expect(200);
    const ofGrant = list.body.filter((task: { grantId: string }) => task.grantId === grant.id);
    expect(ofGrant).toEqual([
      expect.objectContaining({ kind: 'follow_up', due: '2026-04-06', reference: grant.reference, citizenName: citizen.name }),
      expect.objectContaining({ kind: 'evaluation', due: '2026-06-16', reference: grant.reference, citizenName: citizen.name }),
    ]);
    const states: string[] = list.body.map((task: { state: string }) => task.state);
    expect(states).toEqual([...states].sort((a, b) => (a === 'overdue' ? 0 : 1) - (b === 'overdue' ? 0 : 1)));
    await t.http.get('/api/v1/due-tasks').set(bearer(supplierUser.token)).expect(403);
  });

  it('renders the written agreement as PDF with the mandatory contents and the masked CPR, and audits the viewing', async () => {
    const grant = await createGrant();
    const response = await t.http
      .get(`/api/v1/grants/${grant.id}/agreement.pdf`)
      .set(bearer(finance.token))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(`inline; filename="${grant.reference}.pdf"`);
    const file = join(workDir, `${grant.reference}.pdf`);
    writeFileSync(file, response.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const expected of [grant.reference, 'Fastholdelse i job på værkstedet', 'Ditte Højgaard Ørsted', citizen.maskedCpr, 'Ankestyrelsen', 'Jobcenter Gribskov']) expect(text).toContain(expected);
    expect(text).not.toContain(citizen.cpr);
    expect(text).not.toContain(`${citizen.cpr.slice(0, 6)}-${citizen.cpr.slice(6)}`);
    const audit = (await t.dataSource.query(`SELECT action, actor_user_id FROM audit_entry WHERE entity_id = $1 ORDER BY id`, [grant.id])) as Array<{ action: string; actor_user_id: string }>;
    expect(audit.map((a) => a.action)).toEqual(['grant.created', 'grant.approved', 'grant.agreement_pdf_viewed']);
    expect(audit[2].actor_user_id).toBe(finance.id);
    const docs = await t.http.get('/api/docs-json').expect(200);
    const pdfRoute = docs.body.paths['/api/v1/grants/{id}/agreement.pdf'].get;
    expect(pdfRoute.responses['200'].content['application/pdf'].schema).toEqual({ type: 'string', format: 'binary' });
  });

  it('never stores the CPR number in plain text, nor in the audit log', async () => {
    const rows = (await t.dataSource.query(`SELECT row_to_json(c)::text AS json FROM citizen c`)) as Array<{ json: string }>;
    for (const row of rows) expect(row.json).not.toContain(citizen.cpr);
    const audit = (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE change::text LIKE $1 OR change::text LIKE $2`, [`%${citizen.cpr}%`, `%${citizen.cpr.slice(0, 6)}-${citizen.cpr.slice(6)}%`])) as Array<{ n: number }>;
    expect(audit[0].n).toBe(0);
    const masked = (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE change::text LIKE $1`, [`%${citizen.maskedCpr}%`])) as Array<{ n: number }>;
    expect(masked[0].n).toBe(1);
  });
});
