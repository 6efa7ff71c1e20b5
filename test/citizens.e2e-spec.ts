import { approveGrant, makeAgreement, makeSupplierViaApi } from './support/factories';
import { bearer, makeUser, startTestApp, validCvr, type TestApp, type TestUser } from './support/test-app';

/** A random CPR number with a real birth date (day 01–28), unique enough for one test run. */
function randomCpr(): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(1 + Math.floor(Math.random() * 28))}${pad(1 + Math.floor(Math.random() * 12))}${pad(Math.floor(Math.random() * 100))}${pad(Math.floor(Math.random() * 10000), 4)}`;
}

describe('citizens', () => {
  let t: TestApp;
  let caseworker: TestUser;
  let finance: TestUser;
  let supplierUser: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    caseworker = await makeUser(t, 'caseworker');
    finance = await makeUser(t, 'finance');
    const [supplier] = (await t.dataSource.query(`INSERT INTO supplier (name, cvr, kind) VALUES ('Borgerfri ApS', $1, 'mentor_supplier') RETURNING id`, [validCvr()])) as Array<{ id: string }>;
    supplierUser = await makeUser(t, 'supplier', supplier.id);
  });
  afterAll(() => t.close());

  it('registers a citizen, shows the CPR number only masked, and stores and audits it never in plain text', async () => {
    const cpr = randomCpr();
    const response = await t.http
      .post('/api/v1/citizens')
      .set(bearer(caseworker.token))
      .send({ cpr: `${cpr.slice(0, 6)}-${cpr.slice(6)}`, name: 'Mette Hansen', caseNumber: 'J-2026-0001', targetGroup: 'activity_ready_cash_benefit' })
      .expect(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      maskedCpr: `${cpr.slice(0, 6)}-XXXX`,
      name: 'Mette Hansen',
      caseNumber: 'J-2026-0001',
      targetGroup: 'activity_ready_cash_benefit',
      createdAt: expect.any(String),
    });
    expect(response.text).not.toContain(cpr);
    expect(response.text).not.toContain(`${cpr.slice(0, 6)}-${cpr.slice(6)}`);
    const [row] = (await t.dataSource.query(`SELECT row_to_json(c)::text AS json FROM citizen c WHERE id = $1`, [response.body.id])) as Array<{ json: string }>;
    expect(row.json).not.toContain(cpr);
    expect(row.json).not.toContain(`${cpr.slice(0, 6)}-${cpr.slice(6)}`);
    const audit = (await t.dataSource.query(`SELECT change::text AS change FROM audit_entry WHERE entity_id = $1`, [response.body.id])) as Array<{ change: string }>;
    expect(audit).toHaveLength(1);
    expect(audit[0].change).toContain(`${cpr.slice(0, 6)}-XXXX`);
    expect(audit[0].change).not.toContain(cpr);
    expect(audit[0].change).not.toContain(`${cpr.slice(0, 6)}-${cpr.slice(6)}`);
  });

  it('refuses a CPR number already registered with 409 naming the existing citizen, and stores nothing', async () => {
    const cpr = randomCpr();
    const first = await t.http.post('/api/v1/citizens').set(bearer(caseworker.token)).send({ cpr, name: 'Første', caseNumber: 'J-1', targetGroup: 'sickness_benefit' }).expect(201);
    const before = (await t.dataSource.query(`SELECT count(*)::int AS n FROM citizen`)) as Array<{ n: number }>;
    const second = await t.http
      .post('/api/v1/citizens')
      .set(bearer(caseworker.token))
      .send({ cpr: `${cpr.slice(0, 6)}-${cpr.slice(6)}`, name: 'Anden', caseNumber: 'J-2', targetGroup: 'sickness_benefit' })
      .expect(409);
    expect(second.body.details).toEqual([{ field: 'cpr', rule: 'unique', message: 'the CPR number is already registered', values: { citizenId: first.body.id } }]);
    const after = (await t.dataSource.query(`SELECT count(*)::int AS n FROM citizen`)) as Array<{ n: number }>;
    expect(after[0].n).toBe(before[0].n);
  });

  it.each([
    ['3202031234', 'cpr', 'cpr_format'],
    ['01020312', 'cpr', 'cpr_format'],
    ['0113031234', 'cpr', 'cpr_format'],
  ])('refuses the CPR number %s with 422 %s/%s', async (cpr, field, rule) => {
    const response = await t.http.post('/api/v1/citizens').set(bearer(caseworker.token)).send({ cpr, name: 'X', caseNumber: 'J-X', targetGroup: 'other' }).expect(422);
    expect(response.body.details).toEqual([expect.objectContaining({ field, rule })]);
    expect(response.text).not.toContain(cpr);
  });

  it('refuses an unknown target group', async () => {
    const response = await t.http.post('/api/v1/citizens').set(bearer(caseworker.token)).send({ cpr: randomCpr(), name: 'X', caseNumber: 'J-X', targetGroup: 'pirate' }).expect(422);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'targetGroup', rule: 'isIn' })]);
  });

  it('finds a citizen by exact CPR number, by name or case number, and by id; finance may read', async () => {
    const cpr = randomCpr();
    const created = await t.http.post('/api/v1/citizens').set(bearer(caseworker.token)).send({ cpr, name: 'Søren Ærø Åberg', caseNumber: 'SAG-77-ÆØÅ', targetGroup: 'resource_course' }).expect(201);
    const byCpr = await t.http.get('/api/v1/citizens').query({ cpr: `${cpr.slice(0, 6)}-${cpr.slice(6)}` }).set(bearer(finance.token)).expect(200);
    expect(byCpr.body).toEqual([created.body]);
    const byName = await t.http.get('/api/v1/citizens').query({ q: 'ærø åb' }).set(bearer(caseworker.token)).expect(200);
    expect(byName.body.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    const byCase = await t.http.get('/api/v1/citizens').query({ q: 'SAG-77' }).set(bearer(caseworker.token)).expect(200);
    expect(byCase.body.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    const noMatch = await t.http.get('/api/v1/citizens').query({ q: '100%_' }).set(bearer(caseworker.token)).expect(200);
    expect(noMatch.body).toEqual([]);
    const invalid = await t.http.get('/api/v1/citizens').query({ cpr: '3299991234' }).set(bearer(caseworker.token)).expect(200);
    expect(invalid.body).toEqual([]);
    const byId = await t.http.get(`/api/v1/citizens/${created.body.id}`).set(bearer(finance.token)).expect(200);
    expect(byId.body).toEqual(created.body);
    await t.http.get('/api/v1/citizens/00000000-0000-4000-8000-000000000001').set(bearer(caseworker.token)).expect(404);
  });

  it('answers 403 to a supplier user on every citizen route, and to finance on registering', async () => {
    const [citizen] = (await t.dataSource.query(`SELECT id FROM citizen LIMIT 1`)) as Array<{ id: string }>;
    await t.http.get('/api/v1/citizens').set(bearer(supplierUser.token)).expect(403);
    await t.http.get(`/api/v1/citizens/${citizen.id}`).set(bearer(supplierUser.token)).expect(403);
    await t.http.post('/api/v1/citizens').set(bearer(supplierUser.token)).send({ cpr: randomCpr(), name: 'X', caseNumber: 'J', targetGroup: 'other' }).expect(403);
    await t.http.post('/api/v1/citizens').set(bearer(finance.token)).send({ cpr: randomCpr(), name: 'X', caseNumber: 'J', targetGroup: 'other' }).expect(403);
  });

  it('keeps the target-group history: a change from a day re-targets the proposals starting after it, never an approved grant, and a new grant takes the one in force on its start', async () => {
    const supplier = await makeSupplierViaApi(t);
    const agreement = await makeAgreement(t, supplier.id);
    const citizen = (await t.http.post('/api/v1/citizens').set(bearer(caseworker.token)).send({ cpr: randomCpr(), name: 'Målfrid Skifte', caseNumber: 'J-2026-0777', targetGroup: 'activity_ready_cash_benefit' }).expect(201)).body;
    const grant = async (start: string, end: string) =>
      (
        await t.http
          .post('/api/v1/grants')
          .set(bearer(caseworker.token))
          .send({ citizenId: citizen.id, agreementId: agreement.id, mentorType: 'retention', serviceLevel: 1, minutesPerWeek: 60, start, end, goal: 'Fastholdelse', tasks: 'Samtaler', mentorName: 'Mette Mentor', mentorPhone: '12345678' })
          .expect(201)
      ).body as { id: string; reference: string; targetGroupAtStart: string };
    const approved = await grant('2026-09-01', '2027-02-28');
    await approveGrant(t, approved.id, '2026-09-01');
    const proposal = await grant('2027-01-04', '2027-06-30');
    expect(proposal.targetGroupAtStart).toBe('activity_ready_cash_benefit');

    // Sickness benefit from 2026-12-01: the proposal of 2027-01-04 takes it; the grant approved from 2026-09-01 keeps its own.
    const changed = await t.http.put(`/api/v1/citizens/${citizen.id}/target-groups`).set(bearer(caseworker.token)).send({ targetGroup: 'sickness_benefit', effectiveFrom: '2026-12-01' }).expect(200);
    expect(changed.body).toEqual({
      current: 'activity_ready_cash_benefit', // today is 2026-11-25
      history: [
        { targetGroup: 'activity_ready_cash_benefit', effectiveFrom: '2000-01-01', recordedBy: caseworker.id, recordedAt: expect.any(String) },
        { targetGroup: 'sickness_benefit', effectiveFrom: '2026-12-01', recordedBy: caseworker.id, recordedAt: expect.any(String) },
      ],
      grantsRetargeted: [proposal.reference],
    });
    const read = async (id: string) => (await t.http.get(`/api/v1/grants/${id}`).set(bearer(caseworker.token)).expect(200)).body.targetGroupAtStart as string;
    expect(await read(proposal.id)).toBe('sickness_benefit');
    expect(await read(approved.id)).toBe('activity_ready_cash_benefit');
    expect((await grant('2027-01-11', '2027-06-30')).targetGroupAtStart).toBe('sickness_benefit');
    expect((await grant('2026-11-30', '2027-05-29')).targetGroupAtStart).toBe('activity_ready_cash_benefit');

    // Revalidation from 2026-08-01 would alter the approved grant's target group at its start: 409 naming it, nothing stored.
    const refused = await t.http.put(`/api/v1/citizens/${citizen.id}/target-groups`).set(bearer(caseworker.token)).send({ targetGroup: 'revalidation', effectiveFrom: '2026-08-01' }).expect(409);
    expect(refused.body.details).toEqual([
      {
        field: 'effectiveFrom',
        rule: 'target_group_alters_grant',
        message: `the change from 2026-08-01 would alter the target group at the start of the approved grant ${approved.reference}`,
        values: { effectiveFrom: '2026-08-01', grants: approved.reference },
      },
    ]);
    const history = await t.http.get(`/api/v1/citizens/${citizen.id}/target-groups`).set(bearer(finance.token)).expect(200);
    expect(history.body.history.map((e: { effectiveFrom: string; targetGroup: string }) => `${e.effectiveFrom} ${e.targetGroup}`)).toEqual(['2000-01-01 activity_ready_cash_benefit', '2026-12-01 sickness_benefit']);
    await t.http.put(`/api/v1/citizens/${citizen.id}/target-groups`).set(bearer(caseworker.token)).send({ targetGroup: 'sickness_benefit', effectiveFrom: '1999-12-31' }).expect(422);
    await t.http.put(`/api/v1/citizens/${citizen.id}/target-groups`).set(bearer(finance.token)).send({ targetGroup: 'sickness_benefit', effectiveFrom: '2027-01-01' }).expect(403);

    const audit = (await t.dataSource.query(`SELECT action, change FROM audit_entry WHERE entity_id = $1 ORDER BY id`, [citizen.id])) as Array<{ action: string; change: Record<string, unknown> }>;
    expect(audit.map((a) => a.action)).toEqual(['citizen.created', 'citizen.target_group_changed']);
    expect(audit[1].change).toEqual({ targetGroup: { from: 'activity_ready_cash_benefit', to: 'sickness_benefit' }, effectiveFrom: '2026-12-01', until: null, grantsRetargeted: [proposal.reference] });
  });
});
