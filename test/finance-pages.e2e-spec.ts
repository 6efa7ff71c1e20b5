import request from 'supertest';
import { JobQueue } from '../src/common/queue/job-queue';
import { binary } from './support/binary';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';
import { TEST_TODAY } from './support/test-env';

type Agent = ReturnType<typeof request.agent>;

function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)![1];
}

/** The text of the page's error box, tags removed. */
function alertOf(html: string): string {
  const match = /<div class="alert error[^"]*" role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(html);
  return match ? match[1].replace(/<\/?(ul|li)>/g, ' ').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim() : '';
}

/** The texts of a table row's cells. */
function cellsOf(rowHtml: string): string[] {
  return [...rowHtml.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim());
}

/**
 * The month-close and report pages over October 2026 (today is 2026-11-25), set up through the API:
 * - mentor: grant a (90 min./week, sickness benefit), 60 + 90 minutes approved at 450 kr./hour = 1,125.00 kr.;
 * - other: grant x (60 min./week, sickness benefit), 30 minutes approved = 225.00 kr.
 */
describe('month-close and report pages', () => {
  let t: TestApp;
  let mentor: SupplierWithGrants;
  let other: SupplierWithGrants;
  let financeUser: TestUser;
  let finance: Agent;
  let admin: Agent;
  let procurement: Agent;
  let caseworker: Agent;
  let mentorAgent: Agent;
  let otherAgent: Agent;

  async function signIn(user: TestUser): Promise<Agent> {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: user.email, password: user.password, next: '/' }).expect(303);
    return agent;
  }

  async function tokenFor(agent: Agent, path: string): Promise<string> {
    return csrfOf((await agent.get(path).expect(200)).text);
  }

  const approve = async (supplier: SupplierWithGrants, lines: Parameters<typeof invoiceBody>[0]) => {
    const invoice = await t.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody(lines)).expect(201);
    await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(financeUser.token)).send({}).expect(200);
  };

  /** Starts a run through the page's form and waits for its jobs; answers the run page's path. */
  const runThroughPage = async (month: string, kind: 'build' | 'finalise'): Promise<string> => {
    // Making a month final is confirmed on the page that lists what still waits (see the browser test).
    const confirmation = kind === 'finalise' ? { confirmed: 'yes', deferPending: 'yes' } : {};
    const started = await finance.post('/finance/billing').type('form').send({ _csrf: await tokenFor(finance, '/finance/billing'), month, kind, ...confirmation }).expect(303);
    expect(started.headers.location).toMatch(/^\/finance\/billing\/runs\/[0-9a-f-]{36}\?notice=started$/);
    await t.app.get(JobQueue).drain();
    return (started.headers.location as string).split('?')[0];
  };

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    financeUser = await makeUser(t, 'finance');
    mentor = await supplierWithGrants(t, { a: { minutesPerWeek: 90 } });
    other = await supplierWithGrants(t, { x: { minutesPerWeek: 60 } });
    await approve(mentor, [
      { grantReference: mentor.grants.a.reference, date: '2026-10-05', minutes: 60 },
      { grantReference: mentor.grants.a.reference, date: '2026-10-13', minutes: 90 },
    ]);
    await approve(other, [{ grantReference: other.grants.x.reference, date: '2026-10-14', minutes: 30 }]);
    finance = await signIn(financeUser);
    admin = await signIn(await makeUser(t, 'admin'));
    procurement = await signIn(await makeUser(t, 'procurement'));
    caseworker = await signIn(await makeUser(t, 'caseworker'));
    mentorAgent = await signIn(mentor.user);
    otherAgent = await signIn(other.user);
  });
  afterAll(() => t.close());

  it('lets each role reach only its pages', async () => {
    const finances = ['/finance/billing', '/finance/statements', '/finance/refund-claims', '/finance/budget', '/finance/spend'];
    const expectations: Array<[Agent, string, number]> = [
      ...finances.map((path): [Agent, string, number] => [finance, path, 200]),
      ...finances.map((path): [Agent, string, number] => [admin, path, 200]),
      ...finances.map((path): [Agent, string, number] => [mentorAgent, path, 403]),
      ...finances.map((path): [Agent, string, number] => [caseworker, path, 403]),
      [procurement, '/finance/billing', 403],
      [procurement, '/finance/refund-claims', 403],
      [procurement, '/finance/budget', 403],
      [procurement, '/finance/spend', 200],
      [procurement, '/procurement/performance', 200],
      [admin, '/procurement/performance', 200],
      [finance, '/procurement/performance', 200],
      [caseworker, '/procurement/performance', 403],
      [mentorAgent, '/procurement/performance', 403],
      [mentorAgent, '/supplier/statements', 200],
      [finance, '/supplier/statements', 403],
      [caseworker, '/supplier/statements', 403],
    ];
    for (const [agent, path, status] of expectations) {
      const response = await agent.get(path);
      expect([path, response.status]).toEqual([path, status]);
    }
    const anonymous = await request(t.app.getHttpServer()).get('/finance/billing').set('Accept', 'text/html').expect(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Ffinance%2Fbilling');
  });

  it('shows each role its navigation entries', async () => {
    const financeNav = (await finance.get('/').expect(200)).text;
    for (const [label, href] of [['Månedsafregning', '/finance/billing'], ['Afregningsoversigter', '/finance/statements'], ['Refusion', '/finance/refund-claims'], ['Budget', '/finance/budget'], ['Forbrug', '/finance/spend']]) {
      expect(financeNav).toContain(`<a href="${href}">${label}</a>`);
    }
    expect(financeNav).not.toContain('/supplier/statements');
    expect((await mentorAgent.get('/').expect(200)).text).toContain('<a href="/supplier/statements">Mine afregninger</a>');
    const procurementNav = (await procurement.get('/').expect(200)).text;
    expect(procurementNav).toContain('<a href="/procurement/performance">Leverandøropfølgning</a>');
    expect(procurementNav).not.toContain('/finance/billing');
    const current = (await finance.get('/finance/statements').expect(200)).text;
    expect(current).toContain('<a href="/finance/statements" aria-current="page">Afregningsoversigter</a>');
  });

  it('refuses a form without its CSRF token, and a run started by anyone but finance', async () => {
    const refused = await finance.post('/finance/billing').type('form').send({ month: '2026-10', kind: 'build' }).expect(403);
    expect(refused.text).toContain('Formularen er udløbet eller kom ikke fra portalen. Genindlæs siden, og prøv igen.');
    await admin.post('/finance/billing').type('form').send({ _csrf: await tokenFor(admin, '/finance/billing'), month: '2026-10' }).expect(403);
    expect((await admin.get('/finance/billing').expect(200)).text).not.toContain('action="/finance/billing"');
    const none = (await t.http.get('/api/v1/billing-runs').set(bearer(financeUser.token)).expect(200)).body as unknown[];
    expect(none).toEqual([]);
  });

  it('shows a bad month or year as a localized 4xx on the page', async () => {
    const badFilter = await finance.get('/finance/statements?month=2026-13').expect(422);
    expect(alertOf(badFilter.text)).toBe('Filteret kunne ikke bruges. Måned: skal være en måned på formen ÅÅÅÅ-MM, fx 2026-10.');
    const future = await finance.post('/finance/billing').type('form').send({ _csrf: await tokenFor(finance, '/finance/billing'), month: '2027-05', kind: 'build' }).expect(422);
    expect(alertOf(future.text)).toBe(`Månedsafregningen kunne ikke startes. Måned: ligger i fremtiden (i dag er ${TEST_TODAY}).`);
    expect(future.text).toContain('value="2027-05"');
    const unended = await finance.post('/finance/billing').type('form').send({ _csrf: await tokenFor(finance, '/finance/billing'), month: '2026-11', kind: 'finalise' }).expect(422);
    expect(alertOf(unended.text)).toContain('2026-11 er ikke slut endnu');
    const malformed = await finance.post('/finance/billing').type('form').send({ _csrf: await tokenFor(finance, '/finance/billing'), month: 'oktober', kind: 'build' }).expect(422);
    expect(alertOf(malformed.text)).toBe('Månedsafregningen kunne ikke startes. Måned: skal være en måned på formen ÅÅÅÅ-MM, fx 2026-10.');

    const badYear = await finance.get('/finance/budget?year=abc').expect(422);
    expect(alertOf(badYear.text)).toBe('Rapporten kunne ikke vises. År: skal være et årstal fra 2000 til 2100, fx 2026.');
    expect(badYear.text).not.toContain('<svg');
    await finance.get('/finance/spend?year=1999').expect(422);
    const english = await procurement.get('/procurement/performance?year=20266&lang=en').expect(422);
    expect(alertOf(english.text)).toBe('The report could not be shown. Year: must be a year from 2000 to 2100, e.g. 2026.');
    await procurement.get('/?lang=da').expect(200);
  });

  it('builds the month through the form, follows the run, makes it final and lists the statements with their PDFs', async () => {
    const runPath = await runThroughPage('2026-10', 'build');
    const runPage = await finance.get(`${runPath}?notice=started`).expect(200);
    expect(runPage.text).toContain('Kørslen er sat i gang.');
    expect(runPage.text).toContain('<progress id="run-progress" max="100" value="100" aria-describedby="run-progress-text">100 %</progress>');
    expect(runPage.text).toContain('2 af 2 leverandører færdige (100 %)');
    expect(runPage.text).toContain('Gennemført');
    // A finished run is not polled and not refreshed.
    expect(runPage.text).not.toContain('data-poll-url');
    expect(runPage.text).not.toContain('http-equiv="refresh"');
    expect(runPage.text).toContain('Gør 2026-10 endelig');
    // The progress script polls the API with the session cookie: a GET with the cookie is accepted.
    const runId = runPath.split('/').pop()!;
    const polled = await finance.get(`/api/v1/billing-runs/${runId}`).set('Accept', 'application/json').expect(200);
    expect(polled.body).toMatchObject({ id: runId, status: 'completed', percent: 100, statements: 2 });

    const drafts = (await finance.get('/finance/statements?month=2026-10').expect(200)).text;
    expect(drafts).toContain('Afregningsoversigter for 2026-10');
    expect(drafts.match(/<td class="statement-draft">Kladde<\/td>/g)).toHaveLength(2);
    // 150 minutes at 450 kr./hour: 1,125.00 kr. + 25 % VAT = 1,406.25 kr.
    expect(drafts).toContain('<td class="num">2:30</td>');
    expect(drafts).toContain('1.125,00 kr.');
    expect(drafts).toContain('1.406,25 kr.');

    const finalPath = await runThroughPage('2026-10', 'finalise');
    const finalPage = (await finance.get(finalPath).expect(200)).text;
    expect(finalPage).toContain('Endelige afregningsoversigter for 2026-10');
    expect(finalPage).not.toContain('Gør 2026-10 endelig');

    const finals = (await finance.get('/finance/statements?month=2026-10&status=final').expect(200)).text;
    const numbers = [...finals.matchAll(/<td class="nowrap">(AF-2026-\d{6})<\/td>/g)].map((m) => m[1]).sort();
    expect(numbers).toEqual(['AF-2026-000001', 'AF-2026-000002']);
    const pdfPath = /href="(\/api\/v1\/statements\/[0-9a-f-]{36}\.pdf)"/.exec(finals)![1];
    const pdf = await finance.get(pdfPath).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('shows a supplier its own statements only, never another’s', async () => {
    const own = await t.http.get('/api/v1/statements').set(bearer(mentor.user.token)).expect(200);
    const others = await t.http.get('/api/v1/statements').set(bearer(other.user.token)).expect(200);
    const [mine] = own.body as Array<{ id: string; number: string; supplierName: string }>;
    const [theirs] = others.body as Array<{ id: string; number: string; supplierName: string }>;
    const page = (await mentorAgent.get('/supplier/statements').expect(200)).text;
    expect(page).toContain(mine.number);
    expect(page).toContain(`/api/v1/statements/${mine.id}.pdf`);
    expect(page).not.toContain(theirs.number);
    expect(page).not.toContain(theirs.id);
    expect(page).not.toContain(theirs.supplierName);
    const filtered = (await otherAgent.get('/supplier/statements?month=2026-10').expect(200)).text;
    expect(filtered).toContain(theirs.number);
    expect(filtered).not.toContain(mine.number);
    await mentorAgent.get(`/api/v1/statements/${theirs.id}.pdf`).expect(404);
    const bad = await mentorAgent.get('/supplier/statements?month=10-2026').expect(422);
    expect(alertOf(bad.text)).toContain('Måned: skal være en måned på formen ÅÅÅÅ-MM');
  });

  it('saves a year’s budget and frame through its form', async () => {
    const listPage = (await finance.get('/finance/refund-claims').expect(200)).text;
    expect(listPage).toContain('action="/finance/budgets/2026"');
    expect(listPage).toContain('action="/finance/budgets/2027"');
    const wrong = await finance.post('/finance/budgets/2026').type('form').send({ _csrf: csrfOf(listPage), budget: '100 tusind', frame: '' }).expect(422);
    expect(alertOf(wrong.text)).toBe('Budgettet kunne ikke gemmes. Budget: skal være et beløb i kroner, fx 450 eller 450,50.');
    expect(wrong.text).toContain('value="100 tusind"');
    const outOfRange = await finance.post('/finance/budgets/1999').type('form').send({ _csrf: csrfOf(listPage), budget: '1' }).expect(422);
    expect(alertOf(outOfRange.text)).toBe('Budgettet kunne ikke gemmes. År: skal være et årstal fra 2000 til 2100.');
    const saved = await finance.post('/finance/budgets/2026').type('form').send({ _csrf: csrfOf(listPage), budget: '100.000', frame: '300', note: 'Vedtaget' }).expect(303);
    expect(saved.headers.location).toBe('/finance/refund-claims?notice=budget_saved#budget-2026');
    expect((await t.http.get('/api/v1/budgets').set(bearer(financeUser.token)).expect(200)).body).toEqual([expect.objectContaining({ year: 2026, budgetOre: 10_000_000, frameOre: 30_000, note: 'Vedtaget' })]);
    const after = (await finance.get('/finance/refund-claims?notice=budget_saved').expect(200)).text;
    expect(after).toContain('Budgettet er gemt.');
    expect(after).toContain('id="b-2026-budget" name="budget" inputmode="decimal" required value="100000"');
    expect(after).toContain('id="b-2026-frame" name="frame" inputmode="decimal" value="300"');
  });

  it('builds a refund claim, shows its lines by category in kroner, exports it and submits it once', async () => {
    const token = await tokenFor(finance, '/finance/refund-claims');
    const backwards = await finance.post('/finance/refund-claims').type('form').send({ _csrf: token, from: '2026-10-31', to: '2026-10-01' }).expect(422);
    expect(alertOf(backwards.text)).toBe('Refusionsanmodningen kunne ikke bygges. Til og med: Perioden slutter 2026-10-01, før den begynder 2026-10-31.');
    const requested = await finance.post('/finance/refund-claims').type('form').send({ _csrf: token, from: '2026-10-01', to: '2026-10-31' }).expect(303);
    expect(requested.headers.location).toMatch(/^\/finance\/refund-claims\/[0-9a-f-]{36}\?notice=requested$/);
    const claimPath = (requested.headers.location as string).split('?')[0];
    const claimId = claimPath.split('/').pop()!;
    await t.app.get(JobQueue).drain();

    const page = (await finance.get(claimPath).expect(200)).text;
    expect(page).toContain('Refusionsanmodning 2026-10-01 – 2026-10-31');
    expect(page).toContain('<dd id="claim-status" class="claim-draft">Kladde</dd>');
    // 1,350.00 kr. of expenses inside the frame at 50 % = 675.00 kr., capped by the 300 kr. frame.
    const lines = page.slice(page.indexOf('id="claim-lines"'));
    const rows = /<tbody>([\s\S]*?)<\/tbody>/.exec(lines)![1].split('</tr>').filter((row) => row.includes('<td'));
    expect(rows.map(cellsOf)).toEqual([['2026', 'Inden for rammen', '50 %', expect.any(String), '3', '1.350,00 kr.', '675,00 kr.', '375,00 kr.', '300,00 kr.']]);
    expect(page).toContain('<dd id="claim-claimed">300,00 kr.</dd>');
    for (const href of [`/api/v1/refund-claims/${claimId}/export.csv`, `/api/v1/refund-claims/${claimId}/export.xlsx`, `/api/v1/refund-claims/${claimId}.pdf`]) expect(page).toContain(`href="${href}"`);
    const csv = await finance.get(`/api/v1/refund-claims/${claimId}/export.csv?format=raw`).expect(200);
    expect(csv.text.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe('year;category;rate_percent;account_code;expenses;expense_ore;refund_ore;capped_off_ore;claimed_ore;claimed_kr');

    // Submitting asks first, with the total and what is left of the frame after the claim.
    const confirmation = (await finance.post(`${claimPath}/submit`).type('form').send({ _csrf: csrfOf(page) }).expect(200)).text;
    expect(confirmation).toContain('<dd id="confirm-claimed">300,00 kr.</dd>');
    expect(confirmation).toMatch(/<td class="num nowrap" id="frame-left-2026">[\d.]+,\d\d kr\.<\/td>/);
    expect(confirmation).toContain('Ja, indsend anmodningen om 300,00 kr.');
    const submitted = await finance.post(`${claimPath}/submit`).type('form').send({ _csrf: csrfOf(confirmation), confirmed: 'yes' }).expect(303);
    expect(submitted.headers.location).toBe(`${claimPath}?notice=submitted`);
    const frozen = (await finance.get(submitted.headers.location as string).expect(200)).text;
    expect(frozen).toContain('Refusionsanmodningen er indsendt og låst.');
    expect(frozen).not.toContain(`action="${claimPath}/submit"`);
    const again = await finance.post(`${claimPath}/submit`).type('form').send({ _csrf: csrfOf(frozen) }).expect(409);
    expect(alertOf(again.text)).toBe('Refusionsanmodningen kunne ikke indsendes. Status: Refusionsanmodningen er »Indsendt« og kan ikke blive »Indsendt«; en indsendt eller fejlet anmodning ændres aldrig – bed om en ny.');
  });

  it('draws the budget month by month on the server, with the numbers in a table beside it', async () => {
    const page = (await finance.get('/finance/budget?year=2026').expect(200)).text;
    expect(page).toContain('<h1>Budgetopfølgning 2026</h1>');
    expect(page).toContain('<dd id="budget-amount">100.000,00 kr.</dd>');
    expect(page).toContain('<dd id="budget-spent">1.350,00 kr.</dd>');
    expect(page).toContain('role="img" aria-labelledby="budget-chart-title" aria-describedby="budget-chart-desc"');
    expect(page).toContain('<title id="budget-chart-title">Forbrug og prognose mod budget, 2026</title>');
    expect(page).toMatch(/<desc id="budget-chart-desc">Løbende totaler måned for måned mod et budget på 100\.000,00 kr\.: forbrugt i alt 1\.350,00 kr\., prognose for året [\d.]+,\d\d kr\. – tallene står i tabellen ved siden af\.<\/desc>/);
    expect(page).toContain('<line class="chart-budget"');
    expect(page.match(/<text class="chart-month"/g)).toHaveLength(12);
    // October's row: 1,350.00 kr. spent in the month and so far.
    expect(page).toMatch(/<th scope="row">okt<\/th>\s*<td class="num nowrap">1\.350,00 kr\.<\/td>\s*<td class="num nowrap">[^<]+<\/td>\s*<td class="num nowrap">1\.350,00 kr\.<\/td>/);
    expect(page).toContain('href="/api/v1/reports/budget.csv?year=2026"');
    expect(page).toContain('href="/api/v1/reports/budget.xlsx?year=2026"');
    expect(page).toContain('<a href="/finance/budget?year=2025">Forrige år (2025)</a>');
    // No inline style or script: the CSP allows neither.
    expect(page).not.toMatch(/ style="|<style|<script(?! src=)/);
  });

  it('shows the spend report and supplier performance as tables with their exports', async () => {
    const statements = (await t.http.get('/api/v1/statements').set(bearer(financeUser.token)).expect(200)).body as Array<{ supplierId: string; supplierName: string }>;
    const nameOf = (supplier: SupplierWithGrants) => statements.find((s) => s.supplierId === supplier.supplierId)!.supplierName;
    const [mentorName, otherName] = [nameOf(mentor), nameOf(other)];
    const spend = (await finance.get('/finance/spend?year=2026').expect(200)).text;
    expect(spend).toMatch(/<th scope="row">Fastholdelsesmentor<\/th><td class="num nowrap">1\.350,00 kr\.<\/td><td class="num">2<\/td><td class="num nowrap">675,00 kr\.<\/td>/);
    expect(spend).toContain(`<th scope="row">${mentorName}</th><td>Mentorleverandør</td><td class="num nowrap">1.125,00 kr.</td><td class="num">1</td><td class="num nowrap">1.125,00 kr.</td>`);
    expect(spend).toContain(`<th scope="row">${otherName}</th><td>Mentorleverandør</td><td class="num nowrap">225,00 kr.</td>`);
    expect(spend).toContain('href="/api/v1/reports/spend.csv?year=2026"');

    const performance = (await procurement.get('/procurement/performance?year=2026').expect(200)).text;
    expect(performance).toContain('Leverandøropfølgning 2026');
    expect(performance).toContain(`Målt 2026-01-01 – ${TEST_TODAY}`);
    const mentorRow = performance.slice(performance.indexOf(`<th scope="row">${mentorName}`)).split('</tr>')[0].trim();
    // Delivered 150 minutes = 2:30 hours; one invoice without findings.
    expect(mentorRow).toContain('<td class="num">2:30</td>');
    expect(mentorRow).toMatch(/<td class="num">1<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">0,00<\/td>$/);
    expect(performance).toContain('href="/api/v1/reports/supplier-performance.xlsx?year=2026"');
  });
});
