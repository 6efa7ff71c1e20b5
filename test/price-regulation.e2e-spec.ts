import { Clock } from '../src/common/time/clock';
import { auditActions } from './support/factories';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/** The 2027 price regulation of a framework agreement, in January 2027: +3.1 % on 450.00 kr./h is 463.95 kr./h. */
describe('rates over time: ending a rate, correcting one, and the price regulation', () => {
  let t: TestApp;
  let admin: TestUser;
  let procurement: TestUser;
  let mentor: SupplierWithGrants;

  const post = (path: string, body: object, user = procurement) => t.http.post(path).set(bearer(user.token)).send(body);
  const rates = async (agreementId: string) =>
    (await t.http.get(`/api/v1/agreements/${agreementId}/rates`).set(bearer(procurement.token)).expect(200)).body.map((r: { serviceLevel: number; validFrom: string; validTo: string | null; rateOre: number }) => [
      r.serviceLevel,
      r.validFrom,
      r.validTo,
      r.rateOre,
    ]);
  const rateCount = async () => Number((await t.dataSource.query(`SELECT count(*) AS n FROM agreement_rate`))[0].n);

  beforeAll(async () => {
    t = await startTestApp({ redis: false, env: { BUSINESS_DATE: '2027-01-20' } });
    admin = await makeUser(t, 'admin');
    procurement = await makeUser(t, 'procurement');
    mentor = await supplierWithGrants(t, { a: { minutesPerWeek: 120 } });
  });
  afterAll(() => t.close());

  it('previews the 2027 regulation without storing it, applies it, and audits it', async () => {
    const path = `/api/v1/agreements/${mentor.agreementId}/price-regulations`;
    const before = await rateCount();
    const preview = await post(`${path}?preview=true`, { effectiveFrom: '2027-01-01', percent: '3.1' }).expect(200);
    const line = (serviceLevel: number) => ({ endingRateId: expect.any(String), mentorType: 'retention', serviceLevel, oldRateOre: 45_000, endsOn: '2026-12-31', newRateOre: 46_395, validFrom: '2027-01-01', validTo: null });
    expect(preview.body).toEqual({ applied: false, effectiveFrom: '2027-01-01', percent: '3.1', index: null, lines: [{ ...line(1), newRateId: null }, { ...line(2), newRateId: null }] });
    expect(await rateCount()).toBe(before);
    expect((await auditActions(t, admin, 'agreement', mentor.agreementId)).map((e) => e.action)).not.toContain('agreement.price_regulated');

    const applied = await post(path, { effectiveFrom: '2027-01-01', percent: '3.1' }).expect(201);
    expect(applied.body.lines).toEqual([{ ...line(1), newRateId: expect.any(String) }, { ...line(2), newRateId: expect.any(String) }]);
    expect(await rates(mentor.agreementId)).toEqual([
      [1, '2026-01-01', '2026-12-31', 45_000],
      [1, '2027-01-01', null, 46_395],
      [2, '2026-01-01', '2026-12-31', 45_000],
      [2, '2027-01-01', null, 46_395],
    ]);
    const audit = (await auditActions(t, admin, 'agreement', mentor.agreementId)).filter((e) => e.action === 'agreement.price_regulated');
    expect(audit).toHaveLength(1);
    expect(audit[0].change).toMatchObject({ effectiveFrom: '2027-01-01', percent: '3.1', rates: [expect.objectContaining({ oldRateOre: 45_000, newRateOre: 46_395 }), expect.objectContaining({ newRateOre: 46_395 })] });
  });

  it('checks a January 2027 line against the new rate and a December 2026 line against the old', async () => {
    const response = await post(
      '/api/v1/invoices',
      invoiceBody(
        [
          { grantReference: mentor.grants.a.reference, date: '2026-12-14', minutes: 60, rateOre: 46_395 },
          { grantReference: mentor.grants.a.reference, date: '2027-01-11', minutes: 60, rateOre: 46_395 },
        ],
        { issueDate: '2027-01-15' },
      ),
      mentor.user,
    ).expect(201);
    const [december, january] = response.body.lines;
    expect(december.findings).toEqual([expect.objectContaining({ code: 'rate_above_agreement', values: expect.objectContaining({ rateOre: 46_395, agreedRateOre: 45_000, date: '2026-12-14' }) })]);
    expect(december.approvableOre).toBe(45_000);
    expect(january.findings).toEqual([]);
    expect(january.approvableOre).toBe(46_395);
  });

  it('refuses a second regulation from the same date, naming the rate it would overlap, and stores nothing', async () => {
    const before = await rateCount();
    const response = await post(`/api/v1/agreements/${mentor.agreementId}/price-regulations`, { effectiveFrom: '2027-01-01', percent: '2' }).expect(422);
    expect(response.body.details).toEqual([
      expect.objectContaining({ field: 'effectiveFrom', rule: 'rate_overlap', values: { existingValidFrom: '2027-01-01', existingValidTo: null, existingRateOre: 46_395 } }),
      expect.objectContaining({ rule: 'rate_overlap' }),
    ]);
    expect(await rateCount()).toBe(before);
  });

  it.each([
    [{ effectiveFrom: '2027-07-01', percent: 3.1 }, 'percent', 'isString'],
    [{ effectiveFrom: '2027-07-01', percent: '3,1' }, 'percent', 'regulation_percent'],
    [{ effectiveFrom: '2027-07-01' }, 'percent', 'regulation_adjustment'],
    [{ effectiveFrom: '2027-07-01', percent: '1', index: { base: '100', current: '101' } }, 'percent', 'regulation_adjustment'],
    [{ effectiveFrom: '2027-07-01', index: { base: '0', current: '101' } }, 'index', 'regulation_index'],
    [{ effectiveFrom: '2028-01-01', percent: '1' }, 'effectiveFrom', 'regulation_agreement_ended'],
  ])('refuses %j with 422 naming %s %s', async (body, field, rule) => {
    const before = await rateCount();
    const response = await post(`/api/v1/agreements/${mentor.agreementId}/price-regulations`, body).expect(422);
    expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    expect(await rateCount()).toBe(before);
  });

  it('regulates by an index: 463.95 kr. from 112.4 to 115.9 is 478.41 kr.', async () => {
    const response = await post(`/api/v1/agreements/${mentor.agreementId}/price-regulations?preview=true`, { effectiveFrom: '2027-07-01', index: { base: '112.4', current: '115.9' } }).expect(200);
    // 46395 × 1159 / 1124 = 47839.66… → 47840
    expect(response.body.lines.map((l: { newRateOre: number }) => l.newRateOre)).toEqual([47_840, 47_840]);
  });

  it('ends a rate, refuses an end that leaves a gap, and audits the end', async () => {
    const card = (await t.http.get(`/api/v1/agreements/${mentor.agreementId}/rates`).set(bearer(procurement.token)).expect(200)).body as Array<{ id: string; serviceLevel: number; validFrom: string }>;
    const old2 = card.find((r) => r.serviceLevel === 2 && r.validFrom === '2026-01-01')!;
    const new2 = card.find((r) => r.serviceLevel === 2 && r.validFrom === '2027-01-01')!;
    const gap = await post(`/api/v1/agreements/${mentor.agreementId}/rates/${old2.id}/end`, { validTo: '2026-12-30' }).expect(422);
    expect(gap.body.details).toEqual([expect.objectContaining({ field: 'validTo', rule: 'rate_sequence_gap', values: { mentorType: 'retention', serviceLevel: 2, endsOn: '2026-12-30', startsOn: '2027-01-01' } })]);
    const ended = await post(`/api/v1/agreements/${mentor.agreementId}/rates/${new2.id}/end`, { validTo: '2027-06-30' }).expect(200);
    expect(ended.body).toMatchObject({ id: new2.id, validFrom: '2027-01-01', validTo: '2027-06-30', rateOre: 46_395 });
    const audit = (await auditActions(t, admin, 'agreement', mentor.agreementId)).filter((e) => e.action === 'agreement_rate.ended');
    expect(audit.map((e) => e.change)).toEqual([{ rateId: new2.id, mentorType: 'retention', serviceLevel: 2, validTo: { from: null, to: '2027-06-30' } }]);
    await post(`/api/v1/agreements/${mentor.agreementId}/rates/${new2.id}/end`, { validTo: '2026-12-31' }).expect(422);
    await post(`/api/v1/agreements/${mentor.agreementId}/rates/${new2.id}/end`, { validTo: '2027-06-30' }, mentor.user).expect(403);
    await post(`/api/v1/agreements/${mentor.agreementId}/rates/00000000-0000-4000-8000-000000000000/end`, { validTo: '2027-06-30' }).expect(404);
  });

  it('corrects a rate that has not started, and refuses one that has', async () => {
    const added = await post(`/api/v1/agreements/${mentor.agreementId}/rates`, { mentorType: 'retention', serviceLevel: 2, validFrom: '2027-07-01', rateOre: 47_000 }).expect(201);
    const corrected = await t.http.patch(`/api/v1/agreements/${mentor.agreementId}/rates/${added.body.id}`).set(bearer(procurement.token)).send({ rateOre: 47_500 }).expect(200);
    expect(corrected.body).toMatchObject({ validFrom: '2027-07-01', validTo: null, rateOre: 47_500 });
    const gap = await t.http.patch(`/api/v1/agreements/${mentor.agreementId}/rates/${added.body.id}`).set(bearer(procurement.token)).send({ validFrom: '2027-07-02' }).expect(422);
    expect(gap.body.details).toEqual([expect.objectContaining({ rule: 'rate_sequence_gap' })]);
    const started = (await rates(mentor.agreementId)).length;
    expect(started).toBe(5);
    const card = (await t.http.get(`/api/v1/agreements/${mentor.agreementId}/rates`).set(bearer(procurement.token)).expect(200)).body as Array<{ id: string; validFrom: string; serviceLevel: number }>;
    const inForce = card.find((r) => r.serviceLevel === 1 && r.validFrom === '2027-01-01')!;
    const refused = await t.http.patch(`/api/v1/agreements/${mentor.agreementId}/rates/${inForce.id}`).set(bearer(procurement.token)).send({ rateOre: 46_000 }).expect(422);
    expect(refused.body.details).toEqual([expect.objectContaining({ rule: 'rate_started', values: { validFrom: '2027-01-01', today: '2027-01-20' } })]);
    const audit = (await auditActions(t, admin, 'agreement', mentor.agreementId)).filter((e) => e.action === 'agreement_rate.corrected');
    expect(audit.map((e) => e.change)).toEqual([{ rateId: added.body.id, rateOre: { from: 47_000, to: 47_500 } }]);
  });

  describe('price caps enforced', () => {
    afterEach(() => jest.restoreAllMocks());

    it('refuses a cap lowered below a rate already in force on a day it would cover, and stores nothing', async () => {
      const caps = async () => Number((await t.dataSource.query(`SELECT count(*) AS n FROM price_cap`))[0].n);
      const before = await caps();
      const agreement = (await t.http.get(`/api/v1/agreements/${mentor.agreementId}`).set(bearer(procurement.token)).expect(200)).body as { reference: string };
      const refused = await post('/api/v1/price-caps', { mentorType: 'retention', serviceLevel: 1, validFrom: '2027-01-01', rateOre: 46_000 }).expect(422);
      expect(refused.body.details).toEqual([
        expect.objectContaining({ field: 'rateOre', rule: 'cap_below_rate_in_use', values: { agreementReference: agreement.reference, rateOre: 46_395, priceCapOre: 46_000, from: '2027-01-01', today: '2027-01-20' } }),
      ]);
      expect(await caps()).toBe(before);
    });

    it('accepts a cap below a rate from a later day, and approves a line above it at the cap with a finding', async () => {
      await post('/api/v1/price-caps', { mentorType: 'retention', serviceLevel: 1, validFrom: '2027-02-01', rateOre: 46_000 }).expect(201);
      jest.spyOn(t.app.get(Clock), 'today').mockReturnValue('2027-02-15');
      const response = await post(
        '/api/v1/invoices',
        invoiceBody(
          [
            { grantReference: mentor.grants.a.reference, date: '2027-01-25', minutes: 60, rateOre: 46_395 },
            { grantReference: mentor.grants.a.reference, date: '2027-02-08', minutes: 45, rateOre: 46_395 },
          ],
          { issueDate: '2027-02-15' },
        ),
        mentor.user,
      ).expect(201);
      const [january, february] = response.body.lines;
      expect(january.findings).toEqual([]);
      expect(january.approvableOre).toBe(46_395);
      // 45 minutes at the cap of 460.00 kr. = 345.00 kr.
      expect(february.findings).toEqual([
        expect.objectContaining({ code: 'rate_above_price_cap', severity: 'error', approvableOre: 34_500, values: { rateOre: 46_395, priceCapOre: 46_000, date: '2027-02-08', mentorType: 'retention', serviceLevel: 1 } }),
      ]);
      expect(february.approvableOre).toBe(34_500);
    });
  });
});
