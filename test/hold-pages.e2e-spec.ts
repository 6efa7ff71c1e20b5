import request from 'supertest';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

type Agent = ReturnType<typeof request.agent>;

const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];

describe('hold and dispute pages', () => {
  let t: TestApp;
  let mentor: SupplierWithGrants;
  let other: SupplierWithGrants;
  let financeUser: TestUser;
  let finance: Agent;
  let admin: Agent;
  let supplier: Agent;
  let otherSupplier: Agent;

  async function signIn(user: { email: string; password: string }): Promise<Agent> {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: user.email, password: user.password, next: '/' }).expect(303);
    return agent;
  }

  /** An invoice of 150 minutes in one week of a 60-minute grant: line 1 has a finding. */
  async function invoiceWithFinding(number: string): Promise<string> {
    const body = invoiceBody([{ grantReference: mentor.grants.a.reference, date: '2026-10-06', minutes: 150 }], { invoiceNumber: number });
    return (await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).send(body).expect(201)).body.id as string;
  }

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    mentor = await supplierWithGrants(t, { a: { minutesPerWeek: 60 } });
    other = await supplierWithGrants(t, { x: {} });
    financeUser = await makeUser(t, 'finance');
    [finance, admin, supplier, otherSupplier] = await Promise.all([signIn(financeUser), makeUser(t, 'admin').then(signIn), signIn(mentor.user), signIn(other.user)]);
  });
  afterAll(() => t.close());

  it('offers finance the hold form in English, confirms before holding, and holds nothing on a refused date', async () => {
    const id = await invoiceWithFinding('HOLD-EN-1');
    const page = await finance.get(`/finance/invoices/${id}?lang=en`).expect(200);
    expect(page.text).toContain('<h2 id="thread-heading">Hold and disputes</h2>');
    expect(page.text).toContain(`action="/finance/invoices/${id}/hold"`);
    const _csrf = csrfOf(page.text);

    const refused = await finance.post(`/finance/invoices/${id}/hold?lang=en`).type('form').send({ _csrf, reason: 'Waiting for the minutes', releaseOn: '2026-11-25' }).expect(422);
    expect(refused.text).toContain('aria-invalid="true"');
    expect(refused.text).toContain('<p class="field-error" id="h-release-error">The release date 2026-11-25 must lie after today (2026-11-25).</p>');
    const empty = await finance.post(`/finance/invoices/${id}/hold?lang=en`).type('form').send({ _csrf, reason: '', releaseOn: '2026-12-01' }).expect(422);
    expect(empty.text).toMatch(/<textarea id="h-reason"[^>]*aria-describedby="h-reason-hint h-reason-error" aria-invalid="true"/);

    const confirm = await finance.post(`/finance/invoices/${id}/hold?lang=en`).type('form').send({ _csrf, reason: 'Waiting for the minutes', releaseOn: '2026-12-01' }).expect(200);
    expect(confirm.text).toContain('<h1>Confirm holding invoice HOLD-EN-1</h1>');
    expect(confirm.text).toContain('The invoice is neither approved nor put on any statement while it is on hold.');
    expect(confirm.text).toContain('<input type="hidden" name="confirmed" value="yes">');
    // Not an e-invoice: no business response is promised.
    expect(confirm.text).not.toContain('business response');
    expect((await t.http.get(`/api/v1/invoices/${id}`).set(bearer(financeUser.token)).expect(200)).body.status).toBe('validated');

    await finance.post(`/finance/invoices/${id}/hold`).type('form').send({ _csrf, reason: 'Waiting for the minutes', releaseOn: '2026-12-01', confirmed: 'yes' }).expect(303).expect('Location', `/finance/invoices/${id}?notice=held`);
    const held = await finance.get(`/finance/invoices/${id}?lang=en`).expect(200);
    expect(held.text).toContain('<strong class="status status-held" id="invoice-status">On hold</strong>');
    expect(held.text).toContain('<dd id="hold-release-on">2026-12-01</dd>');
    expect(held.text).toContain('Release the invoice now');
    // A second hold is refused with the states named.
    const twice = await finance.post(`/finance/invoices/${id}/hold?lang=en`).type('form').send({ _csrf, reason: 'Again', releaseOn: '2026-12-02', confirmed: 'yes' }).expect(409);
    expect(twice.text).toContain('The invoice is “On hold” and cannot become “On hold”');
    await finance.get('/?lang=da').expect(200);
  });

  it('shows admin the hold and the thread but no forms, and keeps another supplier out', async () => {
    const id = await invoiceWithFinding('HOLD-ADMIN-1');
    await t.http.post(`/api/v1/invoices/${id}/hold`).set(bearer(financeUser.token)).send({ reason: 'Afventer referat', releaseOn: '2026-12-10' }).expect(200);
    const page = await admin.get(`/finance/invoices/${id}`).expect(200);
    expect(page.text).toContain('<dd class="pre" id="hold-reason">Afventer referat</dd>');
    expect(page.text).not.toContain('Frigiv fakturaen nu');
    expect(page.text).not.toContain(`/finance/invoices/${id}/hold"`);
    const _csrf = csrfOf(page.text);
    await admin.post(`/finance/invoices/${id}/release`).type('form').set('Accept', 'text/html').send({ _csrf }).expect(403);

    const inbox = await finance.get('/finance/invoices').expect(200);
    expect(inbox.text).toContain('<h2 id="inbox-held">Tilbageholdte</h2>');
    expect(inbox.text).toContain('HOLD-ADMIN-1');

    const own = await supplier.get(`/supplier/invoices/${id}`).expect(200);
    expect(own.text).toContain('<dd id="hold-release-on">2026-12-10</dd>');
    expect(own.text).toContain(`action="/supplier/invoices/${id}/lines/1/answer"`);
    const otherCsrf = csrfOf((await otherSupplier.get('/supplier/invoices').expect(200)).text);
    await otherSupplier.get(`/supplier/invoices/${id}`).set('Accept', 'text/html').expect(404);
    await otherSupplier.post(`/supplier/invoices/${id}/lines/1/answer`).type('form').set('Accept', 'text/html').send({ _csrf: otherCsrf, answer: 'accept', confirmed: 'yes' }).expect(404);
    expect((await t.http.get(`/api/v1/invoices/${id}/thread`).set(bearer(financeUser.token)).expect(200)).body.lines).toEqual([]);
  });

  it('records the supplier’s acceptance only after its confirmation', async () => {
    const id = await invoiceWithFinding('ACCEPT-1');
    const _csrf = csrfOf((await supplier.get(`/supplier/invoices/${id}`).expect(200)).text);
    const confirm = await supplier.post(`/supplier/invoices/${id}/lines/1/answer`).type('form').send({ _csrf, answer: 'accept' }).expect(200);
    expect(confirm.text).toContain('Du accepterer afvigelserne på linje 1. Det kan ikke ændres bagefter.');
    expect((await t.http.get(`/api/v1/invoices/${id}/thread`).set(bearer(financeUser.token)).expect(200)).body.lines).toEqual([]);
    await supplier.post(`/supplier/invoices/${id}/lines/1/answer`).type('form').send({ _csrf, answer: 'accept', confirmed: 'yes' }).expect(303);
    expect((await t.http.get(`/api/v1/invoices/${id}/thread`).set(bearer(financeUser.token)).expect(200)).body.lines).toEqual([{ lineNo: 1, status: 'accepted', resolution: null }]);
    const page = await supplier.get(`/supplier/invoices/${id}`).expect(200);
    expect(page.text).toContain('<span class="answer-state" id="thread-line-1-state">Accepteret</span>');
    expect(page.text).not.toContain(`action="/supplier/invoices/${id}/lines/1/answer"`);
    // Answered once: a second answer is refused on the page with the reason.
    const again = await supplier.post(`/supplier/invoices/${id}/lines/1/answer`).type('form').send({ _csrf, answer: 'dispute', comment: 'Alligevel ikke', confirmed: 'yes' }).expect(409);
    expect(again.text).toContain('Linje 1 er allerede besvaret.');
  });

  it('lists the outbox for finance and admin only, linked from their navigation', async () => {
    const outbox = await finance.get('/finance/business-responses').expect(200);
    expect(outbox.text).toContain('href="/finance/business-responses" aria-current="page">Forretningssvar</a>');
    expect((await admin.get('/finance/business-responses?lang=en').expect(200)).text).toContain('<h1>Business responses to send</h1>');
    await supplier.get('/finance/business-responses').set('Accept', 'text/html').expect(403);
    expect((await supplier.get('/supplier/invoices').expect(200)).text).not.toContain('/finance/business-responses');
  });
});
