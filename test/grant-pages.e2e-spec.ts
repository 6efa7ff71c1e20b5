import request from 'supertest';
import { approveGrant } from './support/factories';
import { makeUser, startTestApp, validCvr, type TestApp } from './support/test-app';

type Agent = ReturnType<typeof request.agent>;

function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)![1];
}

function randomCpr(): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(1 + Math.floor(Math.random() * 28))}${pad(1 + Math.floor(Math.random() * 12))}${pad(Math.floor(Math.random() * 100))}-${pad(Math.floor(Math.random() * 10000), 4)}`;
}

describe('grant pages', () => {
  let t: TestApp;
  let caseworker: Agent;
  let teamLeader: Agent;
  let supplierAgent: Agent;
  let otherSupplierAgent: Agent;
  let agreementId: string;
  let otherAgreementId: string;

  async function supplierWithAgreement(name: string): Promise<{ supplierId: string; agreementId: string }> {
    const [supplier] = (await t.dataSource.query(`INSERT INTO supplier (name, cvr, kind) VALUES ($1, $2, 'mentor_supplier') RETURNING id`, [name, validCvr()])) as Array<{ id: string }>;
    const [agreement] = (await t.dataSource.query(
      `INSERT INTO agreement (supplier_id, kind, reference, title, valid_from, valid_to, mentor_types)
       VALUES ($1, 'framework', $2, 'Rammeaftale om mentorstøtte', '2026-01-01', '2027-12-31', $3) RETURNING id`,
      [supplier.id, `RA-${Math.random().toString(36).slice(2, 10)}`, ['retention', 'holistic']],
    )) as Array<{ id: string }>;
    return { supplierId: supplier.id, agreementId: agreement.id };
  }

  async function signIn(email: string, password: string): Promise<Agent> {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email, password, next: '/' }).expect(303);
    return agent;
  }

  async function tokenFor(agent: Agent, path: string): Promise<string> {
    return csrfOf((await agent.get(path).expect(200)).text);
  }

  async function registerCitizen(name: string, cpr = randomCpr()): Promise<{ id: string; cpr: string }> {
    const response = await caseworker
      .post('/grants/citizens')
      .type('form')
      .send({ _csrf: await tokenFor(caseworker, '/grants/new'), cpr, name, caseNumber: `J-${Math.floor(Math.random() * 1e6)}`, targetGroup: 'activity_ready_cash_benefit' })
      .expect(303);
    const id = /citizenId=([0-9a-f-]{36})/.exec(response.headers.location)![1];
    return { id, cpr };
  }

  function grantForm(citizenId: string, agreement: string, override: Record<string, string> = {}) {
    return {
      citizenId,
      agreementId: agreement,
      mentorType: 'retention',
      serviceLevel: '1',
      hours: '2',
      minutes: '0',
      start: '2026-01-05',
      end: '2026-06-30',
      goal: 'Fastholdelse i job.',
      tasks: 'Ugentlige møder.',
      mentorName: 'Ditte Højgaard',
      mentorPhone: '+45 40 12 34 56',
      mentorEmail: '',
      ...override,
    };
  }

  async function createGrant(citizenId: string, agreement = agreementId): Promise<{ id: string; location: string }> {
    const response = await caseworker.post('/grants/new').type('form').send({ _csrf: await tokenFor(caseworker, '/grants/new'), ...grantForm(citizenId, agreement) }).expect(303);
    const location = response.headers.location as string;
    const id = /\/grants\/([0-9a-f-]{36})/.exec(location)![1];
    // Approved by the team leader from its start, as the factories do.
    await approveGrant(t, id, '2026-01-05');
    return { id, location };
  }

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    const mine = await supplierWithAgreement('Mentorhuset Nordsjælland ApS');
    const other = await supplierWithAgreement('Andre Mentorer ApS');
    agreementId = mine.agreementId;
    otherAgreementId = other.agreementId;
    const cw = await makeUser(t, 'caseworker');
    const su = await makeUser(t, 'supplier', mine.supplierId);
    const osu = await makeUser(t, 'supplier', other.supplierId);
    caseworker = await signIn(cw.email, cw.password);
    const tl = await makeUser(t, 'team_leader');
    teamLeader = await signIn(tl.email, tl.password);
    supplierAgent = await signIn(su.email, su.password);
    otherSupplierAgent = await signIn(osu.email, osu.password);
  });
  afterAll(() => t.close());

  it('shows the form with the rules in force as JSON for the script, and the script itself', async () => {
    const page = await caseworker.get('/grants/new').expect(200);
    expect(page.text).toContain('<script type="application/json" id="grant-rules">');
    expect(page.text).toContain('Niveau 2: over 2 t. op til 3 t./uge');
    expect(page.text).toContain('<script src="/static/grant-form.js" defer></script>');
    const rules = JSON.parse(/<script type="application\/json" id="grant-rules">([^<]*)<\/script>/.exec(page.text)![1]) as { levels: Array<{ level: number; max: number | null }>; maxPeriodMonths: number };
    expect(rules.levels.find((band) => band.level === 1)?.max).toBe(120);
    expect(rules.maxPeriodMonths).toBe(6);
    await caseworker.get('/static/grant-form.js').expect(200).expect('Content-Type', /javascript/);
  });

  it('registers a citizen and creates a grant through the forms, then shows it', async () => {
    const citizen = await registerCitizen('Søren Ærø Åberg');
    const form = await caseworker.get(`/grants/new?citizenId=${citizen.id}&notice=citizen_created`).expect(200);
    expect(form.text).toContain(`<option value="${citizen.id}" selected>Søren Ærø Åberg`);
    const { location } = await createGrant(citizen.id);
    expect(location).toMatch(/\?notice=created_proposed$/);
    const page = await caseworker.get(location).expect(200);
    expect(page.text).toMatch(/MS-2026-\d{6}/);
    expect(page.text).toContain('Søren Ærø Åberg');
    expect(page.text).toContain(`${citizen.cpr.slice(0, 6)}-XXXX`);
    expect(page.text).toContain('/agreement.pdf');
    expect(page.text).toContain('Bevillingen er oprettet som forslag og afventer godkendelse hos en faglig konsulent.');
    expect(page.text).toMatch(/Godkendt af Test team_leader, \d{4}-\d{2}-\d{2} \d{2}:\d{2}; gælder fra 2026-01-05/);

    const list = await caseworker.get('/grants').query({ status: 'active', mentorType: 'retention', serviceLevel: '1' }).expect(200);
    expect(list.text).toContain('Søren Ærø Åberg');
    const reference = /MS-2026-\d{6}/.exec(page.text)![0];
    const byReference = await caseworker.get('/grants').query({ reference }).expect(200);
    expect(byReference.text).toContain(reference);
    // Its next task, computed for the grants on the page: the follow-up 13 weeks after 2026-01-05, overdue on 2026-11-25.
    expect(byReference.text).toContain('Opfølgning 2026-04-06 (overskredet)');
  });

  it('walks visitation through the pages: the team leader’s list, a sending back with its reason, a changed proposal, an approval with confirmation', async () => {
    const citizen = await registerCitizen('Vita Visitation');
    const created = await caseworker
      .post('/grants/new')
      .type('form')
      .send({ _csrf: await tokenFor(caseworker, '/grants/new'), ...grantForm(citizen.id, agreementId, { start: '2026-11-02', end: '2027-04-30' }) })
      .expect(303);
    const id = /\/grants\/([0-9a-f-]{36})/.exec(created.headers.location as string)![1];
    const [{ reference }] = (await t.dataSource.query(`SELECT reference FROM mentor_grant WHERE id = $1`, [id])) as Array<{ reference: string }>;
    const proposedPage = await caseworker.get(created.headers.location as string).expect(200);
    expect(proposedPage.text).toContain('Afventer godkendelse');
    expect(proposedPage.text).toContain('Bevillingen gælder først, når en faglig konsulent (teamleder) har godkendt den.');
    expect(proposedPage.text).not.toContain('action="/grants/' + id + '/approve"');

    // The team leader's dashboard lists the proposal; the grant page has both decisions.
    const dashboard = await teamLeader.get('/').expect(200);
    expect(dashboard.text).toContain('Forslag til godkendelse');
    expect(dashboard.text).toContain(reference);
    const page = await teamLeader.get(`/grants/${id}`).expect(200);
    expect(page.text).toContain(`action="/grants/${id}/approve"`);
    expect(page.text).toContain(`action="/grants/${id}/reject"`);
    expect(page.text).toContain('Jeg har vurderet sagen og godkender bevillingen.');

    // Without the confirmation nothing happens.
    const unconfirmed = await teamLeader.post(`/grants/${id}/reject`).type('form').send({ _csrf: csrfOf(page.text), reason: 'Timetallet er for højt.' }).expect(422);
    expect(unconfirmed.text).toContain('Bekræftelse');
    const sentBack = await teamLeader
      .post(`/grants/${id}/reject`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), reason: 'Timetallet er ikke begrundet i målet.', confirm: 'yes' })
      .expect(303);
    expect(sentBack.headers.location).toBe(`/grants/${id}?notice=sent_back`);

    // The caseworker sees it on the dashboard and on the grant page, with the reason, and proposes it again changed.
    expect((await caseworker.get('/').expect(200)).text).toContain('Timetallet er ikke begrundet i målet.');
    const back = await caseworker.get(`/grants/${id}`).expect(200);
    expect(back.text).toContain('Sendt tilbage');
    expect(back.text).toMatch(/Sendt tilbage af Test team_leader, \d{4}-\d{2}-\d{2} \d{2}:\d{2} · Begrundelse: <span class="pre">Timetallet er ikke begrundet i målet.<\/span>/);
    expect(back.text).toContain('Ret og indstil igen');
    const again = await caseworker.post(`/grants/${id}/propose`).type('form').send({ _csrf: csrfOf(back.text), minutesPerWeek: '90', goal: 'Fastholdelse i job med halvanden times støtte.' }).expect(303);
    expect(again.headers.location).toBe(`/grants/${id}?notice=proposed`);

    // In English: the team leader approves with the confirmation, active from today (2026-11-25).
    const english = await teamLeader.get(`/grants/${id}?lang=en`).expect(200);
    expect(english.text).toContain('I have assessed the case and approve the grant.');
    const approved = await teamLeader.post(`/grants/${id}/approve`).type('form').send({ _csrf: csrfOf(english.text), activeFrom: '', confirm: 'yes' }).expect(303);
    expect(approved.headers.location).toBe(`/grants/${id}?notice=approved`);
    const active = await teamLeader.get(`/grants/${id}?lang=en&notice=approved`).expect(200);
    expect(active.text).toContain('The grant is approved and active.');
    expect(active.text).toMatch(/Approved by Test team_leader, \d{4}-\d{2}-\d{2} \d{2}:\d{2}; active from 2026-11-25/);
    expect(active.text).toContain('1 h 30 min');
    // Approving it again is a conflict that names the states.
    const twice = await teamLeader.post(`/grants/${id}/approve`).type('form').send({ _csrf: csrfOf(active.text), confirm: 'yes' }).expect(409);
    expect(twice.text).toContain('The grant is “Active” and cannot become “Active”');
  });

  it('shows a citizen’s target-group history and records a change from a day, refusing one that would alter an approved grant', async () => {
    const citizen = await registerCitizen('Tove Målgruppe');
    const { id: grantId } = await createGrant(citizen.id); // approved from 2026-01-05
    const grantPage = await caseworker.get(`/grants/${grantId}`).expect(200);
    expect(grantPage.text).toContain(`<a href="/citizens/${citizen.id}">Tove Målgruppe</a>`);
    const page = await caseworker.get(`/citizens/${citizen.id}`).expect(200);
    expect(page.text).toContain('Målgruppehistorik');
    expect(page.text).toMatch(/<td>Fra registreringen<\/td><td>Aktivitetsparat kontanthjælpsmodtager<\/td>/);
    const changed = await caseworker
      .post(`/citizens/${citizen.id}/target-groups`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), targetGroup: 'sickness_benefit', effectiveFrom: '2026-12-01' })
      .expect(303);
    expect(changed.headers.location).toBe(`/citizens/${citizen.id}?notice=target_group_changed`);
    const after = await caseworker.get(changed.headers.location as string).expect(200);
    expect(after.text).toContain('Målgruppeskiftet er registreret.');
    expect(after.text).toMatch(/<td>2026-12-01<\/td><td>Sygedagpengemodtager<\/td>/);
    // From 2026-01-01 it would alter the target group of the grant approved from 2026-01-05.
    const refused = await caseworker
      .post(`/citizens/${citizen.id}/target-groups?lang=en`)
      .type('form')
      .send({ _csrf: csrfOf(after.text), targetGroup: 'revalidation', effectiveFrom: '2026-01-01' })
      .expect(409);
    expect(refused.text).toContain('The change from 2026-01-01 would alter the target group at the start of the approved grant MS-2026-');
    const english = await caseworker.get(`/citizens/${citizen.id}?lang=en`).expect(200);
    expect(english.text).toContain('Target-group history');
    expect(english.text).toContain('From registration');
    await caseworker.get(`/citizens/${citizen.id}?lang=da`).expect(200); // the agent's language back to Danish for the tests after
    expect((await supplierAgent.get(`/citizens/${citizen.id}`).set('Accept', 'text/html')).status).toBe(403);
  });

  it('re-renders a grant of 121 minutes at level 1 with 422 and the band message, storing nothing', async () => {
    const citizen = await registerCitizen('Ida Band');
    const response = await caseworker
      .post('/grants/new')
      .type('form')
      .send({ _csrf: await tokenFor(caseworker, '/grants/new'), ...grantForm(citizen.id, agreementId, { hours: '2', minutes: '1' }) })
      .expect(422);
    expect(response.text).toContain('2 t. 1 min. om ugen ligger uden for serviceniveau 1. Niveau 1: op til 2 t./uge');
    expect(response.text).toContain('value="1"'); // the minutes are kept
    expect(response.text).toContain('Fastholdelse i job.');
    expect(await t.dataSource.query(`SELECT 1 FROM mentor_grant WHERE citizen_id = $1`, [citizen.id])).toHaveLength(0);
  });

  it('extends a grant through the form, and shows the rule message when the extension is too long', async () => {
    const citizen = await registerCitizen('Karl Forlænget');
    const { id } = await createGrant(citizen.id);
    const tooLong = await caseworker.post(`/grants/${id}/extend`).type('form').send({ _csrf: await tokenFor(caseworker, `/grants/${id}`), newEnd: '2027-06-30' }).expect(422);
    expect(tooLong.text).toContain('En forlængelse varer højst 6 måneder: fra 2026-07-01 må den slutte senest 2026-12-31.');
    const ok = await caseworker.post(`/grants/${id}/extend`).type('form').send({ _csrf: await tokenFor(caseworker, `/grants/${id}`), newEnd: '2026-12-31' }).expect(303);
    expect(ok.headers.location).toBe(`/grants/${id}?notice=extended`);
    const page = await caseworker.get(ok.headers.location).expect(200);
    expect(page.text).toContain('2026-01-05 – 2026-12-31');
    expect(page.text).toContain('Bevillingen er forlænget.');
  });

  it('shows the supplier its grant without the citizen, hides another supplier’s grant, and takes a progress report', async () => {
    const citizen = await registerCitizen('Hemmelig Borgersen');
    const { id } = await createGrant(citizen.id);
    const [{ reference }] = (await t.dataSource.query(`SELECT reference FROM mentor_grant WHERE id = $1`, [id])) as Array<{ reference: string }>;
    const digits = citizen.cpr.replace('-', '');

    const list = await supplierAgent.get('/supplier/grants').expect(200);
    expect(list.text).toContain(reference);
    for (const page of [list.text, (await supplierAgent.get(`/supplier/grants/${id}`).expect(200)).text]) {
      expect(page).not.toContain('Hemmelig Borgersen');
      expect(page).not.toContain(citizen.cpr.slice(0, 6));
      expect(page).not.toContain(digits);
      expect(page).not.toContain('XXXX');
    }

    await otherSupplierAgent.get(`/supplier/grants/${id}`).set('Accept', 'text/html').expect(404);
    expect((await otherSupplierAgent.get('/supplier/grants').expect(200)).text).not.toContain(reference);

    const detail = await supplierAgent.get(`/supplier/grants/${id}`).expect(200);
    const dueDate = /<select id="r-due" name="dueDate" required><option value="(\d{4}-\d{2}-\d{2})"/.exec(detail.text)![1];
    const filed = await supplierAgent
      .post(`/supplier/grants/${id}/progress-reports`)
      .type('form')
      .send({ _csrf: csrfOf(detail.text), dueDate, progress: 'Borgeren møder stabilt.', hoursUsedFor: 'Møder på arbejdspladsen.', deliverySummary: 'Som aftalt.' })
      .expect(303);
    expect(filed.headers.location).toBe(`/supplier/grants/${id}?notice=report_filed`);
    const after = await supplierAgent.get(filed.headers.location).expect(200);
    expect(after.text).toContain('Borgeren møder stabilt.');
    expect(after.text).toContain('Statusrapporten er indsendt.');
    expect(await t.dataSource.query(`SELECT 1 FROM progress_report WHERE grant_id = $1 AND due_date = $2`, [id, dueDate])).toHaveLength(1);

    const staffView = await caseworker.get(`/grants/${id}`).expect(200);
    expect(staffView.text).toContain('Borgeren møder stabilt.');
  });

  it('keeps supplier users off the caseworker pages and caseworkers off the supplier pages', async () => {
    await supplierAgent.get('/grants').set('Accept', 'text/html').expect(403);
    await supplierAgent.get('/grants/new').set('Accept', 'text/html').expect(403);
    await caseworker.get('/supplier/grants').set('Accept', 'text/html').expect(403);
    expect(otherAgreementId).toBeDefined();
  });

  it('speaks English when asked', async () => {
    const page = await caseworker.get('/grants/new?lang=en').expect(200);
    expect(page.text).toContain('Level 2: over 2 h up to 3 h/week');
    expect(page.text).toContain('Retention mentor');
  });
});
