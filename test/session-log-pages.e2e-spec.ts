import request from 'supertest';
import { supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp } from './support/test-app';

type Agent = ReturnType<typeof request.agent>;

const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1];
const invoiceIdOf = (location: string): string => /\/invoices\/([0-9a-f-]{36})/.exec(location)![1];
const sessionRows = (html: string): string[] => Array.from(html.matchAll(/<tr(?: class="open")?>\s*<td class="nowrap">([\s\S]*?)<\/tr>/g), (m) => m[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());

/** The invoice form's line rows (lines.N.grantId …), five of them, blank where no line is given. */
function lineFields(lines: Array<{ grantId: string; date: string; periodTo?: string; minutes: string; rateKr: string }>): Record<string, string> {
  const fields: Record<string, string> = { rows: '5' };
  for (let row = 1; row <= 5; row++) {
    const line = lines[row - 1];
    fields[`lines.${row}.grantId`] = line?.grantId ?? '';
    fields[`lines.${row}.date`] = line?.date ?? '';
    fields[`lines.${row}.periodTo`] = line?.periodTo ?? '';
    fields[`lines.${row}.minutes`] = line?.minutes ?? '';
    fields[`lines.${row}.contactForm`] = 'in_person';
    fields[`lines.${row}.rateKr`] = line?.rateKr ?? '';
  }
  return fields;
}

describe('the session log on the pages: the invoice form over a period, and the grant’s log for staff', () => {
  let t: TestApp;
  let mentor: SupplierWithGrants;
  let other: SupplierWithGrants;
  let supplier: Agent;
  let otherSupplier: Agent;
  let caseworker: Agent;
  let finance: Agent;
  let invoiceId: string;

  async function signIn(user: { email: string; password: string }): Promise<Agent> {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: user.email, password: user.password, next: '/' }).expect(303);
    return agent;
  }
  const submitForm = async (fields: Record<string, string>, status: number) =>
    supplier.post('/supplier/invoices/new').type('form').send({ _csrf: csrfOf((await supplier.get('/supplier/invoices/new').expect(200)).text), ...fields }).expect(status);

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    mentor = await supplierWithGrants(t, { month: { minutesPerWeek: 60 }, empty: { minutesPerWeek: 60 } });
    other = await supplierWithGrants(t, { x: {} });
    [supplier, otherSupplier, caseworker, finance] = await Promise.all([signIn(mentor.user), signIn(other.user), makeUser(t, 'caseworker').then(signIn), makeUser(t, 'finance').then(signIn)]);
    // Three sessions of an hour in November, in three ISO weeks; the test's today is 2026-11-25.
    for (const date of ['2026-11-03', '2026-11-10', '2026-11-17']) {
      await t.http.post('/api/v1/sessions').set(bearer(mentor.user.token)).send({ grantId: mentor.grants.month.id, date, minutes: 60, contactForm: 'in_person', withWhom: 'citizen' }).expect(201);
    }
  });
  afterAll(() => t.close());

  it('offers a "to" day per line on the invoice form, Danish and English', async () => {
    const page = await supplier.get('/supplier/invoices/new').expect(200);
    expect(page.text).toContain('<th scope="col">Til og med (valgfri)</th>');
    expect(page.text).toContain('<input id="l1-period-to" name="lines.1.periodTo" type="date" value="" aria-describedby="period-to-hint">');
    expect(page.text).toContain('holdes så op mod de sessioner, der er registreret i sessionsloggen');
    const english = await supplier.get('/supplier/invoices/new?lang=en').expect(200);
    expect(english.text).toContain('<th scope="col">To (optional)</th>');
    // The choice of language sticks; the rest of the test reads Danish.
    await supplier.get('/supplier/invoices/new?lang=da').expect(200);
  });

  it('refuses a "to" day before the line’s date beside the line, keeps what was typed, and stores nothing', async () => {
    const before = Number(((await t.dataSource.query(`SELECT count(*) AS n FROM invoice`)) as Array<{ n: string }>)[0].n);
    const refused = await submitForm({ invoiceNumber: 'NOV-BAD', issueDate: '2026-11-25', ...lineFields([{ grantId: mentor.grants.month.id, date: '2026-11-10', periodTo: '2026-11-09', minutes: '60', rateKr: '450' }]) }, 422);
    expect(refused.text).toContain('Linje 1 · Til og med');
    expect(refused.text).toContain('skal være samme dag som datoen eller senere');
    expect(refused.text).toContain('name="lines.1.periodTo" type="date" value="2026-11-09"');
    expect(Number(((await t.dataSource.query(`SELECT count(*) AS n FROM invoice`)) as Array<{ n: string }>)[0].n)).toBe(before);
  });

  it('lets a form line cover a period of logged sessions instead of retyping them: the lines come from the log', async () => {
    const created = await submitForm({ invoiceNumber: 'NOV-FORM', issueDate: '2026-11-25', ...lineFields([{ grantId: mentor.grants.month.id, date: '2026-11-01', periodTo: '2026-11-10', minutes: '120', rateKr: '450' }]) }, 303);
    invoiceId = invoiceIdOf(created.headers.location as string);
    const invoice = await t.http.get(`/api/v1/invoices/${invoiceId}`).set(bearer(mentor.user.token)).expect(200);
    const lines = invoice.body.lines as Array<{ date: string; minutes: number; approvableOre: number; findings: unknown[] }>;
    expect(lines.map((line) => [line.date, line.minutes, line.approvableOre])).toEqual([
      ['2026-11-03', 60, 45_000],
      ['2026-11-10', 60, 45_000],
    ]);
    expect(lines.flatMap((line) => line.findings)).toEqual([]);
    expect(invoice.body).toMatchObject({ invoiceNumber: 'NOV-FORM', netOre: 90_000, approvableOre: 90_000 });

    // Without a "to" day the form's line is one session, as before.
    const single = await submitForm({ invoiceNumber: 'NOV-ONE', issueDate: '2026-11-25', ...lineFields([{ grantId: mentor.grants.empty.id, date: '2026-11-04', minutes: '45', rateKr: '450' }]) }, 303);
    const one = await t.http.get(`/api/v1/invoices/${invoiceIdOf(single.headers.location as string)}`).set(bearer(mentor.user.token)).expect(200);
    expect((one.body.lines as Array<{ date: string; minutes: number }>).map((l) => [l.date, l.minutes])).toEqual([['2026-11-04', 45]]);
  });

  it('shows staff the grant’s logged sessions, the invoice that covers each and what is not invoiced, with no CPR', async () => {
    const grantPage = await caseworker.get(`/grants/${mentor.grants.month.id}`).expect(200);
    expect(grantPage.text).toContain(`<a href="/grants/${mentor.grants.month.id}/sessions" id="grant-sessions">Sessionslog: registrerede sessioner og hvad der er faktureret</a>`);

    const page = await caseworker.get(`/grants/${mentor.grants.month.id}/sessions`).expect(200);
    expect(page.text).toContain(`<h1>Sessionslog for bevilling ${mentor.grants.month.reference}</h1>`);
    expect(page.text).toContain('180 minutter registreret, heraf 60 minutter i 1 sessioner, der ikke er faktureret.');
    expect(sessionRows(page.text)).toEqual([
      '2026-11-03 60 Fremmøde Borger Faktureret NOV-FORM',
      '2026-11-10 60 Fremmøde Borger Faktureret NOV-FORM',
      '2026-11-17 60 Fremmøde Borger Ikke faktureret',
    ]);
    // The caseworker sees the invoice's number; the invoice's page is finance's.
    expect(page.text).not.toContain(`/finance/invoices/${invoiceId}`);
    expect(page.text).not.toMatch(/\b\d{6}-?\d{4}\b/);

    const financePage = await finance.get(`/grants/${mentor.grants.month.id}/sessions?lang=en`).expect(200);
    expect(financePage.text).toContain(`<h1>Session log of grant ${mentor.grants.month.reference}</h1>`);
    expect(financePage.text).toContain(`<a href="/finance/invoices/${invoiceId}">NOV-FORM</a>`);
    expect(financePage.text).toContain('180 minutes logged, of which 60 minutes in 1 sessions not invoiced.');
    await finance.get(`/grants/${mentor.grants.month.id}/sessions?lang=da`).expect(200);

    const empty = await caseworker.get(`/grants/${mentor.grants.empty.id}/sessions`).expect(200);
    expect(empty.text).toContain('Leverandøren har ikke registreret sessioner på bevillingen.');
  });

  it('answers 404 to a supplier, its own grant or another’s, and for a grant that does not exist', async () => {
    await supplier.get(`/grants/${mentor.grants.month.id}/sessions`).set('Accept', 'text/html').expect(404);
    await otherSupplier.get(`/grants/${mentor.grants.month.id}/sessions`).set('Accept', 'text/html').expect(404);
    await caseworker.get('/grants/00000000-0000-4000-8000-000000000000/sessions').set('Accept', 'text/html').expect(404);
    await request(t.app.getHttpServer()).get(`/grants/${mentor.grants.month.id}/sessions`).set('Accept', 'text/html').expect(303);
  });

  it('names the covering invoice in the API’s session list too', async () => {
    const log = await t.http.get('/api/v1/sessions').query({ grantId: mentor.grants.month.id }).set(bearer(mentor.user.token)).expect(200);
    expect((log.body.items as Array<{ date: string; invoiceNumber: string | null }>).map((s) => [s.date, s.invoiceNumber])).toEqual([
      ['2026-11-03', 'NOV-FORM'],
      ['2026-11-10', 'NOV-FORM'],
      ['2026-11-17', null],
    ]);
  });
});
