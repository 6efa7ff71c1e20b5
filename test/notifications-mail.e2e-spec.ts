import { cprNumbersIn } from './support/cpr-scan';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { JobQueue } from '../src/common/queue/job-queue';
import { DigestService } from '../src/notifications/digest.service';
import { MailSender } from '../src/notifications/mail-sender.service';
import { MAIL_ATTEMPTS } from '../src/notifications/notification-queue';
import { NotificationRelay } from '../src/notifications/notification-relay.service';
import { RemindersService } from '../src/notifications/reminders.service';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { ensureBuilt, startWorker, type WorkerProcess } from './support/processes';
import { startSmtp, type ReceivedMail, type TestSmtp } from './support/smtp';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

const run = promisify(execFile);

// Every grant the fixtures make belongs to a citizen named "Borger <name>": no mail may carry one.
const CITIZEN_NAMES = () => ['Borger follow', 'Borger g', 'Borger digest', 'Borger down'];

const rejectInvoice = async (t: TestApp, supplier: SupplierWithGrants, finance: TestUser, date: string) => {
  const invoice = await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody([{ grantReference: supplier.grants[Object.keys(supplier.grants)[0]].reference, date, minutes: 30 }])).expect(201);
  await t.http.post(`/api/v1/invoices/${invoice.body.id}/reject`).set(bearer(finance.token)).send({ reason: 'Timerne er ikke dokumenteret for Borger g' }).expect(200);
  return invoice.body as { id: string; invoiceNumber: string };
};

describe('mail through a real SMTP server with two worker processes', () => {
  let smtp: TestSmtp;
  let t: TestApp;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    smtp = await startSmtp(CITIZEN_NAMES);
    t = await startTestApp({ mode: 'api', env: { SMTP_URL: smtp.url, MAIL_FROM: 'Jobcentret <mentor@kommune.test>' } });
    workers.push(await startWorker(t, { SMTP_URL: smtp.url, MAIL_FROM: 'Jobcentret <mentor@kommune.test>' }), await startWorker(t, { SMTP_URL: smtp.url, MAIL_FROM: 'Jobcentret <mentor@kommune.test>' }));
  }, 180_000);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
    await t.close();
    await smtp.close();
  });

  it('sends a rejected invoice’s supplier users one mail each, with the invoice number and a link, nothing personal', async () => {
    const supplier = await supplierWithGrants(t, { g: { minutesPerWeek: 60 } });
    const colleague = await makeUser(t, 'supplier', supplier.supplierId);
    const finance = await makeUser(t, 'finance');
    const invoice = await rejectInvoice(t, supplier, finance, '2026-10-05');

    const about = (mail: ReceivedMail) => mail.subject === `Faktura ${invoice.invoiceNumber} er afvist`;
    const mails = await smtp.waitFor(about, 2, 45_000);
    expect(mails.map((mail) => mail.to).flat().sort()).toEqual([supplier.user.email, colleague.email].sort());
    for (const mail of mails) {
      expect(mail.from).toBe('mentor@kommune.test');
      expect(mail.text).toContain(`Faktura ${invoice.invoiceNumber} er afvist. Se begrundelsen i portalen.`);
      expect(mail.text).toContain(`${t.config.publicUrl}/supplier/invoices/${invoice.id}`);
      // The reason names a citizen: it stays in the portal.
      expect(mail.text).not.toContain('Timerne er ikke dokumenteret');
    }
    // The relays of both workers ran meanwhile: still one mail a user, each stored once and sent once.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(smtp.mails.filter(about)).toHaveLength(2);
    const rows = (await t.dataSource.query(`SELECT status, attempts FROM mail_outbox WHERE subject = $1`, [`Faktura ${invoice.invoiceNumber} er afvist`])) as Array<{ status: string; attempts: number }>;
    expect(rows).toEqual([
      { status: 'sent', attempts: 1 },
      { status: 'sent', attempts: 1 },
    ]);
  }, 90_000);

  it('refuses to start with an SMTP_URL that is no smtp:// or smtps:// address, naming the variable and not its password', async () => {
    const started = run(process.execPath, [join(__dirname, '..', 'dist', 'src', 'main.js'), 'worker'], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: t.databaseUrl, REDIS_URL: 'redis://127.0.0.1:6379', SESSION_SECRET: t.config.sessionSecret, CPR_ENCRYPTION_KEY: t.config.cprEncryptionKey.toString('hex'), SMTP_URL: 'imap://portal:hemmelig@mail.kommune.test' },
    });
    await expect(started).rejects.toMatchObject({ code: 1, stderr: 'Configuration error: SMTP_URL must use smtp:// or smtps://\n' });
  });

  it('shows admin the BullMQ queues in a read-only dashboard under /admin/queues, and nobody else', async () => {
    const admin = await makeUser(t, 'admin');
    const finance = await makeUser(t, 'finance');
    const page = await t.http.get('/admin/queues').set(bearer(admin.token)).expect(200);
    expect(page.text).toContain('<base href="/admin/queues/"');
    const api = await t.http.get('/admin/queues/api/queues').set(bearer(admin.token)).expect(200);
    const queues = (api.body as { queues: Array<{ name: string; readOnlyMode: boolean }> }).queues;
    expect(queues.map((queue) => queue.name)).toEqual(expect.arrayContaining(['notifications', 'billing', 'refunds', 'grant-task-order']));
    expect(queues.every((queue) => queue.readOnlyMode)).toBe(true);
    await t.http.get('/admin/queues').set(bearer(finance.token)).expect(403);
    // A visitor without a session is sent to sign in, as on every page.
    expect((await t.http.get('/admin/queues/api/queues').expect(303)).headers.location).toMatch(/^\/login/);
    // Nothing changes through it: its actions are not served.
    const retry = await t.http.put('/admin/queues/api/queues/notifications/retry/failed').set(bearer(admin.token));
    expect(retry.status).toBe(404);
  });
});

