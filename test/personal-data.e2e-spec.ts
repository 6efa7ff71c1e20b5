import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { JobQueue } from '../src/common/queue/job-queue';
import { binary } from './support/binary';
import { invoiceBody } from './support/invoice-fixtures';
import { buildPortalWorld, type CitizenSeed, type PortalWorld } from './support/portal-world';
import { appRoutes, concretePath, type AppRoute } from './support/routes';
import { bearer, startTestApp, type TestApp, type TestUser } from './support/test-app';

/** Four fictitious citizens; one CPR number is sent without its hyphen. */
const CITIZENS: [CitizenSeed, CitizenSeed, CitizenSeed, CitizenSeed] = [
  { cpr: '070382-1234', name: 'Karen Ølby Testesen' },
  { cpr: '2112951987', name: 'Jens Åkjær Prøvesen' },
  { cpr: '300699-4321', name: 'Birgitte Eksempel Holm' },
  { cpr: '151064-2468', name: 'Anders Fiktiv Mogensen' },
];
const digitsOf = (cpr: string) => cpr.replace('-', '');
/** Each seeded number in both forms, DDMMYY-SSSS and DDMMYYSSSS. */
const SEEDED_CPR = CITIZENS.flatMap(({ cpr }) => [digitsOf(cpr), `${digitsOf(cpr).slice(0, 6)}-${digitsOf(cpr).slice(6)}`]);
const MASKED_CPR = CITIZENS.map(({ cpr }) => `${digitsOf(cpr).slice(0, 6)}-XXXX`);
const NAMES = CITIZENS.map(({ name }) => name);
/** Ten digits as people type a CPR number: in pairs or not, with blanks, dots, hyphens, dashes or a plus before the last four. */
const CPR_PATTERN = /\b\d{2}[. ]?\d{2}[. ]?\d{2}[\s.\-–—+]{0,3}\d{4}\b/g;
/** The first citizen's number as a caseworker or a supplier might type it into a free text. */
const TYPED_CPR = ['070382-1234', '0703821234', '070382 1234', '07.03.82-1234', '070382–1234', '070382  1234'];

type Agent = ReturnType<typeof request.agent>;

/** What one caller saw at one address, as text (PDFs through pdftotext, workbooks unzipped). */
interface Seen {
  at: string;
  status: number;
  contentType: string;
  text: string;
}

/** The CPR-shaped matches in a text, and the seeded values and names it holds. */
function personalDataIn(text: string, options: { names: boolean; masked: boolean }): string[] {
  const found = [...(text.match(CPR_PATTERN) ?? [])].map((match) => `CPR-shaped ${match}`);
  for (const cpr of SEEDED_CPR) if (text.includes(cpr)) found.push(`seeded CPR ${cpr}`);
  if (options.masked) for (const masked of MASKED_CPR) if (text.includes(masked)) found.push(`masked CPR ${masked}`);
  if (options.names) for (const name of NAMES) if (text.includes(name)) found.push(`citizen name ${name}`);
  return [...new Set(found)];
}

/**
 * The form token of a page is random base64url: a run like `-123456-7890-` inside it would
 * match the CPR pattern by chance, so its value is taken out before a page is read.
 */
