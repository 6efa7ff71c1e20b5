import request from 'supertest';
import { invoiceBody, supplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];

describe('admin pages: users and the audit log', () => {
  let t: TestApp;
  let admin: TestUser;
  let agent: ReturnType<typeof request.agent>;

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    admin = await makeUser(t, 'admin');
    agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: admin.email, password: admin.password }).expect(303);
  });
  afterAll(() => t.close());

  it('lists a supplier user with its supplier, changes a role, refuses a supplier user without a supplier beside the field, and deactivates', async () => {
    const supplier = await supplierWithGrants(t, {});
    const list = (await agent.get('/admin/users').expect(200)).text;
    const supplierName = (await t.http.get(`/api/v1/suppliers/${supplier.supplierId}`).set(bearer(admin.token)).expect(200)).body.name as string;
    const row = list.split('<tr>').find((r) => r.includes(supplier.user.email))!;
    expect(row).toContain(`<td>${supplierName}</td>`);

    const caseworker = await makeUser(t, 'caseworker');
    const page = (await agent.get(`/admin/users/${caseworker.id}`).expect(200)).text;
    expect(page).toContain('<h1>Ret Test caseworker</h1>');
    const refused = await agent.post(`/admin/users/${caseworker.id}`).type('form').send({ _csrf: csrfOf(page), displayName: 'Sara Sagsbehandler', role: 'supplier', supplierId: '', language: 'da', active: 'yes' }).expect(422);
    expect(refused.text).toContain('aria-invalid="true" aria-describedby="u-supplier-error"');
    expect(refused.text).toContain('<a href="#u-supplier">Leverandør (kun leverandørbrugere)</a>: En leverandørbruger skal høre til en leverandør; vælg leverandøren.');

    const changed = await agent.post(`/admin/users/${caseworker.id}`).type('form').send({ _csrf: csrfOf(refused.text), displayName: 'Sara Sagsbehandler', role: 'team_leader', supplierId: '', language: 'da', active: 'yes' }).expect(303);
    expect(changed.headers.location).toBe('/admin/users?notice=updated');
    // A change of role signs the user out everywhere.
    await t.http.get('/api/v1/auth/me').set(bearer(caseworker.token)).expect(401);
    const read = (await t.http.get(`/api/v1/users/${caseworker.id}`).set(bearer(admin.token)).expect(200)).body;
    expect([read.displayName, read.role, read.active]).toEqual(['Sara Sagsbehandler', 'team_leader', true]);

    const again = (await agent.get(`/admin/users/${caseworker.id}`).expect(200)).text;
    await agent.post(`/admin/users/${caseworker.id}`).type('form').send({ _csrf: csrfOf(again), displayName: 'Sara Sagsbehandler', role: 'team_leader', supplierId: '', language: 'da' }).expect(303);
    expect((await t.http.get(`/api/v1/users/${caseworker.id}`).set(bearer(admin.token)).expect(200)).body.active).toBe(false);
    await t.http.post('/api/v1/auth/login').send({ email: caseworker.email, password: caseworker.password }).expect(401);

    // The admin cannot take away their own role.
    const own = (await agent.get(`/admin/users/${admin.id}`).expect(200)).text;
    const self = await agent.post(`/admin/users/${admin.id}`).type('form').send({ _csrf: csrfOf(own), displayName: 'Test admin', role: 'finance', supplierId: '', language: 'da', active: 'yes' }).expect(422);
    expect(self.text).toContain('aria-describedby="u-role-error u-role-hint"');
  });

  it('shows a service account form’s error beside its field in Danish', async () => {
    const page = (await agent.get('/admin/service-accounts').expect(200)).text;
    const refused = await agent.post('/admin/service-accounts').type('form').send({ _csrf: csrfOf(page), name: 'Ikke Gyldigt Navn', scopes: 'statements:read' }).expect(422);
    expect(refused.text).toContain('<input id="account-name" name="name" pattern="[a-z0-9][a-z0-9\\-]{1,62}" required aria-invalid="true" aria-describedby="account-name-error">');
    expect(refused.text).toMatch(/<p class="field-error" id="account-name-error">[^<]*[æøå\w][^<]*<\/p>/);
    expect(refused.text).toContain('<a href="#account-name">Navn (små bogstaver, tal og bindestreg)</a>');
  });

  it('shows the audit log in words, filtered by user, record, action and day', async () => {
    const supplier = await supplierWithGrants(t, { a: { minutesPerWeek: 90 } });
    const finance = await makeUser(t, 'finance');
    const invoice = await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody([{ grantReference: supplier.grants.a.reference, date: '2026-10-05', minutes: 60 }])).expect(201);
    await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    const number = invoice.body.invoiceNumber as string;

    const all = (await agent.get('/admin/audit').expect(200)).text;
    expect(all).toContain(`Test finance godkendte faktura ${number}: 450,00 kr.`);
    const byAction = (await agent.get('/admin/audit').query({ action: 'invoice.approved', user: finance.id }).expect(200)).text;
    expect(byAction).toContain(`Test finance godkendte faktura ${number}: 450,00 kr.`);
    expect(byAction).not.toContain('modtog faktura');
    const byRecord = (await agent.get('/admin/audit').query({ entityType: 'invoice', entityId: invoice.body.id }).expect(200)).text;
    expect(byRecord).toContain(`modtog faktura ${number}`);
    expect(byRecord).toContain(`godkendte faktura ${number}`);
    expect(byRecord).not.toContain('oprettede bruger');
    const before = (await agent.get('/admin/audit').query({ to: '2000-01-01' }).expect(200)).text;
    expect(before).toContain('Ingen hændelser.');
  });
});