describe('reminders, digests and a mail server that is down (in-process jobs)', () => {
  let smtp: TestSmtp;
  let t: TestApp;
  let finance: TestUser;
  const relay = async () => {
    await t.app.get(NotificationRelay).dispatchPending();
    await t.app.get(JobQueue).drain();
  };

  beforeAll(async () => {
    smtp = await startSmtp(CITIZEN_NAMES);
    t = await startTestApp({ redis: false, env: { SMTP_URL: smtp.url } });
    finance = await makeUser(t, 'finance');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('sends the 7-day follow-up reminder once, however often the reminders run on the day', async () => {
    // A follow-up every 13 weeks from 2026-08-27: the first is due 2026-11-26, a day after the business day 2026-11-25.
    const supplier = await supplierWithGrants(t, { follow: { start: '2026-08-27', end: '2027-02-26' } });
    const reference = supplier.grants.follow.reference;
    await t.app.get(RemindersService).run();
    await relay();
    await t.app.get(RemindersService).run();
    await relay();
    const caseworkerMails = await smtp.waitFor((mail) => mail.subject === `Opfølgning på ${reference} senest 26. november 2026`);
    expect(caseworkerMails).toHaveLength(1);
    expect(caseworkerMails[0].text).toContain(`/grants/${supplier.grants.follow.id}`);
    const supplierMails = smtp.mails.filter((mail) => mail.subject === `Statusrapport for ${reference} senest 26. november 2026`);
    expect(supplierMails.map((mail) => mail.to)).toEqual([[supplier.user.email]]);
    expect(supplierMails[0].text).toContain(`/supplier/grants/${supplier.grants.follow.id}`);
  });

  it('gathers a day’s events of a user who chose the digest into one mail', async () => {
    const supplier = await supplierWithGrants(t, { digest: { minutesPerWeek: 120 } });
    await t.http
      .put('/api/v1/notifications/preferences')
      .set(bearer(supplier.user.token))
      .send({ preferences: [{ type: 'invoice.rejected', delivery: 'daily_digest' }, { type: 'invoice.approved', delivery: 'daily_digest' }] })
      .expect(200);
    const first = await rejectInvoice(t, supplier, finance, '2026-10-05');
    const second = await rejectInvoice(t, supplier, finance, '2026-10-06');
    const approved = await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody([{ grantReference: supplier.grants.digest.reference, date: '2026-10-07', minutes: 30 }])).expect(201);
    await t.http.post(`/api/v1/invoices/${approved.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
    await relay();
    expect(smtp.mails.filter((mail) => mail.to.includes(supplier.user.email))).toEqual([]);

    expect(await t.app.get(DigestService).run()).toBeGreaterThanOrEqual(1);
    await t.app.get(JobQueue).drain();
    const [digest] = await smtp.waitFor((mail) => mail.to.includes(supplier.user.email));
    expect(digest.subject).toBe('Dagens notifikationer fra mentorportalen (3)');
    for (const number of [first.invoiceNumber, second.invoiceNumber, approved.body.invoiceNumber as string]) expect(digest.text).toContain(number);
    // The day's digest is sent: another run sends nothing more.
    await t.app.get(DigestService).run();
    await t.app.get(JobQueue).drain();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.mails.filter((mail) => mail.to.includes(supplier.user.email))).toHaveLength(1);
    // The portal lists all three, unread.
    const list = await t.http.get('/api/v1/notifications').set(bearer(supplier.user.token)).expect(200);
    expect(list.body.unread).toBe(3);
  });

  it('tries again while the mail server is down, sends once when it is back, and shows a mail that failed for good to admin', async () => {
    const supplier = await supplierWithGrants(t, { down: {} });
    smtp.down = true;
    const invoice = await rejectInvoice(t, supplier, finance, '2026-10-05');
    await t.app.get(NotificationRelay).dispatchPending();
    const subject = `Faktura ${invoice.invoiceNumber} er afvist`;
    const stateOf = async () => ((await t.dataSource.query(`SELECT id, status, attempts, last_error FROM mail_outbox WHERE subject = $1`, [subject])) as Array<{ id: string; status: string; attempts: number; last_error: string | null }>)[0];
    const deadline = Date.now() + 20_000;
    while ((await stateOf()).attempts < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await stateOf()).last_error).toContain('421');
    smtp.down = false;
    const mails = await smtp.waitFor((mail) => mail.subject === subject, 1, 30_000);
    expect(mails).toHaveLength(1);
    expect(await stateOf()).toMatchObject({ status: 'sent' });

    // The last try fails: the mail is marked failed and admin sees it, and can send it again.
    smtp.down = true;
    const other = await rejectInvoice(t, supplier, finance, '2026-10-06');
    const otherSubject = `Faktura ${other.invoiceNumber} er afvist`;
    await t.app.get(NotificationRelay).dispatchPending();
    const [{ id }] = (await t.dataSource.query(`SELECT id FROM mail_outbox WHERE subject = $1`, [otherSubject])) as Array<{ id: string }>;
    // Its job has tried once and waits for its next try: this is the last one.
    const waitUntil = Date.now() + 10_000;
    while (!((await t.dataSource.query(`SELECT 1 FROM mail_outbox WHERE id = $1 AND status = 'pending' AND attempts >= 1`, [id])) as unknown[]).length && Date.now() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(t.app.get(MailSender).send(id, MAIL_ATTEMPTS)).rejects.toThrow('failed after');
    expect(((await t.dataSource.query(`SELECT status FROM mail_outbox WHERE id = $1`, [id])) as Array<{ status: string }>)[0].status).toBe('failed');
    const admin = await makeUser(t, 'admin');
    const outbox = await t.http.get('/admin/outbox').query({ status: 'failed' }).set(bearer(admin.token)).expect(200);
    expect(outbox.text).toContain(otherSubject);
    expect(outbox.text).toContain(`action="/admin/outbox/${id}/retry"`);
    smtp.down = false;
    await t.http.post(`/admin/outbox/${id}/retry`).set(bearer(admin.token)).expect(303);
    await t.app.get(JobQueue).drain();
    expect(await smtp.waitFor((mail) => mail.subject === otherSubject)).toHaveLength(1);
  }, 90_000);

  it('put no CPR number and no citizen name in any mail', () => {
    expect(smtp.mails.length).toBeGreaterThan(0);
    for (const mail of smtp.mails) {
      for (const name of CITIZEN_NAMES()) expect(`${mail.subject}${mail.text}${mail.html}`).not.toContain(name);
      // A CPR number as the sweeps find it: ten digits inside a link's UUID are none.
      expect(cprNumbersIn(`${mail.subject}${mail.text}`)).toEqual([]);
    }
  });
});
