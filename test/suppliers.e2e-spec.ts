import { auditActions, makeSupplierViaApi, procurementUser } from './support/factories';
import { bearer, makeUser, startTestApp, validCvr, type TestApp, type TestUser } from './support/test-app';

describe('suppliers and the catalogue', () => {
  let t: TestApp;
  let admin: TestUser;
  let procurement: TestUser;
  let caseworker: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    admin = await makeUser(t, 'admin');
    procurement = await procurementUser(t);
    caseworker = await makeUser(t, 'caseworker');
  });
  afterAll(() => t.close());

  const count = async (sql: string, params: unknown[] = []) => ((await t.dataSource.query(sql, params)) as Array<{ n: number }>)[0].n;

  it('creates a supplier with its details, and audits it', async () => {
    const response = await t.http
      .post('/api/v1/suppliers')
      .set(bearer(procurement.token))
      .send({
        name: 'Mentorhuset ApS',
        cvr: '29143471',
        gln: '5790001234560',
        kind: 'mentor_supplier',
        address: 'Hovedgaden 1',
        postalCode: '3200',
        city: 'Helsinge',
        contactName: 'Anna Jensen',
        contactEmail: 'anna@mentorhuset.dk',
        contactPhone: '+45 12 34 56 78',
      })
      .expect(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      name: 'Mentorhuset ApS',
      cvr: '29143471',
      gln: '5790001234560',
      kind: 'mentor_supplier',
      active: true,
      address: 'Hovedgaden 1',
      postalCode: '3200',
      city: 'Helsinge',
      contactName: 'Anna Jensen',
      contactEmail: 'anna@mentorhuset.dk',
      contactPhone: '+45 12 34 56 78',
      vatRegistered: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const audit = await auditActions(t, admin, 'supplier', response.body.id);
    expect(audit).toEqual([expect.objectContaining({ action: 'supplier.created', actorUserId: procurement.id, change: expect.objectContaining({ cvr: '29143471', name: 'Mentorhuset ApS' }) })]);
  });

  it('refuses a wrong CVR check digit with 422 naming cvr_check, and stores nothing', async () => {
    const before = await count(`SELECT count(*)::int AS n FROM audit_entry`);
    const response = await t.http.post('/api/v1/suppliers').set(bearer(procurement.token)).send({ name: 'Forkert ApS', cvr: '29143472', kind: 'mentor_supplier' }).expect(422);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'cvr', rule: 'cvr_check' })]);
    expect(await count(`SELECT count(*)::int AS n FROM supplier WHERE cvr = '29143472'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM audit_entry`)).toBe(before);
  });

  it('refuses a wrong GLN check digit with 422 naming gln_check', async () => {
    const cvr = validCvr();
    const response = await t.http.post('/api/v1/suppliers').set(bearer(procurement.token)).send({ name: 'Forkert GLN ApS', cvr, gln: '5790001234561', kind: 'mentor_supplier' }).expect(422);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'gln', rule: 'gln_check' })]);
    expect(await count(`SELECT count(*)::int AS n FROM supplier WHERE cvr = $1`, [cvr])).toBe(0);
  });

  it('refuses a duplicate CVR and a duplicate GLN with 409 naming the field', async () => {
    const first = await makeSupplierViaApi(t, { gln: '5790009876540' });
    const dupCvr = await t.http.post('/api/v1/suppliers').set(bearer(procurement.token)).send({ name: 'Tvilling ApS', cvr: first.cvr, kind: 'mentor_supplier' }).expect(409);
    expect(dupCvr.body.details).toEqual([{ field: 'cvr', rule: 'unique', message: 'the cvr is already in use' }]);
    const dupGln = await t.http.post('/api/v1/suppliers').set(bearer(procurement.token)).send({ name: 'Tvilling ApS', cvr: validCvr(), gln: '5790009876540', kind: 'mentor_supplier' }).expect(409);
    expect(dupGln.body.details).toEqual([{ field: 'gln', rule: 'unique', message: 'the gln is already in use' }]);
    expect(await count(`SELECT count(*)::int AS n FROM supplier WHERE name = 'Tvilling ApS'`)).toBe(0);
  });

  it('forbids a caseworker to create a supplier (403)', async () => {
    await t.http.post('/api/v1/suppliers').set(bearer(caseworker.token)).send({ name: 'X ApS', cvr: validCvr(), kind: 'mentor_supplier' }).expect(403);
  });

  it('updates a supplier and audits the difference', async () => {
    const supplier = await makeSupplierViaApi(t);
    const response = await t.http.patch(`/api/v1/suppliers/${supplier.id}`).set(bearer(procurement.token)).send({ city: 'Gilleleje', vatRegistered: false }).expect(200);
    expect(response.body).toMatchObject({ id: supplier.id, city: 'Gilleleje', vatRegistered: false, name: supplier.name });
    const [latest] = await auditActions(t, admin, 'supplier', supplier.id);
    expect(latest).toMatchObject({ action: 'supplier.updated', change: { city: { from: null, to: 'Gilleleje' }, vatRegistered: { from: true, to: false } } });
  });

  it('shows a supplier user only its own supplier', async () => {
    const own = await makeSupplierViaApi(t);
    const other = await makeSupplierViaApi(t);
    const user = await makeUser(t, 'supplier', own.id);
    const list = await t.http.get('/api/v1/suppliers').set(bearer(user.token)).expect(200);
    expect(list.body.map((s: { id: string }) => s.id)).toEqual([own.id]);
    await t.http.get(`/api/v1/suppliers/${own.id}`).set(bearer(user.token)).expect(200);
    await t.http.get(`/api/v1/suppliers/${other.id}`).set(bearer(user.token)).expect(404);
    const staffList = await t.http.get('/api/v1/suppliers').set(bearer(caseworker.token)).expect(200);
    expect(staffList.body.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([own.id, other.id]));
  });

  it('writes a catalogue entry and lists it for caseworkers, filtered', async () => {
    const supplier = await makeSupplierViaApi(t, { name: 'Katalog Mentor ApS' });
    const entry = { targetGroups: ['activity_ready_cash_benefit', 'sickness_benefit'], mentorTypes: ['retention'], methods: 'Motiverende samtale', mentorProfiles: 'Socialrådgivere', contact: 'kontakt@katalog.dk' };
    const put = await t.http.put(`/api/v1/suppliers/${supplier.id}/catalogue`).set(bearer(procurement.token)).send(entry).expect(200);
    expect(put.body).toEqual({ supplierId: supplier.id, supplierName: 'Katalog Mentor ApS', ...entry, updatedAt: expect.any(String) });
    const get = await t.http.get(`/api/v1/suppliers/${supplier.id}/catalogue`).set(bearer(caseworker.token)).expect(200);
    expect(get.body).toEqual(put.body);
    const hit = await t.http.get('/api/v1/catalogue').query({ mentorType: 'retention', targetGroup: 'sickness_benefit' }).set(bearer(caseworker.token)).expect(200);
    expect(hit.body.map((e: { supplierId: string }) => e.supplierId)).toContain(supplier.id);
    const miss = await t.http.get('/api/v1/catalogue').query({ mentorType: 'holistic' }).set(bearer(caseworker.token)).expect(200);
    expect(miss.body.map((e: { supplierId: string }) => e.supplierId)).not.toContain(supplier.id);
    await t.http.get('/api/v1/catalogue').query({ mentorType: 'wizard' }).set(bearer(caseworker.token)).expect(422);
    await t.http.put(`/api/v1/suppliers/${supplier.id}/catalogue`).set(bearer(caseworker.token)).send(entry).expect(403);
    const bad = await t.http.put(`/api/v1/suppliers/${supplier.id}/catalogue`).set(bearer(procurement.token)).send({ ...entry, targetGroups: ['pirates'] }).expect(422);
    expect(bad.body.details[0]).toMatchObject({ field: 'targetGroups', rule: 'isIn' });
    expect((await auditActions(t, admin, 'supplier', supplier.id))[0].action).toBe('supplier_catalogue.updated');
  });

  it('lists rule-set versions for staff and lets only an admin add one', async () => {
    const list = await t.http.get('/api/v1/rule-sets').set(bearer(caseworker.token)).expect(200);
    expect(list.body.length).toBeGreaterThanOrEqual(1);
    expect(list.body[0]).toMatchObject({ source: 'shipped', effectiveFrom: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const values = list.body[list.body.length - 1].values;
    await t.http.post('/api/v1/rule-sets').set(bearer(procurement.token)).send({ effectiveFrom: '2031-01-01', values }).expect(403);
    const added = await t.http.post('/api/v1/rule-sets').set(bearer(admin.token)).send({ effectiveFrom: '2031-01-01', values, note: 'test' }).expect(201);
    expect(added.body).toMatchObject({ effectiveFrom: '2031-01-01', source: 'added', note: 'test' });
    await t.http.post('/api/v1/rule-sets').set(bearer(admin.token)).send({ effectiveFrom: '2031-13-01', values }).expect(422);
    await t.http.post('/api/v1/rule-sets').set(bearer(admin.token)).send({ effectiveFrom: '2031-02-01', values: 'nope' }).expect(422);
    await t.http.post('/api/v1/rule-sets').set(bearer(admin.token)).send({ effectiveFrom: '2031-02-01', values: {} }).expect(422);
  });
});
