import { randomBytes } from 'node:crypto';
import type { Response as SupertestResponse } from 'supertest';
import { auditActions, makeAgreement, makeSupplierViaApi } from './support/factories';
import { peppolInvoiceXml } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/** Partnerships on 2026-11-20: the agreement's minutes per week bound company grants; frikøb priced per employee; internal suppliers send no e-invoice. */
describe('partnerships and internal suppliers', () => {
  let t: TestApp;
  let admin: TestUser;
  let procurement: TestUser;
  let caseworker: TestUser;
  let leader: TestUser;
  let partnerUser: TestUser;
  let partnershipId: string;

  const newCitizen = async () =>
    (
      await t.http
        .post('/api/v1/citizens')
        .set(bearer(caseworker.token))
        .send({ cpr: `${String(10 + (randomBytes(1)[0] % 18)).padStart(2, '0')}0386-${String(1000 + (randomBytes(2).readUInt16BE() % 8999))}`, name: 'Borger Partner', caseNumber: `J-${randomBytes(3).toString('hex')}`, targetGroup: 'sickness_benefit' })
        .expect(201)
    ).body.id as string;
  const companyGrant = async (minutesPerWeek: number, extra: Record<string, unknown> = {}) =>
    t.http
      .post('/api/v1/grants')
      .set(bearer(caseworker.token))
      .send({ citizenId: await newCitizen(), agreementId: partnershipId, mentorType: 'company', serviceLevel: minutesPerWeek > 120 ? 2 : 1, minutesPerWeek, start: '2026-11-02', end: '2027-04-30', goal: 'Fastholdelse', tasks: 'Samtaler på arbejdspladsen', mentorName: 'Kim Jensen', mentorPhone: '12345678', ...extra });

  const statusOf = async (pending: Promise<SupertestResponse>, status: number) => {
    const response = await pending;
    expect([response.status, response.status === status ? null : response.body]).toEqual([status, null]);
    return response;
  };

  beforeAll(async () => {
    t = await startTestApp({ redis: false, env: { BUSINESS_DATE: '2026-11-20' } });
    admin = await makeUser(t, 'admin');
    procurement = await makeUser(t, 'procurement');
    caseworker = await makeUser(t, 'caseworker');
    leader = await makeUser(t, 'team_leader');
    const company = await makeSupplierViaApi(t, { kind: 'partner_company' });
    partnerUser = await makeUser(t, 'supplier', company.id);
    partnershipId = (await makeAgreement(t, company.id, { kind: 'partnership', mentorTypes: ['company'], defaultMinutesPerWeek: 60, defaultRateOre: 25_000 })).id;
  });
  afterAll(() => t.close());

  it('refuses a company grant above the agreement’s 60 minutes without a reason, and a team leader approves it with one', async () => {
    const before = Number((await t.dataSource.query(`SELECT count(*) AS n FROM mentor_grant`))[0].n);
    const refused = await statusOf(companyGrant(90), 422);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'excessReason', rule: 'partnership_minutes_reason', values: { minutesPerWeek: 90, agreementMinutesPerWeek: 60, excessMinutes: 30 } })]);
    expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM mentor_grant`))[0].n)).toBe(before);
    // The agreement's own 60 minutes need no reason.
    await statusOf(companyGrant(60), 201);

    const proposed = (await statusOf(companyGrant(90, { excessReason: 'Opstarten kræver to møder om ugen' }), 201)).body;
    expect(proposed).toMatchObject({ status: 'proposed', minutesPerWeek: 90, excessReason: 'Opstarten kræver to møder om ugen' });
    const queue = (await t.http.get(`/api/v1/grants/${proposed.id}`).set(bearer(leader.token)).expect(200)).body;
    expect(queue.excessReason).toBe('Opstarten kræver to møder om ugen');
    const approved = (await t.http.post(`/api/v1/grants/${proposed.id}/approve`).set(bearer(leader.token)).send({}).expect(200)).body;
    expect(approved).toMatchObject({ status: 'active', minutesPerWeek: 90 });
    expect((await auditActions(t, admin, 'grant', proposed.id)).find((e) => e.action === 'grant.created')?.change).toMatchObject({ excessReason: 'Opstarten kræver to møder om ugen' });
  });

  it('prices an hour registration naming an employee at that employee’s rate in force, with a finding when above', async () => {
    const base = `/api/v1/agreements/${partnershipId}/employee-rates`;
    const first = (await t.http.post(base).set(bearer(procurement.token)).send({ employeeRef: 'KJ', rateOre: 31_250, validFrom: '2026-01-01' }).expect(201)).body;
    // Overlapping the running rate: refused until it is ended.
    const overlap = await t.http.post(base).set(bearer(procurement.token)).send({ employeeRef: 'KJ', rateOre: 32_000, validFrom: '2026-11-16' }).expect(422);
    expect(overlap.body.details[0]).toMatchObject({ rule: 'employee_rate_overlap', values: { employeeRef: 'KJ', existingValidFrom: '2026-01-01', existingValidTo: null, existingRateOre: 31_250 } });
    await t.http.post(`${base}/${first.id}/end`).set(bearer(procurement.token)).send({ validTo: '2026-11-15' }).expect(200);
    await t.http.post(base).set(bearer(procurement.token)).send({ employeeRef: 'KJ', rateOre: 32_000, validFrom: '2026-11-16' }).expect(201);
    await t.http.post(base).set(bearer(procurement.token)).send({ employeeRef: '010203-1234', rateOre: 32_000, validFrom: '2026-11-16' }).expect(422);
    expect((await t.http.get(base).set(bearer(partnerUser.token)).expect(200)).body.map((r: { rateOre: number; validTo: string | null }) => [r.rateOre, r.validTo])).toEqual([
      [31_250, '2026-11-15'],
      [32_000, null],
    ]);
    expect((await auditActions(t, admin, 'agreement', partnershipId)).map((e) => e.action).filter((a) => a.startsWith('employee_rate'))).toEqual(expect.arrayContaining(['employee_rate.added', 'employee_rate.ended']));

    const grant = (await statusOf(companyGrant(60), 201)).body;
    await t.http.post(`/api/v1/grants/${grant.id}/approve`).set(bearer(leader.token)).send({ activeFrom: '2026-11-02' }).expect(200);
    const register = (body: object) => t.http.post('/api/v1/hour-registrations').set(bearer(partnerUser.token)).send({ grantId: grant.id, minutes: 30, contactForm: 'in_person', ...body });
    // 2026-11-10: the first rate, 312.50 kr./h: 30 minutes are 156.25 kr.
    const atRate = (await register({ date: '2026-11-10', employeeRef: 'KJ' }).expect(201)).body;
    const line1 = atRate.lines.find((l: { lineNo: number }) => l.lineNo === 1);
    expect([line1.rateOre, line1.amountOre, line1.findings]).toEqual([31_250, 15_625, []]);
    // 2026-11-17: the new rate 320.00 kr./h; 350.00 kr./h claimed is above it, approvable at 160.00 kr.
    const above = (await register({ date: '2026-11-17', employeeRef: 'KJ', rateOre: 35_000 }).expect(201)).body;
    const line2 = above.lines.find((l: { lineNo: number }) => l.lineNo === 2);
    expect(line2.amountOre).toBe(17_500);
    expect(line2.approvableOre).toBe(16_000);
    expect(line2.findings).toEqual([expect.objectContaining({ code: 'rate_above_employee_rate', values: expect.objectContaining({ rateOre: 35_000, employeeRateOre: 32_000, employeeRef: 'KJ', date: '2026-11-17' }) })]);
    // An employee without a rate on the day is refused, nothing stored.
    const missing = await register({ date: '2026-11-18', employeeRef: 'AB' }).expect(422);
    expect(missing.body.details[0]).toMatchObject({ field: 'employeeRef', rule: 'employee_rate_missing', values: { employeeRef: 'AB', date: '2026-11-18' } });
  });

  it('refuses an e-invoice from an internal supplier: it is settled internally', async () => {
    const internal = await makeSupplierViaApi(t, { kind: 'internal' });
    const finance = await makeUser(t, 'finance');
    const response = await t.http
      .post("/api/v1/invoices")
      .set(bearer(finance.token))
      .set('Content-Type', 'application/xml')
      .send(peppolInvoiceXml(internal.cvr, 'UBL-INT-1', 'MS-2026-000001', '2026-11-10'))
      .expect(422);
    expect(response.body.details[0]).toMatchObject({ field: 'seller', rule: 'ubl_seller_internal' });
    expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM invoice WHERE supplier_id = $1`, [internal.id]))[0].n)).toBe(0);
  });
});
