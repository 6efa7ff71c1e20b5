import request from 'supertest';
import { DEMO_CITIZENS } from '../src/demo/demo-agreements.seed';
import { DEMO_SIGN_INS, DemoDataSeed } from '../src/demo/demo-data.seed';
import { startTestApp, type TestApp } from './support/test-app';

/** The demo data on a real PostgreSQL, seen through each role's dashboard. */
describe('dashboards over the demo data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(DemoDataSeed).run();
  });
  afterAll(() => t.close());

  async function dashboardAs(role: string): Promise<string> {
    const signIn = DEMO_SIGN_INS.find((s) => s.role === role)!;
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    await agent.post('/login').type('form').send({ _csrf: csrf, email: signIn.email, password: signIn.password }).expect(303);
    return (await agent.get('/').expect(200)).text;
  }

  it('seeds once: a second run creates nothing', async () => {
    expect(await t.app.get(DemoDataSeed).run()).toEqual({ created: 0 });
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM mentor_grant`);
    expect(n).toBe(5);
    const levels = await t.dataSource.query(`SELECT array_agg(DISTINCT service_level ORDER BY service_level) AS levels FROM mentor_grant`);
    expect(levels[0].levels).toEqual([1, 2, 3, 4]);
  });

  it('shows the caseworker the due follow-ups and evaluations with links to the grants', async () => {
    const html = await dashboardAs('caseworker');
    expect(html).toContain('Opfølgninger og evalueringer');
    expect(html).toMatch(/<a href="\/grants\/[0-9a-f-]{36}">MS-2026-\d{6}<\/a>/);
    expect(html).toContain('Jonas Ærø Madsen');
  });

  it('shows the supplier its own active grants without any citizen data', async () => {
    const html = await dashboardAs('supplier');
    const own = await t.dataSource.query(`SELECT g.reference FROM mentor_grant g JOIN supplier s ON s.id = g.supplier_id WHERE s.cvr = '29143471' ORDER BY g.reference`);
    const others = await t.dataSource.query(`SELECT g.reference FROM mentor_grant g JOIN supplier s ON s.id = g.supplier_id WHERE s.cvr <> '29143471'`);
    for (const { reference } of own) expect(html).toContain(reference);
    for (const { reference } of others) expect(html).not.toContain(reference);
    for (const citizen of DEMO_CITIZENS) {
      for (const text of [citizen.cpr, `${citizen.cpr.slice(0, 6)}-${citizen.cpr.slice(6)}`, `${citizen.cpr.slice(0, 6)}-XXXX`, citizen.name, citizen.caseNumber]) expect(html).not.toContain(text);
    }
  });

  it('shows finance the invoices to approve, errors first, and the supplier its own invoices', async () => {
    const finance = await dashboardAs('finance');
    expect(finance).toContain('Fakturaer til godkendelse');
    expect(finance).toMatch(/<a href="\/finance\/invoices\/[0-9a-f-]{36}">MH-2026-1031<\/a>/);
    expect(finance).not.toContain('MH-2026-0917');
    const supplier = await dashboardAs('supplier');
    expect(supplier).toContain('MH-2026-0917');
    expect(supplier).toContain('MH-2026-1031');
    expect(supplier).toContain('Godkendt');
  });

  it('shows procurement the ceiling use of framework agreements', async () => {
    const html = await dashboardAs('procurement');
    expect(html).toContain('RA-2026-001');
    // The approved September invoice (300 minutes at 400 kr./hour) and the October one waiting: about 1 % of the 2 mio. kr. ceiling.
    // In tenths of a percent, so a small use does not read "0 %".
    expect(html).toMatch(/RA-2026-001<\/a><\/td>\s*<td>[01],\d %/);
  });
});
