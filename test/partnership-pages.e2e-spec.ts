import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { JobQueue } from '../src/common/queue/job-queue';
import { binary } from './support/binary';
import { auditActions, makeAgreement, makeSupplierViaApi } from './support/factories';
import { fictitiousCpr, invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

type Agent = ReturnType<typeof request.agent>;

function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)![1];
}

/** The pages of partnerships and internal and ad-hoc suppliers on 2026-11-20. */
describe('partnership, internal statement and ad-hoc pages', () => {
  let t: TestApp;
  let admin: TestUser;
  let procurement: TestUser;
  let caseworker: TestUser;
  let leader: TestUser;
  let finance: TestUser;
  let partnerUser: TestUser;
  let companyId: string;
  let partnershipId: string;
  let caseworkerPages: Agent;
  let leaderPages: Agent;
  let procurementPages: Agent;
  let companyGrantId: string;

  async function signIn(user: TestUser): Promise<Agent> {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: user.email, password: user.password, next: '/' }).expect(303);
    return agent;
  }
  const grantCount = async () => Number((await t.dataSource.query(`SELECT count(*) AS n FROM mentor_grant`))[0].n);

  beforeAll(async () => {
    t = await startTestApp({ redis: false, env: { BUSINESS_DATE: '2026-11-20' } });
    [admin, procurement, caseworker, leader, finance] = await Promise.all([makeUser(t, 'admin'), makeUser(t, 'procurement'), makeUser(t, 'caseworker'), makeUser(t, 'team_leader'), makeUser(t, 'finance')]);
    const company = await makeSupplierViaApi(t, { kind: 'partner_company' });
    companyId = company.id;
    partnerUser = await makeUser(t, 'supplier', company.id);
    partnershipId = (await makeAgreement(t, company.id, { kind: 'partnership', mentorTypes: ['company'], defaultMinutesPerWeek: 60, defaultRateOre: 25_000 })).id;
    [caseworkerPages, leaderPages, procurementPages] = await Promise.all([signIn(caseworker), signIn(leader), signIn(procurement)]);
  });
  afterAll(() => t.close());

  it('prefills a company grant with the partnership’s minutes and asks for the reason above them beside the field; the team leader reads it', async () => {
    const prefilled = await caseworkerPages.get(`/grants/new?agreementId=${partnershipId}`).expect(200);
    expect(prefilled.text).toMatch(/id="g-hours" name="hours"[^>]*value="1"/);
    expect(prefilled.text).toMatch(/id="g-minutes" name="minutes"[^>]*value="0"/);
    expect(prefilled.text).toMatch(/<option value="company" selected>/);
    expect(prefilled.text).toMatch(new RegExp(`<option value="${partnershipId}" selected data-minutes="60">`));
    expect(prefilled.text).toContain('Partnerskabsaftalen frikøber virksomhedsmentoren 1 t. om ugen.');
    expect(prefilled.text).toContain('id="g-excess"');
    // Time typed by hand is kept when the agreement is chosen again without scripts.
    const kept = await caseworkerPages.get(`/grants/new?agreementId=${partnershipId}&hours=2&minutes=0`).expect(200);
    expect(kept.text).toMatch(/id="g-hours" name="hours"[^>]*value="2"/);

    const citizen = await t.http
      .post('/api/v1/citizens')
      .set(bearer(caseworker.token))
      .send({ cpr: fictitiousCpr(), name: 'Borger Partnerskab', caseNumber: `J-${randomBytes(3).toString('hex')}`, targetGroup: 'sickness_benefit' })
      .expect(201);
    const form = {
      citizenId: citizen.body.id,
      agreementId: partnershipId,
      mentorType: 'company',
      serviceLevel: '1',
      hours: '1',
      minutes: '30',
      start: '2026-11-02',
      end: '2027-04-30',
      goal: 'Fastholdelse i job',
      tasks: 'Samtaler på arbejdspladsen',
      mentorName: 'Kim Jensen',
      mentorPhone: '12345678',
    };
    const before = await grantCount();
    const refused = await caseworkerPages.post('/grants/new').type('form').send({ _csrf: csrfOf(prefilled.text), ...form, excessReason: '' }).expect(422);
    expect(refused.text).toMatch(/id="g-excess" name="excessReason"[^>]*aria-invalid="true" aria-describedby="g-excess-error g-excess-hint"/);
    expect(refused.text).toMatch(/<p class="field-error" id="g-excess-error">Partnerskabsaftalen frikøber virksomhedsmentoren 1 t\. om ugen\. Bevillingen er på 1 t\. 30 min\., altså 30 min\. mere/);
    expect(await grantCount()).toBe(before);

    const created = await caseworkerPages.post('/grants/new').type('form').send({ _csrf: csrfOf(refused.text), ...form, excessReason: 'Opstarten kræver to møder om ugen' }).expect(303);
    companyGrantId = /\/grants\/([0-9a-f-]{36})/.exec(created.headers.location as string)![1];

    const proposal = await leaderPages.get(`/grants/${companyGrantId}`).expect(200);
    expect(proposal.text).toMatch(/id="visitation-excess-reason">Begrundelse for mere tid end partnerskabsaftalens \(1 t\. 30 min\.\): <span class="pre">Opstarten kræver to møder om ugen<\/span>/);
    const english = await leaderPages.get(`/grants/${companyGrantId}?lang=en`).expect(200);
    expect(english.text).toContain('Reason for more time than the partnership agreement');
    expect(english.text).toContain('Opstarten kræver to møder om ugen');
    await t.http.post(`/api/v1/grants/${companyGrantId}/approve`).set(bearer(leader.token)).send({ activeFrom: '2026-11-02' }).expect(200);
    // Sent back, the caseworker proposes it again with the reason changed on the grant page.
    const citizen2 = await t.http
      .post('/api/v1/citizens')
      .set(bearer(caseworker.token))
      .send({ cpr: fictitiousCpr(), name: 'Borger Tilbage', caseNumber: `J-${randomBytes(3).toString('hex')}`, targetGroup: 'sickness_benefit' })
      .expect(201);
    const second = (await t.http.post('/api/v1/grants').set(bearer(caseworker.token)).send({ ...form, citizenId: citizen2.body.id, serviceLevel: 1, minutesPerWeek: 90, hours: undefined, minutes: undefined, excessReason: 'Første begrundelse' }).expect(201)).body;
    await t.http.post(`/api/v1/grants/${second.id}/reject`).set(bearer(leader.token)).send({ reason: 'Begrund den ekstra halve time bedre.' }).expect(200);
    const back = await caseworkerPages.get(`/grants/${second.id}`).expect(200);
    expect(back.text).toMatch(/<textarea id="p-excess" name="excessReason"[^>]*>Første begrundelse<\/textarea>/);
    await caseworkerPages.post(`/grants/${second.id}/propose`).type('form').send({ _csrf: csrfOf(back.text), minutesPerWeek: '90', excessReason: 'To møder om ugen de første otte uger' }).expect(303);
    expect((await t.http.get(`/api/v1/grants/${second.id}`).set(bearer(leader.token)).expect(200)).body).toMatchObject({ status: 'proposed', excessReason: 'To møder om ugen de første otte uger' });
  });

  it('lists, adds and — after a confirmation — ends rates per employee on the partnership agreement’s page', async () => {
    const page = await procurementPages.get(`/procurement/agreements/${partnershipId}`).expect(200);
    expect(page.text).toContain('<h2 id="employee-rates">Timepriser pr. medarbejder (frikøb)</h2>');
    expect(page.text).toContain('Der er ingen timepriser pr. medarbejder på aftalen.');
    const api = `/api/v1/agreements/${partnershipId}/employee-rates`;

    const cpr = await procurementPages
      .post(`/procurement/agreements/${partnershipId}/employee-rates`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), employeeRef: '010203-1234', rateKr: '312,50', validFrom: '2026-01-01' })
      .expect(422);
    expect(cpr.text).toMatch(/id="er-ref" name="employeeRef"[^>]*aria-invalid="true" aria-describedby="er-ref-error er-ref-hint"/);
    expect(cpr.text).toContain('<p class="field-error" id="er-ref-error">');
    expect(cpr.text).toContain('<a href="#er-ref">');
    expect((await t.http.get(api).set(bearer(procurement.token)).expect(200)).body).toEqual([]);

    await procurementPages
      .post(`/procurement/agreements/${partnershipId}/employee-rates`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), employeeRef: 'KJ', rateKr: '312,50', validFrom: '2026-01-01' })
      .expect(303);
    const [rate] = (await t.http.get(api).set(bearer(procurement.token)).expect(200)).body;
    expect(rate).toMatchObject({ employeeRef: 'KJ', rateOre: 31_250, validFrom: '2026-01-01', validTo: null });
    const listed = await procurementPages.get(`/procurement/agreements/${partnershipId}?notice=employee_rate_added`).expect(200);
    expect(listed.text).toContain('Medarbejderens timepris er tilføjet.');
    expect(listed.text).toMatch(/<td>KJ<\/td><td>2026-01-01<\/td><td>[^<]+<\/td><td class="num">312,50 kr\.<\/td>/);

    // Before its start: refused beside the rate's own end field, nothing ended.
    const early = await procurementPages.post(`/procurement/agreements/${partnershipId}/employee-rates/${rate.id}/end`).type('form').send({ _csrf: csrfOf(listed.text), validTo: '2025-12-31', confirm: 'yes' }).expect(422);
    expect(early.text).toContain(`<p class="field-error" id="ere-${rate.id}-error">`);
    expect(early.text).toMatch(new RegExp(`id="ere-${rate.id}" name="validTo" type="date" required aria-invalid="true"`));

    // First the confirmation: what ends and what is pending, nothing ended yet.
    const confirm = await procurementPages.post(`/procurement/agreements/${partnershipId}/employee-rates/${rate.id}/end`).type('form').send({ _csrf: csrfOf(listed.text), validTo: '2026-11-15' }).expect(200);
    expect(confirm.text).toContain('Timeprisen 312,50 kr. for medarbejder KJ, gældende fra 2026-01-01, afsluttes med sidste dag 2026-11-15.');
    expect(confirm.text).toContain('Sessioner efter 2026-11-15 kan ikke registreres på medarbejderen');
    expect(confirm.text).toContain('name="confirm" value="yes"');
    expect((await t.http.get(api).set(bearer(procurement.token)).expect(200)).body[0].validTo).toBeNull();
    await procurementPages.post(`/procurement/agreements/${partnershipId}/employee-rates/${rate.id}/end`).type('form').send({ _csrf: csrfOf(confirm.text), validTo: '2026-11-15', confirm: 'yes' }).expect(303);
    expect((await t.http.get(api).set(bearer(procurement.token)).expect(200)).body[0].validTo).toBe('2026-11-15');
    expect((await auditActions(t, admin, 'agreement', partnershipId)).map((e) => e.action)).toEqual(expect.arrayContaining(['employee_rate.added', 'employee_rate.ended']));

    const english = await procurementPages.get(`/procurement/agreements/${partnershipId}?lang=en`).expect(200);
    expect(english.text).toContain('Rates per employee (frikøb)');
    // A framework agreement has no such section.
    const framework = await makeAgreement(t, (await makeSupplierViaApi(t)).id);
    expect((await procurementPages.get(`/procurement/agreements/${framework.id}`).expect(200)).text).not.toContain('id="employee-rates"');
  });

  it('lets the partner company name the employee on an hour registration, refused beside the field without a rate', async () => {
    await t.http.post(`/api/v1/agreements/${partnershipId}/employee-rates`).set(bearer(procurement.token)).send({ employeeRef: 'AB', rateOre: 30_000, validFrom: '2026-11-01' }).expect(201);
    const partnerPages = await signIn(partnerUser);
    const page = await partnerPages.get('/supplier/hours?month=2026-11').expect(200);
    expect(page.text).toContain('id="h-employee" name="employeeRef"');
    const session = { grantId: companyGrantId, date: '2026-11-18', minutes: '30', contactForm: 'in_person' };
    const missing = await partnerPages.post('/supplier/hours').type('form').send({ _csrf: csrfOf(page.text), ...session, employeeRef: 'ZZ' }).expect(422);
    expect(missing.text).toMatch(/id="h-employee" name="employeeRef"[^>]*value="ZZ" aria-invalid="true" aria-describedby="h-employee-error h-employee-hint"/);
    expect(missing.text).toContain('<p class="field-error" id="h-employee-error">Medarbejderen ZZ har ingen timepris på aftalen den 2026-11-18.');
    await partnerPages.post('/supplier/hours').type('form').send({ _csrf: csrfOf(missing.text), ...session, employeeRef: 'AB' }).expect(303);
    await partnerPages.post('/supplier/hours').type('form').send({ _csrf: csrfOf(missing.text), ...session, date: '2026-11-19', employeeRef: '' }).expect(303);
    const month = (await t.http.get('/api/v1/hour-registrations/2026-11').set(bearer(partnerUser.token)).expect(200)).body;
    const lines = (month.lines ?? month.invoice?.lines) as Array<{ date: string; rateOre: number }>;
    expect(lines.map((line) => [line.date, line.rateOre])).toEqual([
      ['2026-11-18', 30_000],
      ['2026-11-19', 25_000],
    ]);
  });

  describe('an internal supplier', () => {
    let internal: SupplierWithGrants;
    let financePages: Agent;

    beforeAll(async () => {
      internal = await supplierWithGrants(t, { a: { minutesPerWeek: 120 } }, { kind: 'internal' });
      const invoice = await t.http
        .post('/api/v1/invoices')
        .set(bearer(internal.user.token))
        .send(
          invoiceBody([
            { grantReference: internal.grants.a.reference, date: '2026-10-05', minutes: 60 },
            { grantReference: internal.grants.a.reference, date: '2026-10-13', minutes: 45 },
          ]),
        )
        .expect(201);
      await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
      financePages = await signIn(finance);
    });

    it('has its statement labelled an internal settlement without VAT, on the pages, in the API and in the PDF', async () => {
      await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2026-10', kind: 'build' }).expect(202);
      await t.app.get(JobQueue).drain();
      const [statement] = (await t.http.get('/api/v1/statements').query({ month: '2026-10', supplierId: internal.supplierId }).set(bearer(finance.token)).expect(200)).body;
      // 60 + 45 minutes at 450 kr./hour: 787.50 kr., no VAT.
      expect(statement).toMatchObject({ internal: true, netOre: 78_750, vatOre: 0, totalOre: 78_750 });

      const listing = await financePages.get('/finance/statements').query({ month: '2026-10' }).expect(200);
      expect(listing.text).toContain('Intern afregning');
      expect(listing.text).toContain('Uden moms');
      const own = await (await signIn(internal.user)).get('/supplier/statements').expect(200);
      expect(own.text).toContain('Intern afregning');

      const pdf = await t.http.get(`/api/v1/statements/${statement.id}.pdf`).set(bearer(finance.token)).buffer(true).parse(binary).expect(200);
      const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf.body as Buffer }).toString().replace(/\s+/g, ' ');
      expect(text).toContain('Intern afregning · Afregningsoversigt · Kladde');
      expect(text).toContain('afregnes internt mellem forvaltningerne uden moms og sendes ikke som e-faktura');
      expect(text).toContain('787,50');
      expect(text).not.toMatch(/Moms \d+ % af/);

      // Another supplier's statement is not labelled.
      const company = await supplierWithGrants(t, { b: { minutesPerWeek: 60 } });
      const invoice = await t.http.post('/api/v1/invoices').set(bearer(company.user.token)).send(invoiceBody([{ grantReference: company.grants.b.reference, date: '2026-10-06', minutes: 60 }])).expect(201);
      await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve`).set(bearer(finance.token)).send({}).expect(200);
      await t.http.post('/api/v1/billing-runs').set(bearer(finance.token)).send({ month: '2026-10', kind: 'build' }).expect(202);
      await t.app.get(JobQueue).drain();
      const [external] = (await t.http.get('/api/v1/statements').query({ month: '2026-10', supplierId: company.supplierId }).set(bearer(finance.token)).expect(200)).body;
      expect(external.internal).toBe(false);
      const externalPdf = await t.http.get(`/api/v1/statements/${external.id}.pdf`).set(bearer(finance.token)).buffer(true).parse(binary).expect(200);
      expect(execFileSync('pdftotext', ['-layout', '-', '-'], { input: externalPdf.body as Buffer }).toString()).not.toContain('Intern afregning');
    });

    it('spends an ad-hoc purchase linked to its grant by the approved deliveries on it, shown against its amount', async () => {
      const propose = (body: Record<string, unknown>) =>
        t.http
          .post('/api/v1/ad-hoc-purchases')
          .set(bearer(caseworker.token))
          .send({ supplierId: internal.supplierId, caseNumber: '2026-004711', description: 'Ekstra forløb i afdelingen', amountOre: 100_000, ...body });
      const linked = (await propose({ grantId: internal.grants.a.id }).expect(201)).body;
      expect(linked).toMatchObject({ grantId: internal.grants.a.id, grantReference: internal.grants.a.reference, amountOre: 100_000, spentOre: 78_750, leftOre: 21_250 });
      expect((await t.http.get(`/api/v1/ad-hoc-purchases/${linked.id}`).set(bearer(leader.token)).expect(200)).body).toMatchObject({ spentOre: 78_750, leftOre: 21_250 });
      const unlinked = (await propose({}).expect(201)).body;
      expect(unlinked).toMatchObject({ grantId: null, spentOre: null, leftOre: null });

      // Another supplier's grant, or none at all: refused, nothing stored.
      const before = Number((await t.dataSource.query(`SELECT count(*) AS n FROM ad_hoc_purchase`))[0].n);
      const foreign = await propose({ grantId: companyGrantId }).expect(422);
      expect(foreign.body.details[0]).toMatchObject({ field: 'grantId', rule: 'ad_hoc_grant_supplier' });
      await propose({ grantId: '00000000-0000-4000-8000-000000000000' }).expect(422);
      expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM ad_hoc_purchase`))[0].n)).toBe(before);

      const page = await caseworkerPages.get('/ad-hoc-purchases').expect(200);
      expect(page.text).toContain(`<a href="/grants/${internal.grants.a.id}">${internal.grants.a.reference}</a>`);
      expect(page.text).toContain('787,50 kr. af 1.000,00 kr.');
      expect(page.text).toContain('212,50 kr. tilbage');
      const unknown = await caseworkerPages
        .post('/ad-hoc-purchases')
        .type('form')
        .send({ _csrf: csrfOf(page.text), supplierId: internal.supplierId, caseNumber: '2026-004712', description: 'Forløb', amountKr: '500', grantReference: 'MS-2026-999999' })
        .expect(422);
      expect(unknown.text).toMatch(/id="a-grant" name="grantReference"[^>]*aria-invalid="true" aria-describedby="a-grant-error a-grant-hint"/);
      expect(unknown.text).toContain('<p class="field-error" id="a-grant-error">');
      await caseworkerPages
        .post('/ad-hoc-purchases')
        .type('form')
        .send({ _csrf: csrfOf(unknown.text), supplierId: internal.supplierId, caseNumber: '2026-004712', description: 'Forløb', amountKr: '500', grantReference: internal.grants.a.reference })
        .expect(303);
      const english = await caseworkerPages.get('/ad-hoc-purchases?lang=en').expect(200);
      expect(english.text).toContain('Spent');
      expect(companyId).toBeDefined();
    });
  });
});
