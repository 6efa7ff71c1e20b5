import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { Clock } from '../src/common/time/clock';
import { NotificationRelay } from '../src/notifications/notification-relay.service';
import { RemindersService } from '../src/notifications/reminders.service';
import { auditActions, makeAgreement, makeSupplierViaApi } from './support/factories';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { smallPdf } from './support/pdf';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';

/** An agreement through its term, on 2026-11-20: edits with history, termination, expiry warnings, documents and supervision. */
describe('the term of an agreement', () => {
  let t: TestApp;
  let admin: TestUser;
  let procurement: TestUser;
  let caseworker: TestUser;
  let mentor: SupplierWithGrants;
  let otherSupplierUser: TestUser;

  const post = (path: string, body: object, user = procurement) => t.http.post(path).set(bearer(user.token)).send(body);
  const count = async (table: string) => Number((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
  const grantBody = (citizenId: string, agreementId: string, start: string, end: string) => ({
    citizenId,
    agreementId,
    mentorType: 'retention',
    serviceLevel: 1,
    minutesPerWeek: 60,
    start,
    end,
    goal: 'Fastholdelse i job',
    tasks: 'Samtaler',
    mentorName: 'Mette Mentor',
    mentorPhone: '12345678',
  });
  const newCitizen = async () =>
    (
      await post(
        '/api/v1/citizens',
        { cpr: `${String(10 + (randomBytes(1)[0] % 18)).padStart(2, '0')}0385-${String(1000 + (randomBytes(2).readUInt16BE() % 8999))}`, name: 'Borger Term', caseNumber: `J-${randomBytes(3).toString('hex')}`, targetGroup: 'sickness_benefit' },
        caseworker,
      ).expect(201)
    ).body.id as string;

  beforeAll(async () => {
    t = await startTestApp({ redis: false, env: { BUSINESS_DATE: '2026-11-20' } });
    admin = await makeUser(t, 'admin');
    procurement = await makeUser(t, 'procurement');
    caseworker = await makeUser(t, 'caseworker');
    mentor = await supplierWithGrants(t, { running: { start: '2026-09-01', end: '2027-02-28' } });
    otherSupplierUser = await makeUser(t, 'supplier', (await makeSupplierViaApi(t)).id);
  });
  afterAll(() => t.close());

  it('edits the title, contacts, mentor types and ceiling, keeps each change in the history, and uses an extension option', async () => {
    const agreement = await makeAgreement(t, mentor.supplierId, { ceilingOre: 100_000_00, extensionOptions: 1, extensionMonths: 12 });
    await t.http
      .patch(`/api/v1/agreements/${agreement.id}`)
      .set(bearer(procurement.token))
      .send({ title: 'Rammeaftale 2026-2027', contactName: 'Karin Kontrakt', contactEmail: 'karin@mentorhuset.dk', mentorTypes: ['retention'], ceilingOre: 120_000_00 })
      .expect(200);
    await t.http.patch(`/api/v1/agreements/${agreement.id}`).set(bearer(procurement.token)).send({ contactPhone: '70203040' }).expect(200);
    await post(`/api/v1/agreements/${agreement.id}/use-extension`, {}).expect(200);
    const history = (await t.http.get(`/api/v1/agreements/${agreement.id}/history`).set(bearer(procurement.token)).expect(200)).body as Array<{ action: string; change: unknown; actorLabel: string }>;
    expect(history.map((h) => [h.action, h.change, h.actorLabel])).toEqual([
      [
        'edited',
        {
          title: { from: 'Rammeaftale om mentorstøtte', to: 'Rammeaftale 2026-2027' },
          contactName: { from: null, to: 'Karin Kontrakt' },
          contactEmail: { from: null, to: 'karin@mentorhuset.dk' },
          mentorTypes: { from: ['retention', 'holistic'], to: ['retention'] },
          ceilingOre: { from: 100_000_00, to: 120_000_00 },
        },
        procurement.email,
      ],
      ['edited', { contactPhone: { from: null, to: '70203040' } }, procurement.email],
      ['extended', { validTo: { from: '2027-12-31', to: '2028-12-31' }, extensionsUsed: { from: 0, to: 1 } }, procurement.email],
    ]);
    // The history is append-only in the database itself.
    await expect(t.dataSource.query(`DELETE FROM agreement_history WHERE agreement_id = $1`, [agreement.id])).rejects.toThrow(/append-only/);
    expect((await auditActions(t, admin, 'agreement', agreement.id)).map((e) => e.action)).toEqual(['agreement.extended', 'agreement.updated', 'agreement.updated', 'agreement.created']);
    // Its supplier reads the history of its own agreement; another supplier learns nothing.
    await t.http.get(`/api/v1/agreements/${agreement.id}/history`).set(bearer(mentor.user.token)).expect(200);
    await t.http.get(`/api/v1/agreements/${agreement.id}/history`).set(bearer(otherSupplierUser.token)).expect(404);
  });

  it('refuses an edit of an agreement that has ended, naming the rule, and stores nothing', async () => {
    const ended = await makeAgreement(t, mentor.supplierId, { validFrom: '2025-01-01', validTo: '2025-12-31' });
    const response = await t.http.patch(`/api/v1/agreements/${ended.id}`).set(bearer(procurement.token)).send({ title: 'For sent' }).expect(422);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'validTo', rule: 'agreement_ended', values: { reference: ended.reference, validTo: '2025-12-31' } })]);
    expect((await t.http.get(`/api/v1/agreements/${ended.id}`).set(bearer(procurement.token))).body.title).toBe('Rammeaftale om mentorstøtte');
    expect(await t.dataSource.query(`SELECT 1 FROM agreement_history WHERE agreement_id = $1`, [ended.id])).toHaveLength(0);
  });

  it('terminates with a date and a reason after listing the running grants; no grant may start after it, and it takes no more changes', async () => {
    const path = `/api/v1/agreements/${mentor.agreementId}/terminate`;
    const before = await post(path, { terminatedOn: '2025-12-31', reason: 'Misligholdelse' }).expect(422);
    expect(before.body.details).toEqual([expect.objectContaining({ field: 'terminatedOn', rule: 'termination_before_start', values: { terminatedOn: '2025-12-31', validFrom: '2026-01-01' } })]);
    const preview = await post(`${path}?preview=true`, { terminatedOn: '2026-12-31', reason: 'Misligholdelse af kontaktkravet' }).expect(200);
    expect(preview.body).toEqual({
      applied: false,
      terminatedOn: '2026-12-31',
      runningGrants: [{ id: mentor.grants.running.id, reference: mentor.grants.running.reference, status: 'active', start: '2026-09-01', end: '2027-02-28', endsAfterTermination: true }],
    });
    expect((await t.http.get(`/api/v1/agreements/${mentor.agreementId}`).set(bearer(procurement.token))).body.status).toBe('in_force');

    await post(path, { terminatedOn: '2026-12-31', reason: 'Misligholdelse af kontaktkravet' }).expect(201);
    const agreement = (await t.http.get(`/api/v1/agreements/${mentor.agreementId}`).set(bearer(procurement.token)).expect(200)).body;
    expect([agreement.status, agreement.terminatedOn, agreement.terminationReason]).toEqual(['terminated', '2026-12-31', 'Misligholdelse af kontaktkravet']);
    expect((await auditActions(t, admin, 'agreement', mentor.agreementId)).map((e) => e.action)).toContain('agreement.terminated');
    // Terminated once: a second termination is a conflict naming the states.
    const again = await post(path, { terminatedOn: '2026-12-15', reason: 'Igen' }).expect(409);
    expect(again.body.details).toEqual([expect.objectContaining({ rule: 'agreement_transition', values: { from: 'terminated', to: 'terminated' } })]);

    // A grant starting after the termination date is refused; one starting on it or before is not.
    const grantsBefore = await count('mentor_grant');
    const after = await post('/api/v1/grants', grantBody(await newCitizen(), mentor.agreementId, '2027-01-04', '2027-03-31'), caseworker).expect(422);
    expect(after.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'start', rule: 'agreement_terminated', values: { reference: agreement.reference, terminatedOn: '2026-12-31', start: '2027-01-04' } })]));
    expect(await count('mentor_grant')).toBe(grantsBefore);
    await post('/api/v1/grants', grantBody(await newCitizen(), mentor.agreementId, '2026-12-01', '2026-12-31'), caseworker).expect(201);

    // The running grant is paid up to the termination date: a session after it is not approvable.
    const invoice = await t.http
      .post('/api/v1/invoices')
      .set(bearer(mentor.user.token))
      .send(invoiceBody([{ grantReference: mentor.grants.running.reference, date: '2026-12-31', minutes: 45 }, { grantReference: mentor.grants.running.reference, date: '2027-01-04', minutes: 45 }]))
      .expect(201);
    // (Both lie after the business date 2026-11-20 too: date_in_future.)
    expect(invoice.body.lines.map((line: { findings: Array<{ code: string }> }) => line.findings.map((f) => f.code).sort())).toEqual([['date_in_future'], ['date_in_future', 'date_outside_agreement']]);

    // An edit or a price regulation of a terminated agreement is refused with nothing stored.
    const edit = await t.http.patch(`/api/v1/agreements/${mentor.agreementId}`).set(bearer(procurement.token)).send({ title: 'Ny titel' }).expect(422);
    expect(edit.body.details).toEqual([expect.objectContaining({ rule: 'agreement_terminated' })]);
    const rates = await count('agreement_rate');
    const regulation = await post(`/api/v1/agreements/${mentor.agreementId}/price-regulations`, { effectiveFrom: '2027-01-01', percent: '3.1' }).expect(422);
    expect(regulation.body.details).toEqual([expect.objectContaining({ rule: 'agreement_terminated' })]);
    expect(await count('agreement_rate')).toBe(rates);
  });

  it('refuses new agreements and grants for a deactivated supplier', async () => {
    const supplier = await supplierWithGrants(t, {});
    await t.http.patch(`/api/v1/suppliers/${supplier.supplierId}`).set(bearer(procurement.token)).send({ active: false }).expect(200);
    const agreement = await post('/api/v1/agreements', { kind: 'framework', supplierId: supplier.supplierId, reference: `RA-${randomBytes(3).toString('hex')}`, title: 'Ny', validFrom: '2026-01-01', validTo: '2026-12-31', mentorTypes: ['retention'] }).expect(422);
    expect(agreement.body.details).toEqual([expect.objectContaining({ field: 'supplierId', rule: 'supplier_deactivated' })]);
    const grant = await post('/api/v1/grants', grantBody(await newCitizen(), supplier.agreementId, '2026-12-01', '2027-02-28'), caseworker).expect(422);
    expect(grant.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'agreementId', rule: 'supplier_deactivated' })]));
    // Its agreement and running grants stay readable to staff (its users are shut out by the sign-in, as deactivation always did).
    await t.http.get(`/api/v1/agreements/${supplier.agreementId}`).set(bearer(procurement.token)).expect(200);
  });

  it('warns procurement 90, 60 and 30 days before an agreement runs out, once per mark', async () => {
    const agreement = await makeAgreement(t, mentor.supplierId, { validFrom: '2026-01-01', validTo: '2027-02-18' });
    const clock = t.app.get(Clock);
    const spy = jest.spyOn(clock, 'today');
    const events = async () =>
      ((await t.dataSource.query(`SELECT event_key AS key, payload FROM notification_event WHERE type = 'agreement.expiring' AND payload->>'agreementId' = $1 ORDER BY id`, [agreement.id])) as Array<{ key: string; payload: { daysLeft: number } }>).map(
        (e) => [e.key.split(':').slice(2).join(':'), e.payload.daysLeft],
      );
    try {
      for (const day of ['2026-11-19', '2026-11-20', '2026-11-20', '2026-11-21', '2026-12-20', '2027-01-01', '2027-01-19', '2027-01-19', '2027-02-18', '2027-02-19']) {
        spy.mockReturnValue(day);
        await t.app.get(RemindersService).run();
      }
    } finally {
      spy.mockRestore();
    }
    // 2026-11-20 is 90 days before 2027-02-18, 2026-12-20 60 days, 2027-01-19 30 days; 91 days before and after the end nothing.
    expect(await events()).toEqual([
      ['2027-02-18:90', 90],
      ['2027-02-18:60', 60],
      ['2027-02-18:30', 30],
    ]);
    // Procurement is told of each mark once, in the portal and by mail, in the user's language.
    await t.app.get(NotificationRelay).dispatchPending();
    await t.app.get(NotificationRelay).dispatchPending();
    const told = (await t.dataSource.query(
      `SELECT count(*)::int AS n FROM notification n JOIN notification_event e ON e.id = n.event_id WHERE n.user_id = $1 AND e.type = 'agreement.expiring' AND e.payload->>'agreementId' = $2`,
      [procurement.id, agreement.id],
    )) as Array<{ n: number }>;
    expect(told[0].n).toBe(3);
    const mails = (await t.dataSource.query(`SELECT subject FROM mail_outbox WHERE user_id = $1 AND subject LIKE $2 ORDER BY subject`, [procurement.id, `%${agreement.reference}%`])) as Array<{ subject: string }>;
    expect(mails.map((m) => m.subject)).toEqual([`Aftale ${agreement.reference} udløber om 30 dage`, `Aftale ${agreement.reference} udløber om 60 dage`, `Aftale ${agreement.reference} udløber om 90 dage`]);
  });

  it('stores a signed PDF with its SHA-256, gives it back unchanged, and refuses what is not a PDF or too large', async () => {
    const path = `/api/v1/agreements/${mentor.agreementId}/documents`;
    const pdf = await smallPdf();
    const upload = await t.http.post(path).set(bearer(procurement.token)).field('kind', 'signed_agreement').attach('file', pdf, { filename: 'underskrevet aftale.pdf', contentType: 'application/pdf' }).expect(201);
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(upload.body).toMatchObject({ kind: 'signed_agreement', fileName: 'underskrevet aftale.pdf', contentType: 'application/pdf', sizeBytes: pdf.length, sha256 });
    const download = await t.http.get(`${path}/${upload.body.id}`).set(bearer(mentor.user.token)).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['x-content-sha256']).toBe(sha256);
    expect(createHash('sha256').update(download.body as Buffer).digest('hex')).toBe(sha256);
    await t.http.get(`${path}/${upload.body.id}`).set(bearer(otherSupplierUser.token)).expect(404);
    await t.http.get(path).set(bearer(otherSupplierUser.token)).expect(404);
    expect(((await t.http.get(path).set(bearer(mentor.user.token)).expect(200)).body as unknown[]).length).toBe(1);

    const documents = await count('agreement_document');
    const contents = await count('agreement_document_content');
    const refused = async (file: Buffer, rule: string) => {
      const response = await t.http.post(path).set(bearer(procurement.token)).field('kind', 'other').attach('file', file, { filename: 'x.pdf', contentType: 'application/pdf' }).expect(422);
      expect(response.body.details).toEqual([expect.objectContaining({ field: 'file', rule })]);
    };
    await refused(Buffer.from('Dette er ikke en PDF'), 'document_not_pdf');
    await refused(Buffer.from('%PDF-1.7\nmen resten er ikke en PDF'), 'document_not_pdf');
    await refused(Buffer.from('%PDF-1.7\nmen resten er ikke en PDF\n%%EOF\n'), 'document_not_pdf');
    await refused(Buffer.concat([pdf, Buffer.alloc(5 * 1024 * 1024)]), 'document_too_large');
    expect([await count('agreement_document'), await count('agreement_document_content')]).toEqual([documents, contents]);
  });

  it('records a supervision visit and a penalty, and refuses a follow-up before the visit', async () => {
    const path = `/api/v1/agreements/${mentor.agreementId}/supervision-visits`;
    const visit = await post(path, { visitedOn: '2026-11-10', findings: 'Mødelog mangler for to borgere', followUpOn: '2027-01-15' }).expect(201);
    expect(visit.body).toMatchObject({ visitedOn: '2026-11-10', findings: 'Mødelog mangler for to borgere', followUpOn: '2027-01-15' });
    const bad = await post(path, { visitedOn: '2026-11-10', findings: 'X', followUpOn: '2026-11-09' }).expect(422);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'followUpOn', rule: 'follow_up_before_visit' })]);
    expect(((await t.http.get(path).set(bearer(procurement.token)).expect(200)).body as unknown[]).length).toBe(1);
    const penalty = await post(`/api/v1/agreements/${mentor.agreementId}/penalties`, { imposedOn: '2026-11-15', amountOre: 5_000_00, reason: 'Statusrapporter for sent' }).expect(201);
    expect(penalty.body).toMatchObject({ imposedOn: '2026-11-15', amountOre: 500_000, reason: 'Statusrapporter for sent' });
    expect((await auditActions(t, admin, 'agreement', mentor.agreementId)).map((e) => e.action)).toEqual(expect.arrayContaining(['supervision_visit.recorded', 'agreement_penalty.recorded', 'agreement_document.attached']));
  });

  it('shows a committed volume’s use in the period and the KPIs measured from the deliveries', async () => {
    const committed = await supplierWithGrants(t, { a: { start: '2026-09-01', end: '2027-02-28', minutesPerWeek: 120 }, b: { start: '2026-09-01', end: '2027-02-28', minutesPerWeek: 120 } });
    await t.http.patch(`/api/v1/agreements/${committed.agreementId}`).set(bearer(procurement.token)).send({ committedMinutes: 400 * 60, commitmentPeriod: 'quarter' }).expect(200);
    const half = await t.http.patch(`/api/v1/agreements/${committed.agreementId}`).set(bearer(procurement.token)).send({ committedMinutes: null }).expect(422);
    expect(half.body.details).toEqual([expect.objectContaining({ field: 'committedMinutes', rule: 'commitment_whole' })]);
    await t.http
      .post('/api/v1/invoices')
      .set(bearer(committed.user.token))
      .send(
        invoiceBody([
          { grantReference: committed.grants.a.reference, date: '2026-09-30', minutes: 60 },
          { grantReference: committed.grants.a.reference, date: '2026-10-01', minutes: 90 },
          { grantReference: committed.grants.b.reference, date: '2026-12-31', minutes: 45 },
        ]),
      )
      .expect(201);
    const use = (on: string) => t.http.get(`/api/v1/agreements/${committed.agreementId}/commitment-use`).query({ on }).set(bearer(committed.user.token)).expect(200);
    // The fourth quarter of 2026 holds the 90 and 45 minutes, not the 60 of 30 September.
    expect((await use('2026-11-20')).body).toEqual({ commitment: { from: '2026-10-01', to: '2026-12-31', committedMinutes: 24_000, usedMinutes: 135, leftMinutes: 23_865, percent: 0 } });
    expect((await use('2026-08-01')).body.commitment).toEqual({ from: '2026-07-01', to: '2026-09-30', committedMinutes: 24_000, usedMinutes: 60, leftMinutes: 23_940, percent: 0 });
    await t.http.get(`/api/v1/agreements/${committed.agreementId}/commitment-use`).set(bearer(otherSupplierUser.token)).expect(404);
    // KPIs: 11 whole weeks (from the week of 2026-09-01 to the week of 2026-11-09) for each of the two grants; only the
    // week of 2026-09-28 had sessions (a's 30 September and 1 October); no follow-up was due yet (13 weeks: 2026-12-01).
    expect((await t.http.get(`/api/v1/agreements/${committed.agreementId}/kpis`).set(bearer(procurement.token)).expect(200)).body).toEqual({
      contactWeeks: 22,
      weeksWithContact: 1,
      contactPercent: 4,
      reportsDue: 0,
      reportsOnTime: 0,
      reportsOnTimePercent: null,
    });
    expect((await t.http.get(`/api/v1/agreements/${mentor.agreementId}/commitment-use`).set(bearer(procurement.token)).expect(200)).body).toEqual({ commitment: null });
  });

  it('settles an internal supplier without VAT or e-invoice', async () => {
    const internal = await makeSupplierViaApi(t, { kind: 'internal' });
    expect((await t.http.get(`/api/v1/suppliers/${internal.id}`).set(bearer(procurement.token)).expect(200)).body).toMatchObject({ kind: 'internal', vatRegistered: false });
    const agreement = await makeAgreement(t, internal.id, { mentorTypes: ['retention'] });
    expect(agreement.vatRateBasisPoints).toBe(0);
    const withVat = await post('/api/v1/agreements', { kind: 'framework', supplierId: internal.id, reference: `IA-${randomBytes(3).toString('hex')}`, title: 'Intern', validFrom: '2026-01-01', validTo: '2026-12-31', mentorTypes: ['retention'], vatRateBasisPoints: 2500 }).expect(422);
    expect(withVat.body.details).toEqual([expect.objectContaining({ field: 'vatRateBasisPoints', rule: 'internal_supplier_no_vat' })]);
    const gln = await t.http.patch(`/api/v1/suppliers/${internal.id}`).set(bearer(procurement.token)).send({ gln: '5790001234560', vatRegistered: true }).expect(422);
    expect(gln.body.details.map((d: { rule: string }) => d.rule).sort()).toEqual(['internal_supplier_no_einvoice', 'internal_supplier_no_vat']);
  });

  it('bounds an ad-hoc purchase by its spend limit and has it decided by a team leader other than the proposer', async () => {
    const teamLeader = await makeUser(t, 'team_leader');
    const body = { supplierId: mentor.supplierId, caseNumber: '2026-004711', description: 'Mentorstøtte i otte uger til én borger', amountOre: 100_000_00 };
    const before = await count('ad_hoc_purchase');
    const over = await post('/api/v1/ad-hoc-purchases', { ...body, amountOre: 100_000_01 }, caseworker).expect(422);
    expect(over.body.details).toEqual([expect.objectContaining({ field: 'amountOre', rule: 'ad_hoc_over_limit', values: { amountOre: 100_000_01, limitOre: 100_000_00 } })]);
    expect(await count('ad_hoc_purchase')).toBe(before);
    const proposed = (await post('/api/v1/ad-hoc-purchases', body, caseworker).expect(201)).body;
    expect(proposed).toMatchObject({ status: 'proposed', amountOre: 100_000_00 });
    await post(`/api/v1/ad-hoc-purchases/${proposed.id}/approve`, {}, caseworker).expect(403);
    const approved = await post(`/api/v1/ad-hoc-purchases/${proposed.id}/approve`, {}, teamLeader).expect(200);
    expect(approved.body.status).toBe('approved');
    const again = await post(`/api/v1/ad-hoc-purchases/${proposed.id}/refuse`, { reason: 'For sent' }, teamLeader).expect(409);
    expect(again.body.details).toEqual([expect.objectContaining({ rule: 'ad_hoc_purchase_transition', values: { from: 'approved', to: 'refused' } })]);
    expect((await auditActions(t, admin, 'ad_hoc_purchase', proposed.id)).map((e) => e.action)).toEqual(['ad_hoc_purchase.approved', 'ad_hoc_purchase.proposed']);
    await t.http.get(`/api/v1/ad-hoc-purchases/${proposed.id}`).set(bearer(mentor.user.token)).expect(200);
    await t.http.get(`/api/v1/ad-hoc-purchases/${proposed.id}`).set(bearer(otherSupplierUser.token)).expect(404);
  });
});
