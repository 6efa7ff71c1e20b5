import request from 'supertest';
import { JobQueue } from '../src/common/queue/job-queue';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

type Agent = ReturnType<typeof request.agent>;

const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];

/** The postings and payments pages over a final October 2026 statement of one supplier (today is 2026-11-25). */
describe('postings and payments pages', () => {
  let t: TestApp;
  let mentor: SupplierWithGrants;
  let financeUser: TestUser;
  let statement: { id: string; number: string; issuedOn: string; totalOre: number };
  let invoiceId: string;
  const agents: Record<string, Agent> = {};

  async function signIn(user: TestUser): Promise<Agent> {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: user.email, password: user.password, next: '/' }).expect(303);
    return agent;
  }

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    financeUser = await makeUser(t, 'finance');
    mentor = await supplierWithGrants(t, { a: { minutesPerWeek: 90 } });
    const invoice = await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).send(invoiceBody([{ grantReference: mentor.grants.a.reference, date: '2026-10-05', minutes: 60 }])).expect(201);
    invoiceId = invoice.body.id;
    await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(financeUser.token)).send({}).expect(200);
    for (const kind of ['build', 'finalise'] as const) {
      await t.http.post('/api/v1/billing-runs').set(bearer(financeUser.token)).send({ month: '2026-10', kind }).expect(202);
      await t.app.get(JobQueue).drain();
    }
    [statement] = (await t.http.get('/api/v1/statements').query({ supplierId: mentor.supplierId }).set(bearer(financeUser.token)).expect(200)).body;
    agents.finance = await signIn(financeUser);
    agents.admin = await signIn(await makeUser(t, 'admin'));
    agents.procurement = await signIn(await makeUser(t, 'procurement'));
    agents.supplier = await signIn(mentor.user);
  });
  afterAll(() => t.close());

  it('lets finance and admin reach the pages, and nobody else', async () => {
    for (const [who, status] of [['finance', 200], ['admin', 200], ['procurement', 403], ['supplier', 403]] as const) {
      for (const path of ['/finance/payments', '/finance/postings']) expect([who, path, (await agents[who].get(path)).status]).toEqual([who, path, status]);
    }
    const anonymous = await request(t.app.getHttpServer()).get('/finance/payments').set('Accept', 'text/html').expect(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Ffinance%2Fpayments');
    // Admin reads, but the forms that change something are finance's.
    const adminPage = (await agents.admin.get('/finance/payments').expect(200)).text;
    expect(adminPage).not.toContain('action="/finance/payments/preview"');
    const adminPostings = (await agents.admin.get(`/finance/postings?from=${statement.issuedOn}&to=${statement.issuedOn}`).expect(200)).text;
    expect(adminPostings).toContain(statement.number);
    expect(adminPostings).not.toContain('method="post" action="/finance/postings"');
    await agents.admin.post('/finance/postings').type('form').send({ _csrf: csrfOf(adminPage), from: statement.issuedOn, to: statement.issuedOn }).expect(403);
  });

  it('shows a refused period beside its fields, in Danish and in English', async () => {
    const da = await agents.finance.get('/finance/postings?from=2026-11-30&to=2026-11-01').expect(422);
    expect(da.text).toContain('aria-invalid="true"');
    expect(da.text).toContain('id="pp-error"');
    expect(da.text).toContain('Perioden skal have en fra- og en til-dato');
    // ?lang=en keeps English for the agent's later pages: a sign-in of its own.
    const english = await signIn(financeUser);
    const en = await english.get('/finance/postings?from=2026-11-30&to=2026-11-01&lang=en').expect(422);
    expect(en.text).toContain('The period needs a from and a to date');
  });

  it('exports a period only from its confirmation, once', async () => {
    const page = (await agents.finance.get(`/finance/postings?from=${statement.issuedOn}&to=${statement.issuedOn}`).expect(200)).text;
    expect(page).toContain('Eksportér 1 afregningsoversigt');
    const done = await agents.finance.post('/finance/postings').type('form').send({ _csrf: csrfOf(page), from: statement.issuedOn, to: statement.issuedOn }).expect(303);
    expect(done.headers.location).toMatch(/^\/finance\/postings\?notice=exported&export=[0-9a-f-]{36}$/);
    const after = (await agents.finance.get(`/finance/postings?from=${statement.issuedOn}&to=${statement.issuedOn}`).expect(200)).text;
    expect(after).toContain('Alle endelige afregningsoversigter i perioden er eksporteret.');
    const again = await agents.finance.post('/finance/postings').type('form').send({ _csrf: csrfOf(page), from: statement.issuedOn, to: statement.issuedOn }).expect(303);
    expect(again.headers.location).toBe('/finance/postings?notice=nothing');
  });

  it('registers a payment file only from its confirmation, and shows the supplier paid and the day', async () => {
    const page = (await agents.finance.get('/finance/payments').expect(200)).text;
    const amount = `${Math.floor(statement.totalOre / 100)},${String(statement.totalOre % 100).padStart(2, '0')}`;
    const file = Buffer.from(`afregningsnummer;beløb;betalingsdato\r\n${statement.number};${amount};2026-11-20\r\n`);
    const confirm = await agents.finance.post('/finance/payments/preview').field('_csrf', csrfOf(page)).attach('file', file, { filename: 'bank.csv', contentType: 'text/csv' }).expect(200);
    expect(confirm.text).toContain('Markeres som betalt (1)');
    expect(confirm.text).toContain(statement.number);
    expect((await t.http.get(`/api/v1/statements/${statement.id}`).set(bearer(financeUser.token)).expect(200)).body.status).toBe('final');
    const form = Object.fromEntries([...confirm.text.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1], m[2].replace(/&#x3D;/g, '=')]));
    const applied = await agents.finance.post('/finance/payments/import').type('form').send(form).expect(303);
    expect(applied.headers.location).toMatch(/^\/finance\/payments\?notice=imported&import=[0-9a-f-]{36}$/);
    expect((await t.http.get(`/api/v1/statements/${statement.id}`).set(bearer(financeUser.token)).expect(200)).body).toMatchObject({ status: 'paid', paidOn: '2026-11-20' });
    // The same confirmation again changes nothing.
    expect((await agents.finance.post('/finance/payments/import').type('form').send(form).expect(303)).headers.location).toMatch(/notice=already_imported/);
    const own = (await agents.supplier.get('/supplier/statements').expect(200)).text;
    expect(own).toContain('Betalt <span class="nowrap">den 2026-11-20</span>');
    const invoices = (await agents.supplier.get('/supplier/invoices').expect(200)).text;
    expect(invoices).toContain('Betalt <span class="nowrap">2026-11-20</span>');
    const detail = (await agents.supplier.get(`/supplier/invoices/${invoiceId}`).expect(200)).text;
    expect(detail).toContain('<span id="invoice-paid-on">Betalt den 2026-11-20</span>');
  });

  it('shows a bad payment file’s rows beside the field and registers nothing', async () => {
    const page = (await agents.finance.get('/finance/payments').expect(200)).text;
    const file = Buffer.from('afregningsnummer;beløb;betalingsdato\r\nAF-2026-999999;-1,00;2026-11-20\r\n');
    const refused = await agents.finance.post('/finance/payments/preview').field('_csrf', csrfOf(page)).attach('file', file, { filename: 'bank.csv', contentType: 'text/csv' }).expect(422);
    expect(refused.text).toContain('aria-invalid="true"');
    expect(refused.text).toContain('Række 2, paid_amount: det betalte beløb skal være større end 0, men er »-1,00«.');
  });
});