const withoutFormTokens = (html: string) => html.replace(/(name="_csrf"\s+value=")[^"]*"/g, '$1"');

describe('personal data: no CPR number where a supplier can see it, or in a log line', () => {
  let t: TestApp;
  let world: PortalWorld;
  let workDir: string;
  const written: string[] = [];
  const originalWrite = process.stdout.write.bind(process.stdout);
  let routes: AppRoute[];

  /** Reads any answer as text: PDF through pdftotext, XLSX as its XML parts, the rest as UTF-8. */
  function textOf(body: Buffer, contentType: string): string {
    if (contentType.startsWith('application/pdf')) {
      const file = join(workDir, 'answer.pdf');
      writeFileSync(file, body);
      return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    }
    if (contentType.startsWith('application/vnd.openxmlformats')) {
      const file = join(workDir, 'answer.xlsx');
      writeFileSync(file, body);
      return execFileSync('unzip', ['-p', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    }
    const text = body.toString('utf8');
    return contentType.startsWith('text/html') ? withoutFormTokens(text) : text;
  }

  async function see(pending: request.Test, at: string): Promise<Seen> {
    const response = await pending.buffer(true).parse(binary);
    const contentType = String(response.headers['content-type'] ?? '');
    return { at, status: response.status, contentType, text: textOf(response.body as Buffer, contentType) };
  }

  async function signIn(user: TestUser): Promise<Agent> {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    await agent.post('/login').type('form').send({ _csrf: csrf, email: user.email, password: user.password, next: '/' }).expect(303);
    return agent;
  }

  /** Fills `:param` from the records of the caller's view, by the segment before it; an unknown one gets a placeholder (and answers 404). */
  function fill(path: string, ids: Record<string, string>): string {
    return path.replace(/:(\w+)/g, (whole, name: string, offset: number) => ids[`${path.slice(0, offset).split('/').filter(Boolean).at(-1)}/:${name}`] ?? concretePath(whole));
  }

  const apiGets = () => routes.filter((route) => route.method === 'GET' && route.path.startsWith('/api/v1/'));
  const pageGets = () =>
    routes.filter((route) => route.method === 'GET' && !route.path.startsWith('/api/') && !route.path.startsWith('/static') && !route.path.includes('*') && route.path !== '/health');

  /** GETs every API route (bearer) and every page (cookie session) with the ids of one caller's records. */
  async function sweep(user: TestUser, ids: Record<string, string>, extraPages: string[] = []): Promise<Seen[]> {
    const seen: Seen[] = [];
    for (const route of apiGets()) {
      const path = fill(route.path, ids);
      const query = route.path.startsWith('/api/v1/reports/') ? { year: '2026' } : {};
      seen.push(await see(t.http.get(path).query(query).set(bearer(user.token)), `GET ${path}`));
    }
    const agent = await signIn(user);
    for (const path of [...pageGets().map((route) => fill(route.path, ids)), ...extraPages]) {
      seen.push(await see(agent.get(path).set('Accept', 'text/html'), `page ${path}`));
    }
    return seen;
  }

  const problemsIn = (seen: Seen[], options: { names: boolean; masked: boolean }) =>
    seen.flatMap((s) => personalDataIn(s.text, options).map((found) => `${s.at} (${s.status}): ${found}`));
  const serverErrors = (seen: Seen[]) => seen.filter((s) => s.status >= 500).map((s) => `${s.at}: ${s.status} ${s.text.slice(0, 200)}`);
  const answered = (seen: Seen[]) => seen.filter((s) => s.status === 200).map((s) => s.at);

  /** Every answer the supplier users, and staff, got to the calls that made and used the world. */
  const supplierAnswers: Seen[] = [];
  const staffAnswers: Seen[] = [];
  let ownerIds: Record<string, string>;
  let partnerIds: Record<string, string>;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'personal-data-e2e-'));
    process.stdout.write = ((chunk: string | Uint8Array) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof process.stdout.write;
    t = await startTestApp({ redis: false, env: { LOG_LEVEL: 'debug' } });
    world = await buildPortalWorld(t, CITIZENS);
    const { caseworker, finance } = world.staff;
    const owner = world.owner.user;

    // What a supplier does and sees in reply: an invoice that finance rejects, a CSV invoice with a line on the other supplier's grant.
    const rejected = await see(
      t.http.post('/api/v1/invoices').set(bearer(owner.token)).send(invoiceBody([{ grantReference: world.owner.grants.second.reference, date: '2026-11-09', minutes: 30 }])),
      'POST /api/v1/invoices',
    );
    supplierAnswers.push(rejected);
    await t.http.post(`/api/v1/invoices/${JSON.parse(rejected.text).id}/reject`).set(bearer(finance.token)).send({ reason: 'Timerne i uge 46 er ikke dokumenteret' }).expect(200);
    const csv = ['bevilling;dato;minutter;timepris', `${world.owner.grants.main.reference};2026-11-10;60;450,00`, `${world.other.grants.main.reference};2026-11-11;30;450,00`].join('\n');
    supplierAnswers.push(
      await see(t.http.post('/api/v1/invoices').query({ invoiceNumber: 'CSV-2026-11', issueDate: '2026-11-20' }).set(bearer(owner.token)).set('Content-Type', 'text/csv').send(csv), 'POST /api/v1/invoices (CSV)'),
    );
    supplierAnswers.push(
      await see(
        t.http.post('/api/v1/hour-registrations').set(bearer(world.partner.user.token)).send({ grantId: world.partner.grants.main.id, date: '2026-11-12', minutes: 45, contactForm: 'video' }),
        'POST /api/v1/hour-registrations',
      ),
    );
    // Staff look citizens up by CPR number in both forms, register one twice, mistype one and put one in a path: URLs and errors pass the logger.
    for (const cpr of SEEDED_CPR.slice(0, 2)) staffAnswers.push(await see(t.http.get('/api/v1/citizens').query({ cpr }).set(bearer(caseworker.token)), 'GET /api/v1/citizens?cpr='));
    const again = { cpr: CITIZENS[0].cpr, name: 'Dobbelt', caseNumber: 'J-DUP', targetGroup: 'sickness_benefit' };
    staffAnswers.push(await see(t.http.post('/api/v1/citizens').set(bearer(caseworker.token)).send(again), 'POST /api/v1/citizens (twice)'));
    // 32 January: not a date, so not a CPR number.
    staffAnswers.push(await see(t.http.post('/api/v1/citizens').set(bearer(caseworker.token)).send({ ...again, cpr: '320182-1234' }), 'POST /api/v1/citizens (mistyped)'));
    staffAnswers.push(await see(t.http.get(`/api/v1/citizens/${digitsOf(CITIZENS[0].cpr)}`).set(bearer(caseworker.token)), 'GET /api/v1/citizens/:cpr'));
    expect(staffAnswers.map((s) => s.status)).toEqual([200, 200, 409, 422, 400]);
    // A caseworker types the citizen's number, in each typed form, into the texts the supplier sees: refused, nothing echoed.
    const grantTerms = { citizenId: world.owner.grants.main.citizenId, agreementId: world.owner.agreementId, mentorType: 'retention', serviceLevel: 1, minutesPerWeek: 60, start: '2026-09-01', end: '2027-02-28' };
    const texts = { goal: 'Fastholdelse i job', tasks: 'Samtaler', mentorName: 'Mette Mentor', mentorPhone: '12345678' };
    const refusedGrants: Seen[] = [];
    for (const [index, cpr] of TYPED_CPR.entries()) {
      const field = (['goal', 'tasks', 'mentorName', 'mentorPhone'] as const)[index % 4];
      refusedGrants.push(await see(t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send({ ...grantTerms, ...texts, [field]: `${texts[field]} ${cpr}` }), `POST /api/v1/grants (${field})`));
    }
    expect(refusedGrants.map((s) => [s.status, JSON.parse(s.text).details[0].rule])).toEqual(TYPED_CPR.map(() => [422, 'cpr_in_text']));
    staffAnswers.push(...refusedGrants);
    supplierAnswers.push(
      await see(
        t.http
          .post(`/api/v1/grants/${world.owner.grants.second.id}/progress-reports`)
          .set(bearer(owner.token))
          .send({ dueDate: world.followUpDate, progress: `Borger ${TYPED_CPR[3]} er i gang`, hoursUsedFor: `Møder med ${CITIZENS[1].name}`, deliverySummary: 'Fire møder' }),
        'POST /api/v1/grants/:id/progress-reports (CPR and name)',
      ),
    );
    expect(JSON.parse(supplierAnswers.at(-1)!.text).details.map((d: { field: string; rule: string }) => `${d.field} ${d.rule}`)).toEqual(['progress cpr_in_text', 'hoursUsedFor citizen_name_in_text']);
    // Texts stored before the check at input: the owner's main grant and its progress report hold the number in every typed form and the name.
    const old = (text: string) => `${text} ${TYPED_CPR.join(', ')}; ${CITIZENS[0].name}`;
    await t.dataSource.query(
      `UPDATE mentor_grant SET goal = $2, tasks = $3, mentor_name = $4, mentor_phone = $5, mentor_email = $6, complaint_guidance = $7 WHERE id = $1`,
      [world.owner.grants.main.id, old('Mål'), old('Opgaver'), `Mette ${TYPED_CPR[0]}`, TYPED_CPR[1], `${digitsOf(CITIZENS[0].cpr)}@mentor.dk`, old('Klagevejledning')],
    );
    await t.dataSource.query(`UPDATE progress_report SET progress = $2, hours_used_for = $3, delivery_summary = $4 WHERE grant_id = $1`, [world.owner.grants.main.id, old('Fremskridt'), old('Timer'), old('Leverance')]);
    // A client that sends a CPR number as its request id.
    for (const cpr of SEEDED_CPR.slice(2, 4)) await t.http.get('/api/v1/auth/me').set(bearer(caseworker.token)).set('X-Request-Id', cpr).expect(200);
    // A supplier tries the staff's CPR lookup.
    supplierAnswers.push(await see(t.http.get('/api/v1/citizens').query({ cpr: CITIZENS[0].cpr }).set(bearer(owner.token)), 'GET /api/v1/citizens?cpr='));
    // Reports as finance, a second refund claim computed in a job.
    for (const report of ['budget', 'spend', 'supplier-performance']) {
      await t.http.get(`/api/v1/reports/${report}`).query({ year: 2026 }).set(bearer(finance.token)).expect(200);
      await t.http.get(`/api/v1/reports/${report}.csv`).query({ year: 2026 }).set(bearer(finance.token)).expect(200);
    }
    await t.http.post('/api/v1/refund-claims').set(bearer(finance.token)).send({ from: '2026-09-01', to: '2026-10-31' }).expect(202);
    await t.app.get(JobQueue).drain();

    routes = appRoutes(t.app);
    const common = { 'budgets/:year': '2026', 'billing-runs/:id': world.billingRunId, 'runs/:id': world.billingRunId, 'refund-claims/:id': world.refundClaimId, 'users/:id': owner.id };
    ownerIds = {
      ...common,
      'suppliers/:id': world.owner.id,
      'agreements/:id': world.owner.agreementId,
      'citizens/:id': world.owner.grants.main.citizenId,
      'grants/:id': world.owner.grants.main.id,
      'invoices/:id': world.pendingInvoice.id,
      'statements/:id': world.statement.id,
      'hour-registrations/:month': world.draftMonth,
    };
    partnerIds = {
      ...common,
      'suppliers/:id': world.partner.id,
      'agreements/:id': world.partner.agreementId,
      'citizens/:id': world.partner.grants.main.citizenId,
      'grants/:id': world.partner.grants.main.id,
      'invoices/:id': world.selfBillingInvoiceId,
      'statements/:id': world.partnerStatementId,
      'hour-registrations/:month': world.draftMonth,
    };
  });
  afterAll(async () => {
    await t.close();
    process.stdout.write = originalWrite;
    rmSync(workDir, { recursive: true, force: true });
  });

  it('shows the supplier users no CPR number, masked CPR or citizen name in any API answer, page, PDF or export', async () => {
    const owner = await sweep(world.owner.user, ownerIds, ['/supplier/invoices?status=rejected', `/supplier/hours?month=${world.month}`]);
    const partner = await sweep(world.partner.user, partnerIds, [`/supplier/hours?month=${world.month}`, `/supplier/hours?month=${world.draftMonth}`]);
    const seen = [...supplierAnswers, ...owner, ...partner];
    expect(serverErrors(seen)).toEqual([]);
    expect(problemsIn(seen, { names: true, masked: true })).toEqual([]);
    // The sweep reached the records that name the grants and sessions of these citizens.
    expect(answered(owner)).toEqual(
      expect.arrayContaining([
        `GET /api/v1/grants/${world.owner.grants.main.id}`,
        `GET /api/v1/grants/${world.owner.grants.main.id}/progress-reports`,
        `GET /api/v1/invoices/${world.pendingInvoice.id}`,
        `GET /api/v1/statements/${world.statement.id}`,
        `GET /api/v1/statements/${world.statement.id}.pdf`,
        'page /',
        'page /supplier/grants',
        `page /supplier/grants/${world.owner.grants.main.id}`,
        `page /supplier/invoices/${world.pendingInvoice.id}`,
        'page /supplier/statements',
      ]),
    );
    expect(answered(partner)).toEqual(expect.arrayContaining([`GET /api/v1/hour-registrations/${world.draftMonth}`, `GET /api/v1/statements/${world.partnerStatementId}.pdf`, `page /supplier/hours?month=${world.draftMonth}`]));
    // The texts stored with the CPR number and the name reached the supplier masked.
    const grantAnswer = owner.find((s) => s.at === `GET /api/v1/grants/${world.owner.grants.main.id}`)!;
    expect(JSON.parse(grantAnswer.text).goal).toBe(`Mål ${TYPED_CPR.map(() => 'XXXXXX-XXXX').join(', ')}; XXXX XXXX XXXX`);
    const reportsAnswer = owner.find((s) => s.at === `GET /api/v1/grants/${world.owner.grants.main.id}/progress-reports`)!;
    expect(JSON.parse(reportsAnswer.text)[0].progress).toBe(`Fremskridt ${TYPED_CPR.map(() => 'XXXXXX-XXXX').join(', ')}; XXXX XXXX XXXX`);
    expect(owner.find((s) => s.at === `page /supplier/grants/${world.owner.grants.main.id}`)!.text).toContain('Mette XXXXXX-XXXX');
    const statementPdf = owner.find((s) => s.at === `GET /api/v1/statements/${world.statement.id}.pdf`)!;
    expect(statementPdf.text).toContain(world.statement.number);
    expect(statementPdf.text).toContain(world.owner.grants.main.reference);
  });

  it('shows staff the CPR number only masked, DDMMYY-XXXX', async () => {
    // Staff open the owner's records, the records a supplier would ask about.
    const seen: Seen[] = [...staffAnswers];
    for (const user of Object.values(world.staff)) seen.push(...(await sweep(user, ownerIds)));
    const { caseworker, finance } = world.staff;
    for (const [index, citizen] of world.citizens.entries()) {
      seen.push(await see(t.http.get(`/api/v1/citizens/${citizen.id}`).set(bearer(caseworker.token)), `GET /api/v1/citizens/${citizen.id}`));
      const byNumber = await see(t.http.get('/api/v1/citizens').query({ cpr: SEEDED_CPR[index * 2] }).set(bearer(caseworker.token)), 'GET /api/v1/citizens?cpr=');
      expect(JSON.parse(byNumber.text)).toEqual([expect.objectContaining({ id: citizen.id, maskedCpr: MASKED_CPR[index], name: citizen.name })]);
      seen.push(byNumber);
    }
    const claimExports = ['.pdf', '/export.csv', '/export.xlsx'].map((suffix) => t.http.get(`/api/v1/refund-claims/${world.refundClaimId}${suffix}`).set(bearer(finance.token)));
    for (const pending of claimExports) seen.push(await see(pending, 'refund claim export'));
    expect(serverErrors(seen)).toEqual([]);
    expect(problemsIn(seen, { names: false, masked: false })).toEqual([]);
    // The same scan that finds nothing in the suppliers' answers finds every citizen, masked, in what staff see.
    const staffFinds = problemsIn(seen, { names: true, masked: true }).join('\n');
    for (const [index, name] of NAMES.entries()) expect([staffFinds.includes(`citizen name ${name}`), staffFinds.includes(`masked CPR ${MASKED_CPR[index]}`)]).toEqual([true, true]);
    // Where staff see a citizen, they see the masked number: the citizen, the grant, its written agreement and its page.
    const textAt = (at: string) => seen.filter((s) => s.at === at && s.status === 200).map((s) => s.text).join('\n');
    const masked = MASKED_CPR[0];
    expect(textAt(`GET /api/v1/citizens/${world.owner.grants.main.citizenId}`)).toContain(`"maskedCpr":"${masked}"`);
    expect(textAt(`GET /api/v1/grants/${world.owner.grants.main.id}`)).toContain(`"maskedCpr":"${masked}"`);
    expect(textAt(`GET /api/v1/grants/${world.owner.grants.main.id}/agreement.pdf`)).toContain(masked);
    // The written agreement (which the supplier receives) renders the texts stored with CPR numbers, masked.
    expect(textAt(`GET /api/v1/grants/${world.owner.grants.main.id}/agreement.pdf`)).toContain('Mål XXXXXX-XXXX, XXXXXX-XXXX');
    expect(textAt(`page /grants/${world.owner.grants.main.id}`)).toContain(masked);
  });

  it('writes no CPR number into any log line at debug level', () => {
    const lines = written.join('').split('\n').filter((line) => line.trim() !== '');
    // The requests above were logged, the CPR lookups with the number scrubbed from the URL.
    expect(lines.length).toBeGreaterThan(500);
    expect(lines.some((line) => line.includes('"url":"/api/v1/citizens?cpr=[redacted]"},"res":{"statusCode":200}'))).toBe(true);
    // A request id given as a CPR number was replaced by one of the app's own.
    expect(lines.some((line) => line.includes('"url":"/api/v1/auth/me"'))).toBe(true);
    expect(t.config.logLevel).toBe('debug');
    const problems = lines.flatMap((line) => personalDataIn(line, { names: false, masked: false }).map((found) => `${found} in ${line.slice(0, 300)}`));
    expect(problems).toEqual([]);
  });
});
