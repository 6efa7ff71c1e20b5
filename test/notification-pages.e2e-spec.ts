import request from 'supertest';
import { NotificationEvents, notificationEvent } from '../src/common/notifications/notification-events';
import { NotificationRelay } from '../src/notifications/notification-relay.service';
import { RemindersService } from '../src/notifications/reminders.service';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

type Agent = ReturnType<typeof request.agent>;
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

/**
 * The notification page and the top bar's count, the messages of a grant on its pages and in the API,
 * deputies (who is told, and whom the audit names), and admin's outbox and queue list without Redis.
 */
describe('notification pages, grant messages and deputies', () => {
  let t: TestApp;
  let supplier: SupplierWithGrants;
  let caseworker: TestUser;
  const relay = () => t.app.get(NotificationRelay).dispatchPending();

  async function signIn(user: TestUser): Promise<Agent> {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: user.email, password: user.password, next: '/' }).expect(303);
    return agent;
  }

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    supplier = await supplierWithGrants(t, { thread: {} });
    // Another caseworker than the one who granted it: every caseworker may write on a grant.
    caseworker = await makeUser(t, 'caseworker');
  });
  afterAll(() => t.close());

  it('shows the unread count in the top bar, lists the notifications, marks them read and saves preferences', async () => {
    await t.dataSource.transaction((manager) =>
      t.app.get(NotificationEvents).publish(manager, [notificationEvent('invoice.held', 'page-test', { invoiceId: '5a1e2d3c-4b5a-4c6d-8e7f-901a2b3c4d5e', invoiceNumber: 'F-HELD-1', supplierId: supplier.supplierId })]),
    );
    await relay();
    const agent = await signIn(supplier.user);
    const page = await agent.get('/notifications').expect(200);
    expect(page.text).toContain('Notifikationer (1 ulæst)');
    expect(page.text).toContain('Faktura F-HELD-1 er tilbageholdt');
    expect(page.text).toContain('href="/supplier/invoices/5a1e2d3c-4b5a-4c6d-8e7f-901a2b3c4d5e"');
    // Without a mail server the demo shows the user's own mails here.
    expect(page.text).toContain('Mine e-mails (demo)');
    const [id] = /action="\/notifications\/([0-9a-f-]{36})\/read"/.exec(page.text)!.slice(1);
    await agent.post(`/notifications/${id}/read`).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    const after = await agent.get('/').expect(200);
    expect(after.text).not.toContain('ulæste)');
    expect(after.text).toContain('>Notifikationer</a>');

    // Turning off what the law requires is refused; a plain choice is saved.
    const refused = await agent.post('/notifications/preferences').type('form').send({ _csrf: csrfOf(page.text), 'pref:invoice.rejected': 'off' }).expect(422);
    expect(refused.text).toContain('Loven eller betalingsfristen kræver denne besked; den kan samles én gang om dagen, men ikke slås fra.');
    await agent.post('/notifications/preferences').type('form').send({ _csrf: csrfOf(page.text), 'pref:invoice.approved': 'daily_digest' }).expect(303);
    const preferences = await t.http.get('/api/v1/notifications/preferences').set(bearer(supplier.user.token)).expect(200);
    expect(preferences.body).toContainEqual({ type: 'invoice.approved', delivery: 'daily_digest', required: null });
    expect(preferences.body).toContainEqual({ type: 'invoice.rejected', delivery: 'immediately', required: 'law' });
  });

  it('keeps a grant’s thread between its caseworker and its supplier, tells the other side, and refuses a CPR number or the citizen’s name', async () => {
    const grantId = supplier.grants.thread.id;
    const noShow = await t.http.post(`/api/v1/grants/${grantId}/messages`).set(bearer(supplier.user.token)).send({ kind: 'no_show', sessionDate: '2026-11-24', body: 'Borgeren mødte ikke op til samtalen.' }).expect(201);
    expect(noShow.body).toMatchObject({ kind: 'no_show', from: 'supplier', sessionDate: '2026-11-24', reportedLate: false });
    const late = await t.http.post(`/api/v1/grants/${grantId}/messages`).set(bearer(supplier.user.token)).send({ kind: 'absence', sessionDate: '2026-11-20', body: 'Sygdom.' }).expect(201);
    expect(late.body.reportedLate).toBe(true);
    for (const [body, rule] of [
      [{ kind: 'question', body: 'Er 010203-1234 den rigtige?' }, 'cpr_in_text'],
      [{ kind: 'question', body: 'Har Borger thread fået tid?' }, 'citizen_name_in_text'],
      [{ kind: 'no_show', body: 'Ingen dato' }, 'session_date_required'],
      [{ kind: 'no_show', sessionDate: '2026-12-01', body: 'I fremtiden' }, 'not_in_future'],
    ] as const) {
      const refused = await t.http.post(`/api/v1/grants/${grantId}/messages`).set(bearer(supplier.user.token)).send(body).expect(422);
      expect(refused.body.details.map((d: { rule: string }) => d.rule)).toContain(rule);
    }
    // The grant's caseworker is told; the text stays in the portal.
    await relay();
    const [{ created_by: grantCaseworker }] = (await t.dataSource.query(`SELECT created_by FROM mentor_grant WHERE id = $1`, [grantId])) as Array<{ created_by: string }>;
    const told = (await t.dataSource.query(`SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND type = 'grant_message.received'`, [grantCaseworker])) as Array<{ n: number }>;
    expect(told[0].n).toBe(2);

    // Another caseworker answers from the grant page; the supplier sees the thread on its own grant page and is told.
    const agent = await signIn(caseworker);
    const grantPage = await agent.get(`/grants/${grantId}`).expect(200);
    expect(grantPage.text).toContain('Borgeren mødte ikke op til samtalen.');
    expect(grantPage.text).toContain('meldt for sent');
    await agent.post(`/grants/${grantId}/messages`).type('form').send({ _csrf: csrfOf(grantPage.text), kind: 'answer', sessionDate: '', body: 'Tak, jeg kontakter borgeren.' }).expect(303);
    const supplierAgent = await signIn(supplier.user);
    const supplierPage = await supplierAgent.get(`/supplier/grants/${grantId}`).expect(200);
    expect(supplierPage.text).toContain('Tak, jeg kontakter borgeren.');
    await relay();
    const list = await t.http.get('/api/v1/notifications').set(bearer(supplier.user.token)).expect(200);
    expect(list.body.items.map((i: { title: string }) => i.title)).toContain(`Ny besked om ${supplier.grants.thread.reference}`);
    const thread = await t.http.get(`/api/v1/grants/${grantId}/messages`).set(bearer(caseworker.token)).expect(200);
    expect(thread.body.map((m: { kind: string }) => m.kind)).toEqual(['no_show', 'absence', 'answer']);
  });

  it('routes a finance user’s waiting work to the deputy for the period, and audits what the deputy did for whom', async () => {
    const principal = await makeUser(t, 'finance');
    const deputy = await makeUser(t, 'finance');
    await t.http.post('/api/v1/delegations').set(bearer(principal.token)).send({ deputyUserId: supplier.user.id, validFrom: '2026-11-23', validTo: '2026-11-27' }).expect(422);
    const delegation = await t.http.post('/api/v1/delegations').set(bearer(principal.token)).send({ deputyUserId: deputy.id, validFrom: '2026-11-23', validTo: '2026-11-27' }).expect(201);
    expect(delegation.body).toMatchObject({ principalUserId: principal.id, deputyUserId: deputy.id, principal: 'Test finance', deputy: 'Test finance' });
    await t.http.post('/api/v1/delegations').set(bearer(principal.token)).send({ deputyUserId: deputy.id, validFrom: '2026-11-26', validTo: '2026-12-04' }).expect(409);

    const invoice = await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody([{ grantReference: supplier.grants.thread.reference, date: '2026-10-05', minutes: 30 }])).expect(201);
    await t.app.get(RemindersService).run();
    await relay();
    // The principal is away: not told. The deputy, a finance user too, is told in their own right.
    const principalList = await t.http.get('/api/v1/notifications').set(bearer(principal.token)).expect(200);
    expect(principalList.body.items).toEqual([]);
    const deputyList = await t.http.get('/api/v1/notifications').set(bearer(deputy.token)).expect(200);
    expect(deputyList.body.items.map((i: { type: string; onBehalfOf: string | null }) => [i.type, i.onBehalfOf])).toContainEqual(['approvals.waiting', null]);

    await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(deputy.token)).send({}).expect(200);
    const [entry] = (await t.dataSource.query(`SELECT actor_label, on_behalf_of_user_id, on_behalf_of_label FROM audit_entry WHERE entity_id = $1 AND action = 'invoice.approved'`, [invoice.body.id])) as Array<{ actor_label: string; on_behalf_of_user_id: string; on_behalf_of_label: string }>;
    expect(entry).toEqual({ actor_label: deputy.email, on_behalf_of_user_id: principal.id, on_behalf_of_label: principal.email });

    await t.http.post(`/api/v1/delegations/${delegation.body.id}/end`).set(bearer(deputy.token)).expect(204);
    await t.http.post(`/api/v1/delegations/${delegation.body.id}/end`).set(bearer(principal.token)).expect(409);
  });

  it('lets admin read the outbox and the in-process queues, and nobody else', async () => {
    const admin = await makeUser(t, 'admin');
    const agent = await signIn(admin);
    const outbox = await agent.get('/admin/outbox').expect(200);
    expect(outbox.text).toContain('Der er ingen mailserver sat op (SMTP_URL)');
    expect(outbox.text).toContain('Faktura F-HELD-1 er tilbageholdt');
    expect(outbox.text).toContain('i udbakken');
    const queues = await agent.get('/admin/queues').expect(200);
    expect(queues.text).toContain('<code>notifications</code>');
    const finance = await signIn(await makeUser(t, 'finance'));
    await finance.get('/admin/outbox').set('Accept', 'text/html').expect(403);
    await finance.get('/admin/queues').set('Accept', 'text/html').expect(403);
  });
});
