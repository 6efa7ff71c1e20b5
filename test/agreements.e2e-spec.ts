import { AgreementsService } from '../src/suppliers/agreements.service';
import { auditActions, makeAgreement, makeSupplierViaApi, procurementUser } from './support/factories';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

describe('agreements, rate cards and price caps', () => {
  let t: TestApp;
  let admin: TestUser;
  let procurement: TestUser;
  let supplierId: string;

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    admin = await makeUser(t, 'admin');
    procurement = await procurementUser(t);
    supplierId = (await makeSupplierViaApi(t)).id;
  });
  afterAll(() => t.close());

  const post = (path: string, body: object, user = procurement) => t.http.post(path).set(bearer(user.token)).send(body);

  it('creates a framework agreement with a ceiling and shows consumption as integers', async () => {
    const agreement = await makeAgreement(t, supplierId, { reference: 'RA-2026-01', ceilingOre: 300_000_00, extensionOptions: 2, extensionMonths: 12 });
    expect(agreement).toEqual({
      id: expect.any(String),
      supplierId,
      kind: 'framework',
      reference: 'RA-2026-01',
      title: 'Rammeaftale om mentorstøtte',
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      extensionOptions: 2,
      extensionMonths: 12,
      extensionsUsed: 0,
      mentorTypes: ['retention', 'holistic'],
      vatRateBasisPoints: 2500,
      ceilingOre: 300_000_00,
      defaultMinutesPerWeek: null,
      defaultRateOre: null,
      active: true,
      status: 'in_force',
      terminatedOn: null,
      terminationReason: null,
      contactName: null,
      contactEmail: null,
      contactPhone: null,
      committedMinutes: null,
      commitmentPeriod: null,
      rates: [],
      consumedApprovedOre: 0,
      consumedPendingOre: 0,
      ceilingUsePercent: 0,
    });
    // Ceiling use is the sum of the agreement's ledger: an opening balance and an invoice's pending amount.
    await t.dataSource.query(
      `INSERT INTO ceiling_ledger_entry (agreement_id, kind, invoice_id, pending_delta_ore, approved_delta_ore)
       VALUES ($1, 'opening', NULL, 0, 20000000), ($1, 'submitted', gen_random_uuid(), 4999999, 0)`,
      [agreement.id],
    );
    const detail = await t.http.get(`/api/v1/agreements/${agreement.id}`).set(bearer(procurement.token)).expect(200);
    expect(detail.body).toMatchObject({ consumedApprovedOre: 20_000_000, consumedPendingOre: 4_999_999, ceilingUsePercent: 83 });
    expect((await auditActions(t, admin, 'agreement', agreement.id)).map((e) => e.action)).toEqual(['agreement.created']);
  });

  it('refuses a duplicate reference with 409', async () => {
    const response = await post('/api/v1/agreements', { kind: 'framework', supplierId, reference: 'RA-2026-01', title: 'Tvilling', validFrom: '2026-01-01', validTo: '2026-12-31', mentorTypes: ['retention'] }).expect(409);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'reference', rule: 'unique' })]);
  });

  it.each([
    [{ validFrom: '01-01-2026' }, 'validFrom', 'calendar_date'],
    [{ validTo: '2026-02-30' }, 'validTo', 'calendar_date'],
    [{ validFrom: '2026-06-01', validTo: '2026-05-31' }, 'validTo', 'period_order'],
    [{ mentorTypes: [] }, 'mentorTypes', 'arrayMinSize'],
    [{ mentorTypes: ['wizard'] }, 'mentorTypes', 'isIn'],
    [{ kind: 'partnership', ceilingOre: 100 }, 'ceilingOre', 'ceiling_only_framework'],
  ])('refuses %j with 422 naming %s %s and stores nothing', async (override, field, rule) => {
    const reference = `BAD-${Math.random().toString(36).slice(2, 10)}`;
    const response = await post('/api/v1/agreements', { kind: 'framework', supplierId, reference, title: 'X', validFrom: '2026-01-01', validTo: '2026-12-31', mentorTypes: ['retention'], ...override }).expect(422);
    expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    expect(await t.dataSource.query(`SELECT 1 FROM agreement WHERE reference = $1`, [reference])).toHaveLength(0);
  });

  it('refuses a partnership with a mentor supplier (supplier_kind)', async () => {
    const response = await post('/api/v1/agreements', { kind: 'partnership', supplierId, reference: 'PA-WRONG', title: 'X', validFrom: '2026-01-01', validTo: '2026-12-31', mentorTypes: ['company'] }).expect(422);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'supplierId', rule: 'supplier_kind' })]);
  });

  it('registers the 250 kr./hour, 1 hour/week partnership and prices it', async () => {
    const company = await makeSupplierViaApi(t, { kind: 'partner_company', name: 'Tømrer Hansen A/S' });
    const agreement = await makeAgreement(t, company.id, { kind: 'partnership', reference: 'PA-2026-07', title: 'Partnerskabsaftale', validFrom: '2026-03-01', validTo: '2026-08-31', mentorTypes: ['company'], defaultMinutesPerWeek: 60, defaultRateOre: 25_000 });
    expect(agreement).toMatchObject({ kind: 'partnership', defaultMinutesPerWeek: 60, defaultRateOre: 25_000, ceilingOre: null, ceilingUsePercent: null, vatRateBasisPoints: 2500 });
    const service = t.app.get(AgreementsService);
    expect(await service.rateFor(agreement.id, 'company', 1, '2026-04-15')).toBe(25_000);
    expect(await service.rateFor(agreement.id, 'company', 1, '2026-09-01')).toBeNull();
    expect(await service.rateFor(agreement.id, 'retention', 1, '2026-04-15')).toBeNull();
    expect(await service.termsFor(agreement.id)).toEqual({
      id: agreement.id,
      supplierId: company.id,
      supplierName: 'Tømrer Hansen A/S',
      supplierCvr: company.cvr,
      kind: 'partnership',
      reference: 'PA-2026-07',
      title: 'Partnerskabsaftale',
      validFrom: '2026-03-01',
      validTo: '2026-08-31',
      mentorTypes: ['company'],
      active: true,
      // The partnership's 1 hour a week, which bounds its company grants.
      defaultMinutesPerWeek: 60,
    });
    expect(await service.termsFor('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('updates an agreement and uses extension options until none is left', async () => {
    const agreement = await makeAgreement(t, supplierId, { validFrom: '2030-01-31', validTo: '2030-01-31', extensionOptions: 1, extensionMonths: 1 });
    const patched = await t.http.patch(`/api/v1/agreements/${agreement.id}`).set(bearer(procurement.token)).send({ title: 'Ny titel', ceilingOre: 1_000_00 }).expect(200);
    expect(patched.body).toMatchObject({ title: 'Ny titel', ceilingOre: 100_000 });
    const extended = await t.http.post(`/api/v1/agreements/${agreement.id}/use-extension`).set(bearer(procurement.token)).expect(200);
    expect(extended.body).toMatchObject({ validTo: '2030-02-28', extensionsUsed: 1 });
    const refused = await t.http.post(`/api/v1/agreements/${agreement.id}/use-extension`).set(bearer(procurement.token)).expect(422);
    expect(refused.body.details).toEqual([expect.objectContaining({ rule: 'extension_options_exhausted' })]);
    const order = await t.http.patch(`/api/v1/agreements/${agreement.id}`).set(bearer(procurement.token)).send({ validTo: '2025-12-31' }).expect(422);
    expect(order.body.details).toEqual([expect.objectContaining({ field: 'validTo', rule: 'period_order' })]);
    expect((await auditActions(t, admin, 'agreement', agreement.id)).map((e) => e.action)).toEqual(['agreement.extended', 'agreement.updated', 'agreement.created']);
  });

  it('filters the list by supplier, kind and activeOn', async () => {
    const other = await makeSupplierViaApi(t);
    const a = await makeAgreement(t, other.id, { validFrom: '2028-01-01', validTo: '2028-12-31' });
    const list = await t.http.get('/api/v1/agreements').query({ supplierId: other.id, kind: 'framework', activeOn: '2028-06-01' }).set(bearer(procurement.token)).expect(200);
    expect(list.body.map((x: { id: string }) => x.id)).toEqual([a.id]);
    const none = await t.http.get('/api/v1/agreements').query({ supplierId: other.id, activeOn: '2029-01-01' }).set(bearer(procurement.token)).expect(200);
    expect(none.body).toEqual([]);
    await t.http.get('/api/v1/agreements').query({ activeOn: '2028-6-1' }).set(bearer(procurement.token)).expect(422);
  });

  describe('rate cards', () => {
    let agreementId: string;
    beforeAll(async () => {
      agreementId = (await makeAgreement(t, supplierId)).id;
      await post('/api/v1/price-caps', { mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-01', rateOre: 27_500 }).expect(201);
    });

    it('adds a rate and a price regulation, and prices by date', async () => {
      const first = await post(`/api/v1/agreements/${agreementId}/rates`, { mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-01', validTo: '2026-12-31', rateOre: 25_000 }).expect(201);
      expect(first.body).toEqual({ id: expect.any(String), agreementId, mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-01', validTo: '2026-12-31', rateOre: 25_000 });
      await post(`/api/v1/agreements/${agreementId}/rates`, { mentorType: 'retention', serviceLevel: 1, validFrom: '2027-01-01', rateOre: 25_750 }).expect(201);
      const rates = await t.http.get(`/api/v1/agreements/${agreementId}/rates`).set(bearer(procurement.token)).expect(200);
      expect(rates.body.map((r: { rateOre: number; validTo: string | null }) => [r.rateOre, r.validTo])).toEqual([[25_000, '2026-12-31'], [25_750, null]]);
      const service = t.app.get(AgreementsService);
      expect(await service.rateFor(agreementId, 'retention', 1, '2026-12-31')).toBe(25_000);
      expect(await service.rateFor(agreementId, 'retention', 1, '2027-01-01')).toBe(25_750);
      expect(await service.rateFor(agreementId, 'retention', 2, '2027-01-01')).toBeNull();
      const audit = await auditActions(t, admin, 'agreement', agreementId);
      expect(audit.filter((e) => e.action === 'agreement_rate.created')).toHaveLength(2);
    });

    it('refuses an overlapping rate with rate_overlap', async () => {
      const response = await post(`/api/v1/agreements/${agreementId}/rates`, { mentorType: 'retention', serviceLevel: 1, validFrom: '2026-12-31', validTo: '2026-12-31', rateOre: 25_000 }).expect(422);
      expect(response.body.details).toEqual([expect.objectContaining({ field: 'validFrom', rule: 'rate_overlap', values: { existingValidFrom: '2026-01-01', existingValidTo: '2026-12-31', existingRateOre: 25_000 } })]);
    });

    it('refuses a rate above the price cap with rate_above_cap', async () => {
      // No cap is in force in 2025, so that rate is allowed; from 2026 the cap applies.
      await post(`/api/v1/agreements/${agreementId}/rates`, { mentorType: 'retention', serviceLevel: 1, validFrom: '2025-01-01', validTo: '2025-12-31', rateOre: 27_501 }).expect(201);
      const refused = await post(`/api/v1/agreements/${agreementId}/rates`, { mentorType: 'retention', serviceLevel: 1, validFrom: '2028-01-01', rateOre: 27_501 }).expect(422);
      expect(refused.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'rateOre', rule: 'rate_above_cap', values: { rateOre: 27_501, priceCapOre: 27_500 } })]));
    });

    it.each([
      [{ serviceLevel: 0 }, 'serviceLevel', 'min'],
      [{ serviceLevel: 9 }, 'serviceLevel', 'service_level_exists'],
      [{ validFrom: '2026/01/01' }, 'validFrom', 'calendar_date'],
      [{ mentorType: 'discharge' }, 'mentorType', 'mentor_type_covered'],
      [{ rateOre: 250.5 }, 'rateOre', 'isInt'],
    ])('refuses %j with 422 naming %s %s', async (override, field, rule) => {
      const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM agreement_rate`);
      const response = await post(`/api/v1/agreements/${agreementId}/rates`, { mentorType: 'holistic', serviceLevel: 2, validFrom: '2026-01-01', rateOre: 30_000, ...override }).expect(422);
      expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM agreement_rate`)).toEqual(before);
    });

    it('lets no two concurrent rates overlap', async () => {
      const body = { mentorType: 'holistic', serviceLevel: 3, validFrom: '2026-01-01', rateOre: 26_000 };
      const results = await Promise.all([post(`/api/v1/agreements/${agreementId}/rates`, body), post(`/api/v1/agreements/${agreementId}/rates`, { ...body, validFrom: '2026-02-01' })]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    });

    it('lists price caps and refuses a duplicate cap with 409', async () => {
      const caps = await t.http.get('/api/v1/price-caps').set(bearer(procurement.token)).expect(200);
      expect(caps.body).toEqual([{ id: expect.any(String), mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-01', rateOre: 27_500 }]);
      await post('/api/v1/price-caps', { mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-01', rateOre: 28_000 }).expect(409);
      await post('/api/v1/price-caps', { mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-01', rateOre: 28_000 }, admin).expect(409);
      const caseworker = await makeUser(t, 'caseworker');
      await post('/api/v1/price-caps', { mentorType: 'retention', serviceLevel: 2, validFrom: '2026-01-01', rateOre: 28_000 }, caseworker).expect(403);
    });

    it('shows a supplier user its own agreement and rates, and not another supplier’s (404)', async () => {
      const own = await makeUser(t, 'supplier', supplierId);
      const stranger = await makeUser(t, 'supplier', (await makeSupplierViaApi(t)).id);
      await t.http.get(`/api/v1/agreements/${agreementId}`).set(bearer(own.token)).expect(200);
      await t.http.get(`/api/v1/agreements/${agreementId}/rates`).set(bearer(own.token)).expect(200);
      await t.http.get(`/api/v1/agreements/${agreementId}`).set(bearer(stranger.token)).expect(404);
      await t.http.get(`/api/v1/agreements/${agreementId}/rates`).set(bearer(stranger.token)).expect(404);
      const list = await t.http.get('/api/v1/agreements').set(bearer(stranger.token)).expect(200);
      expect(list.body).toEqual([]);
      const ownList = await t.http.get('/api/v1/agreements').set(bearer(own.token)).expect(200);
      expect(ownList.body.every((a: { supplierId: string }) => a.supplierId === supplierId)).toBe(true);
      await post(`/api/v1/agreements/${agreementId}/rates`, { mentorType: 'holistic', serviceLevel: 1, validFrom: '2026-01-01', rateOre: 1 }, own).expect(403);
    });
  });
});
