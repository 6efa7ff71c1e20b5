import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { binary } from './support/binary';
import { approveGrant } from './support/factories';
import { bearer, makeUser, startTestApp, validCvr, type TestApp, type TestUser } from './support/test-app';

/**
 * The free texts of a grant that its supplier sees (goal, tasks, mentor, progress reports): a CPR number or the
 * citizen's name is refused at input with a 422 naming the field; texts stored before that check are shown
 * masked; the written agreement renders whatever numbers its texts hold.
 */

type Agent = ReturnType<typeof request.agent>;

const CITIZEN = { cpr: '070382-1234', name: 'Karen Ølby Testesen' };
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

describe('free text of a grant a supplier sees', () => {
  let t: TestApp;
  let caseworker: TestUser;
  let supplier: TestUser;
  let agreementId: string;
  let citizenId: string;
  const workDir = mkdtempSync(join(tmpdir(), 'grant-free-text-'));

  const grantBody = (override: Record<string, unknown> = {}) => ({
    citizenId,
    agreementId,
    mentorType: 'retention',
    serviceLevel: 1,
    minutesPerWeek: 120,
    start: '2026-01-05',
    end: '2026-06-30',
    goal: 'Fastholdelse i job på værkstedet.',
    tasks: 'Ugentlige møder på arbejdspladsen.',
    mentorName: 'Ditte Højgaard Ørsted',
    mentorPhone: '+45 40 12 34 56',
    mentorEmail: 'ditte@mentorhuset.dk',
    ...override,
  });
  const grants = async () => ((await t.dataSource.query(`SELECT count(*)::int AS n FROM mentor_grant`)) as Array<{ n: number }>)[0].n;
  const reports = async () => ((await t.dataSource.query(`SELECT count(*)::int AS n FROM progress_report`)) as Array<{ n: number }>)[0].n;

  async function createGrant(override: Record<string, unknown> = {}): Promise<{ id: string; reference: string }> {
    const proposed = (await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grantBody(override)).expect(201)).body;
    await approveGrant(t, proposed.id, proposed.start);
    return proposed;
  }

  async function pdfText(grantId: string): Promise<{ status: number; contentType: string; text: string; body: unknown }> {
    const response = await t.http.get(`/api/v1/grants/${grantId}/agreement.pdf`).set(bearer(caseworker.token)).buffer(true).parse(binary);
    const contentType = String(response.headers['content-type']);
    if (response.status !== 200) return { status: response.status, contentType, text: '', body: JSON.parse((response.body as Buffer).toString('utf8')) };
    const file = join(workDir, `${grantId}.pdf`);
    writeFileSync(file, response.body as Buffer);
    return { status: 200, contentType, text: execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' '), body: null };
  }

  async function signIn(user: TestUser): Promise<Agent> {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: user.email, password: user.password, next: '/' }).expect(303);
    return agent;
  }

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    caseworker = await makeUser(t, 'caseworker');
    const [row] = (await t.dataSource.query(`INSERT INTO supplier (name, cvr, kind) VALUES ('Mentorhuset ApS', $1, 'mentor_supplier') RETURNING id`, [validCvr()])) as Array<{ id: string }>;
    const [agreement] = (await t.dataSource.query(
      `INSERT INTO agreement (supplier_id, kind, reference, title, valid_from, valid_to, mentor_types)
       VALUES ($1, 'framework', 'RA-FREE-TEXT', 'Rammeaftale om mentorstøtte', '2026-01-01', '2027-12-31', $2) RETURNING id`,
      [row.id, ['retention', 'holistic']],
    )) as Array<{ id: string }>;
    agreementId = agreement.id;
    supplier = await makeUser(t, 'supplier', row.id);
    const citizen = await t.http
      .post('/api/v1/citizens')
      .set(bearer(caseworker.token))
      .send({ ...CITIZEN, caseNumber: '2026004711', targetGroup: 'sickness_benefit' })
      .expect(201);
    citizenId = citizen.body.id;
  });
  afterAll(async () => {
    rmSync(workDir, { recursive: true, force: true });
    await t.close();
  });

  it('renders the written agreement of a grant whose goal and citizen’s case number hold a ten-digit case number', async () => {
    const grant = await createGrant({ goal: 'Fastholdelse i job, jf. sagsnr. 2026004711.', tasks: 'Opfølgning på sag 2026-004711 og tlf. 4012345678.' });
    const pdf = await pdfText(grant.id);
    expect({ status: pdf.status, contentType: pdf.contentType }).toEqual({ status: 200, contentType: 'application/pdf' });
    expect(pdf.text).toContain('Fastholdelse i job, jf. sagsnr. 2026004711.');
    expect(pdf.text).toContain('Opfølgning på sag 2026-004711 og tlf. 4012345678.');
    expect(pdf.text).toContain('Sagsnummer 2026004711');
    expect(pdf.text).toContain('070382-XXXX');
  });

  it.each([
    ['goal', 'Borgeren (CPR 070382-1234) skal fastholdes.'],
    ['goal', 'cpr 0703821234'],
    ['goal', 'CPR-nr. 07.03.82 1234'],
    ['tasks', 'Ring til 070382–1234 først.'],
    ['tasks', 'Borger 070382-XXXX'],
    ['mentorName', 'Ditte 070382 1234'],
    ['mentorPhone', '0703821234'],
    ['mentorEmail', '0703821234@mentorhuset.dk'],
    ['complaintGuidance', 'Klag med CPR 070382+1234 i emnefeltet.'],
  ])('refuses a CPR number in %s (%s) with a 422 naming the field, and stores nothing', async (field, text) => {
    const before = await grants();
    const response = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grantBody({ [field]: text })).expect(422);
    expect(response.body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'The grant breaks the rules',
      details: [{ field, rule: 'cpr_in_text', message: `${field} may not hold a CPR number: the supplier sees this text` }],
    });
    expect(response.text).not.toContain(text);
    expect(await grants()).toBe(before);
  });

  it.each([
    ['goal', 'Karen Testesen skal fastholdes i job.'],
    ['tasks', 'Møder med TESTESEN, Karen hver uge.'],
    ['mentorName', 'Karen Testesen'],
  ])('refuses the citizen’s name in %s (%s)', async (field, text) => {
    const before = await grants();
    const response = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grantBody({ [field]: text })).expect(422);
    expect(response.body.details).toEqual([{ field, rule: 'citizen_name_in_text', message: `${field} may not hold the citizen’s name: the supplier sees this text` }]);
    expect(await grants()).toBe(before);
  });

  it('takes the citizen’s first name alone, and the name in the complaint guidance that only the agreement prints', async () => {
    const grant = await createGrant({ goal: 'Karen skal fastholdes i job.', complaintGuidance: 'Karen Testesen kan klage til Ankestyrelsen inden 4 uger.' });
    expect((await t.http.get(`/api/v1/grants/${grant.id}`).set(bearer(supplier.token)).expect(200)).body.goal).toBe('Karen skal fastholdes i job.');
  });

  it('refuses a goal or tasks of blanks only', async () => {
    const before = await grants();
    const response = await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send(grantBody({ goal: '   ', tasks: '\n' })).expect(422);
    expect(response.body.details.map((detail: { field: string; rule: string }) => [detail.field, detail.rule])).toEqual([
      ['goal', 'matches'],
      ['tasks', 'matches'],
    ]);
    expect(await grants()).toBe(before);
  });

  it('refuses a CPR number as a citizen’s case number, since the written agreement prints it', async () => {
    const response = await t.http
      .post('/api/v1/citizens')
      .set(bearer(caseworker.token))
      .send({ cpr: '010203-1234', name: 'Anders Fiktiv', caseNumber: '010203-1234', targetGroup: 'sickness_benefit' })
      .expect(422);
    expect(response.body.details).toEqual([{ field: 'caseNumber', rule: 'cpr_in_text', message: 'caseNumber may not hold a CPR number: the supplier sees this text' }]);
    expect(((await t.dataSource.query(`SELECT count(*)::int AS n FROM citizen WHERE name = 'Anders Fiktiv'`)) as Array<{ n: number }>)[0].n).toBe(0);
  });

  it.each([
    ['progress', 'Godt i gang; borgerens CPR er 070382-1234.', 'cpr_in_text'],
    ['hoursUsedFor', 'Møder med Karen Testesen.', 'citizen_name_in_text'],
    ['deliverySummary', '13 møder, se 0703821234', 'cpr_in_text'],
  ])('refuses a progress report with personal data in %s', async (field, text, rule) => {
    const grant = await createGrant();
    const before = await reports();
    const body = { dueDate: '2026-04-06', progress: 'Godt i gang', hoursUsedFor: 'Møder', deliverySummary: '13 møder', [field]: text };
    const response = await t.http.post(`/api/v1/grants/${grant.id}/progress-reports`).set(bearer(supplier.token)).send(body).expect(422);
    expect(response.body.details).toEqual([expect.objectContaining({ field, rule })]);
    expect(response.text).not.toContain(text);
    expect(await reports()).toBe(before);
    await t.http.post(`/api/v1/grants/${grant.id}/progress-reports`).set(bearer(supplier.token)).send({ ...body, [field]: 'Møder, sagsnr. 2026004711' }).expect(201);
  });

  it('shows texts stored before the check masked to the supplier and in the written agreement, and never fails on them', async () => {
    const grant = await createGrant();
    await t.dataSource.query(
      `UPDATE mentor_grant SET goal = 'Borger 070382-1234 (sagsnr. 2026004711) skal fastholdes.', tasks = 'Møder med Karen Testesen, tlf. 0703821234.',
              mentor_name = 'Ditte 07.03.82 1234', mentor_email = '0703821234@mentorhuset.dk' WHERE id = $1`,
      [grant.id],
    );
    await t.dataSource.query(
      `INSERT INTO progress_report (grant_id, due_date, progress, hours_used_for, delivery_summary, submitted_by, late)
       VALUES ($1, '2026-04-06', 'Karen Testesen (070382-1234) er i gang.', 'Møder', '13 møder', $2, false)`,
      [grant.id, supplier.id],
    );
    const secrets = ['070382-1234', '0703821234', '07.03.82 1234', 'Karen Testesen', '070382'];

    const one = await t.http.get(`/api/v1/grants/${grant.id}`).set(bearer(supplier.token)).expect(200);
    expect([one.body.goal, one.body.tasks, one.body.mentor]).toEqual([
      'Borger XXXXXX-XXXX (sagsnr. 2026004711) skal fastholdes.',
      'Møder med XXXX XXXX, tlf. XXXXXX-XXXX.',
      { name: 'Ditte XXXXXX-XXXX', phone: '+45 40 12 34 56', email: 'XXXXXX-XXXX@mentorhuset.dk' },
    ]);
    const list = await t.http.get('/api/v1/grants').query({ reference: grant.reference }).set(bearer(supplier.token)).expect(200);
    const progress = await t.http.get(`/api/v1/grants/${grant.id}/progress-reports`).set(bearer(supplier.token)).expect(200);
    expect(progress.body.map((report: { progress: string }) => report.progress)).toEqual(['XXXX XXXX (XXXXXX-XXXX) er i gang.']);
    const agent = await signIn(supplier);
    const page = await agent.get(`/supplier/grants/${grant.id}`).expect(200);
    const grantsPage = await agent.get('/supplier/grants').expect(200);
    for (const answer of [one.text, list.text, progress.text, page.text, grantsPage.text]) {
      expect(secrets.filter((secret) => answer.includes(secret))).toEqual([]);
    }
    expect(page.text).toContain('Borger XXXXXX-XXXX (sagsnr. 2026004711) skal fastholdes.');

    // Staff see the name (they know the citizen), never the CPR number.
    const staff = await t.http.get(`/api/v1/grants/${grant.id}`).set(bearer(caseworker.token)).expect(200);
    expect([staff.body.goal, staff.body.tasks]).toEqual(['Borger XXXXXX-XXXX (sagsnr. 2026004711) skal fastholdes.', 'Møder med Karen Testesen, tlf. XXXXXX-XXXX.']);

    const pdf = await pdfText(grant.id);
    expect({ status: pdf.status, contentType: pdf.contentType }).toEqual({ status: 200, contentType: 'application/pdf' });
    expect(pdf.text).toContain('Borger XXXXXX-XXXX (sagsnr. 2026004711) skal fastholdes.');
    expect(pdf.text).toContain('Ditte XXXXXX-XXXX');
    expect(['070382-1234', '0703821234', '07.03.82 1234'].filter((secret) => pdf.text.includes(secret))).toEqual([]);
  });

  it('answers a written agreement whose stored goal is blank with a 409 naming the field, not a server error', async () => {
    const grant = await createGrant();
    await t.dataSource.query(`UPDATE mentor_grant SET goal = '  ' WHERE id = $1`, [grant.id]);
    const pdf = await pdfText(grant.id);
    expect({ status: pdf.status, body: pdf.body }).toEqual({
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        message: 'The written agreement lacks mandatory content',
        details: [{ field: 'goal', rule: 'agreement_content', message: 'the written agreement must state goal' }],
      },
    });
  });

  describe('pages', () => {
    it('shows the refusal beside the field on the grant form, in Danish and in English', async () => {
      const agent = await signIn(caseworker);
      const form = {
        citizenId,
        agreementId,
        mentorType: 'retention',
        serviceLevel: '1',
        hours: '2',
        minutes: '0',
        start: '2026-01-05',
        end: '2026-06-30',
        goal: 'CPR 070382-1234',
        tasks: 'Møder med Karen Testesen.',
        mentorName: 'Ditte',
        mentorPhone: '40123456',
        mentorEmail: '',
      };
      const before = await grants();
      const refused = await agent.post('/grants/new').type('form').send({ _csrf: csrfOf((await agent.get('/grants/new').expect(200)).text), ...form }).expect(422);
      expect(refused.text).toContain('<textarea id="g-goal" name="goal" rows="3" required aria-invalid="true" aria-describedby="g-goal-error">');
      expect(refused.text).toContain('<p class="field-error" id="g-goal-error">Teksten må ikke indeholde et CPR-nummer. Leverandøren kan se feltet.</p>');
      expect(refused.text).toContain('<p class="field-error" id="g-tasks-error">Teksten må ikke indeholde borgerens navn. Leverandøren kan se feltet.</p>');
      expect(refused.text).toContain('<strong>Mål</strong>: Teksten må ikke indeholde et CPR-nummer. Leverandøren kan se feltet.');
      expect(refused.text).not.toContain('id="g-mentor-error"');
      expect(await grants()).toBe(before);

      const english = await agent.post('/grants/new?lang=en').type('form').send({ _csrf: csrfOf((await agent.get('/grants/new').expect(200)).text), ...form }).expect(422);
      expect(english.text).toContain('<p class="field-error" id="g-goal-error">The text may not hold a CPR number. The supplier sees this field.</p>');
      expect(english.text).toContain('<p class="field-error" id="g-tasks-error">The text may not hold the citizen’s name. The supplier sees this field.</p>');
    });

    it('shows the refusal beside the field on the supplier’s progress report form', async () => {
      const grant = await createGrant();
      const agent = await signIn(supplier);
      const page = await agent.get(`/supplier/grants/${grant.id}`).expect(200);
      const before = await reports();
      const refused = await agent
        .post(`/supplier/grants/${grant.id}/progress-reports`)
        .type('form')
        .send({ _csrf: csrfOf(page.text), dueDate: '2026-04-06', progress: 'CPR 0703821234', hoursUsedFor: 'Møder', deliverySummary: '13 møder' })
        .expect(422);
      expect(refused.text).toContain('<p class="field-error" id="r-progress-error">Teksten må ikke indeholde et CPR-nummer. Leverandøren kan se feltet.</p>');
      expect(await reports()).toBe(before);
    });
  });
});
