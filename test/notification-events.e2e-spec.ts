import { NotificationEvents, notificationEvent } from '../src/common/notifications/notification-events';
import { JobQueue } from '../src/common/queue/job-queue';
import { NotificationRelay } from '../src/notifications/notification-relay.service';
import { RemindersService } from '../src/notifications/reminders.service';
import { invoiceBody, supplierWithGrants } from './support/invoice-fixtures';
import { bearer, cprNumbersInMails, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface Listed {
  unread: number;
  items: Array<{ id: string; type: string; title: string; body: string; link: string; read: boolean; onBehalfOf: string | null }>;
}

/**
 * The events whose sources exist, told in the portal and kept in the outbox (no mail server configured):
 * a progress report arrived, a ceiling mark passed, a statement made final, invoices waiting and a payment
 * term ending.
 */
describe('notification events from their sources', () => {
  let t: TestApp;
  let finance: TestUser;
  const relay = async () => {
    await t.app.get(JobQueue).drain();
    await t.app.get(NotificationRelay).dispatchPending();
  };
  const listOf = async (user: TestUser, type?: string) => {
    const body = (await t.http.get('/api/v1/notifications').set(bearer(user.token)).expect(200)).body as Listed;
    return type ? body.items.filter((item) => item.type === type) : body.items;
  };

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    finance = await makeUser(t, 'finance');
  });
  afterAll(() => t.close());

  it('tells the grant’s caseworker that a progress report arrived, and keeps the mail in the outbox without a mail server', async () => {
    const supplier = await supplierWithGrants(t, { report: { start: '2026-08-27', end: '2027-02-26' } });
    await t.http
      .post(`/api/v1/grants/${supplier.grants.report.id}/progress-reports`)
      .set(bearer(supplier.user.token))
      .send({ dueDate: '2026-11-26', progress: 'Godt i gang', hoursUsedFor: 'Samtaler', deliverySummary: 'Fire møder' })
      .expect(201);
    await relay();
    const [caseworkerId] = (await t.dataSource.query(`SELECT created_by FROM mentor_grant WHERE id = $1`, [supplier.grants.report.id])) as Array<{ created_by: string }>;
    const rows = (await t.dataSource.query(`SELECT n.type, m.status, m.subject FROM notification n JOIN mail_outbox m ON m.user_id = n.user_id WHERE n.user_id = $1 AND n.type = 'progress_report.arrived' AND m.subject LIKE 'Statusrapport%'`, [caseworkerId.created_by])) as Array<{ type: string; status: string; subject: string }>;
    expect(rows).toEqual([{ type: 'progress_report.arrived', status: 'kept', subject: `Statusrapport modtaget for ${supplier.grants.report.reference}` }]);
  });

  it('tells procurement once per mark when a framework agreement’s use passes 80 % and 90 % of its ceiling', async () => {
    const procurement = await makeUser(t, 'procurement');
    // 30 minutes at 450 kr. an hour is 225 kr.: 90 % of a 250 kr. ceiling.
    const supplier = await supplierWithGrants(t, { ceiling: {} }, { ceilingOre: 25_000 });
    const invoice = await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody([{ grantReference: supplier.grants.ceiling.reference, date: '2026-10-05', minutes: 30 }])).expect(201);
    await relay();
    const reached = await listOf(procurement, 'ceiling.mark_reached');
    const [agreement] = (await t.dataSource.query(`SELECT reference FROM agreement WHERE id = $1`, [supplier.agreementId])) as Array<{ reference: string }>;
    expect(reached.map((item) => item.title).sort()).toEqual([`Rammeaftale ${agreement.reference} har brugt 80 % af loftet`, `Rammeaftale ${agreement.reference} har brugt 90 % af loftet`]);
    expect(reached[0].link).toBe(`/procurement/agreements/${supplier.agreementId}`);
    // Approval moves the amount from pending to approved: the use stays where it is, nobody is told again.
    await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    await relay();
    expect(await listOf(procurement, 'ceiling.mark_reached')).toHaveLength(2);
  });

  it('tells a supplier that its statement is final', async () => {
    const supplier = await supplierWithGrants(t, { billed: {} });
    const invoice = await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody([{ grantReference: supplier.grants.billed.reference, date: '2026-10-12', minutes: 30 }])).expect(201);
    await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    for (const kind of ['build', 'finalise']) {
      await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2026-10', kind }).expect(202);
      await t.app.get(JobQueue).drain();
    }
    await relay();
    const [told] = await listOf(supplier.user, 'statement.final');
    expect(told.title).toMatch(/^Afregningsoversigt AF-2026-\d{6} er klar$/);
    expect(told.body).toContain('for oktober 2026 er endelig');
    expect(told.link).toBe('/supplier/statements');
  });

  it('tells finance of invoices waiting, oldest first, and of a payment term ending within 5 business days, once a day', async () => {
    const supplier = await supplierWithGrants(t, { waiting: {} });
    const old = await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody([{ grantReference: supplier.grants.waiting.reference, date: '2026-10-19', minutes: 30 }])).expect(201);
    await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody([{ grantReference: supplier.grants.waiting.reference, date: '2026-10-20', minutes: 30 }])).expect(201);
    // Received 2026-10-28: the term ends 2026-11-27, two business days after the business day 2026-11-25.
    await t.dataSource.query(`UPDATE invoice SET created_at = '2026-10-28T10:00:00+01:00' WHERE id = $1`, [old.body.id]);
    await t.app.get(RemindersService).run();
    await t.app.get(RemindersService).run();
    await relay();
    const waiting = await listOf(finance, 'approvals.waiting');
    expect(waiting).toHaveLength(1);
    expect(waiting[0].title).toMatch(/^\d+ fakturaer venter på godkendelse$/);
    const ending = await listOf(finance, 'payment_term.ending');
    expect(ending.map((item) => item.body)).toEqual([
      `Faktura ${old.body.invoiceNumber} blev modtaget 28. oktober 2026. Den skal betales inden 30 dage, dvs. senest 27. november 2026 — om 2 arbejdsdage.`,
    ]);
    expect(ending[0].link).toBe(`/finance/invoices/${old.body.id}`);
  });

  it('finds a CPR number in a stored mail: every test app searches its mails so when it closes', async () => {
    expect(await cprNumbersInMails(t.dataSource)).toEqual([]);
    await t.dataSource.query(`INSERT INTO mail_outbox (idempotency_key, kind, recipient, subject, body_text, body_html, status) VALUES ('sweep-check', 'event', 'x@kommune.test', 'Prøve', 'Borger 010203-1234', '', 'kept')`);
    expect(await cprNumbersInMails(t.dataSource)).toEqual(['010203-1234 in the mail "Prøve"']);
    await t.dataSource.query(`DELETE FROM mail_outbox WHERE idempotency_key = 'sweep-check'`);
  });

  it('tells nobody of an event for an unknown supplier or of an unknown type, and holds up no other event', async () => {
    const supplier = await supplierWithGrants(t, { after: {} });
    await t.dataSource.transaction(async (manager) => {
      await t.app.get(NotificationEvents).publish(manager, [
        notificationEvent('invoice.rejected', 'nobody', { invoiceId: '5a1e2d3c-4b5a-4c6d-8e7f-901a2b3c4d5e', invoiceNumber: 'F-NOBODY', supplierId: '00000000-0000-4000-8000-000000000000' }),
      ]);
      await manager.query(`INSERT INTO notification_event (event_key, type, payload) VALUES ('future.kind:1', 'future.kind', '{}')`);
      await t.app.get(NotificationEvents).publish(manager, [notificationEvent('invoice.held', 'after', { invoiceId: '5a1e2d3c-4b5a-4c6d-8e7f-901a2b3c4d5e', invoiceNumber: 'F-AFTER', supplierId: supplier.supplierId })]);
    });
    await relay();
    const events = (await t.dataSource.query(
      `SELECT e.event_key, e.dispatched_at IS NOT NULL AS told, count(n.id)::int AS notifications FROM notification_event e LEFT JOIN notification n ON n.event_id = e.id
        WHERE e.event_key IN ('invoice.rejected:nobody', 'future.kind:1', 'invoice.held:after') GROUP BY e.id ORDER BY e.id`,
    )) as Array<{ event_key: string; told: boolean; notifications: number }>;
    expect(events).toEqual([
      { event_key: 'invoice.rejected:nobody', told: true, notifications: 0 },
      { event_key: 'future.kind:1', told: true, notifications: 0 },
      { event_key: 'invoice.held:after', told: true, notifications: 1 },
    ]);
  });
});
