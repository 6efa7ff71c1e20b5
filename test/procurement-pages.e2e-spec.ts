import request from 'supertest';
import { makeAgreement, makeSupplierViaApi, procurementUser } from './support/factories';
import { makeUser, startTestApp, validCvr, type TestApp } from './support/test-app';

type Agent = ReturnType<typeof request.agent>;

function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)![1];
}

describe('procurement pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function signIn(email: string, password: string): Promise<Agent> {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email, password, next: '/' }).expect(303);
    return agent;
  }

  async function signInProcurement(): Promise<Agent> {
    const user = await procurementUser(t);
    return signIn(user.email, user.password);
  }

  /** Fetches a page for its CSRF token, then posts the form with it. */
  async function submit(agent: Agent, page: string, action: string, fields: Record<string, string | string[]>, status: number) {
    const token = csrfOf((await agent.get(page).expect(200)).text);
    return agent.post(action).type('form').send({ _csrf: token, ...fields }).expect(status);
  }

  it('lists suppliers and creates one through the form', async () => {
    const existing = await makeSupplierViaApi(t);
    const agent = await signInProcurement();
    const list = await agent.get('/procurement/suppliers').expect(200);
    expect(list.text).toContain(existing.name);
    expect(list.text).toContain(existing.cvr);

    const cvr = validCvr();
    const created = await submit(agent, '/procurement/suppliers', '/procurement/suppliers', {
      name: 'Formular Mentor ApS',
      cvr,
      gln: '',
      kind: 'mentor_supplier',
      contactEmail: 'kontakt@formular.dk',
      contactPhone: '12 34 56 78',
      address: 'Torvet 1',
      postalCode: '3200',
      city: 'Helsinge',
    }, 303);
    expect(created.headers.location).toBe('/procurement/suppliers?notice=created');
    const after = await agent.get(created.headers.location).expect(200);
    expect(after.text).toContain('Leverandøren er oprettet.');
    expect(after.text).toContain('Formular Mentor ApS');
    expect(after.text).toContain(cvr);
    const rows = await t.dataSource.query(`SELECT contact_phone, city FROM supplier WHERE cvr = $1`, [cvr]);
    expect(rows).toEqual([{ contact_phone: '12 34 56 78', city: 'Helsinge' }]);
  });

  it('shows a wrong CVR as a field error (422) and stores nothing', async () => {
    const agent = await signInProcurement();
    const response = await submit(agent, '/procurement/suppliers', '/procurement/suppliers', { name: 'Forkert CVR ApS', cvr: '12345678', kind: 'mentor_supplier' }, 422);
    expect(response.text).toContain('Leverandøren kunne ikke oprettes.');
    expect(response.text).toContain('<a href="#s-cvr">CVR-nummer</a>: skal være 8 cifre med et gyldigt kontrolciffer (modulus 11).');
    // Beside the field too: marked invalid and pointing at its message.
    expect(response.text).toContain('aria-invalid="true" aria-describedby="s-cvr-error s-cvr-hint"');
    expect(response.text).toContain('<p class="field-error" id="s-cvr-error">skal være 8 cifre med et gyldigt kontrolciffer (modulus 11).</p>');
    expect(response.text).toContain('value="Forkert CVR ApS"');
    expect(await t.dataSource.query(`SELECT 1 FROM supplier WHERE name = 'Forkert CVR ApS'`)).toHaveLength(0);
  });

  it('creates a framework agreement through the form, with the ceiling in kroner', async () => {
    const supplier = await makeSupplierViaApi(t);
    const agent = await signInProcurement();
    const response = await submit(agent, '/procurement/agreements', '/procurement/agreements', {
      kind: 'framework',
      supplierId: supplier.id,
      reference: 'RA-FORM-1',
      title: 'Rammeaftale fra formularen',
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      mentorTypes: ['retention', 'holistic'],
      vatPercent: '25',
      ceilingKr: '1.500.000,50',
      defaultHoursPerWeek: '',
      defaultRateKr: '',
    }, 303);
    const [row] = await t.dataSource.query(`SELECT id, ceiling_ore, mentor_types, vat_rate_basis_points FROM agreement WHERE reference = 'RA-FORM-1'`);
    expect(Number(row.ceiling_ore)).toBe(150000050);
    expect(row.vat_rate_basis_points).toBe(2500);
    expect(response.headers.location).toBe(`/procurement/agreements/${row.id}?notice=created`);
    const detail = await agent.get(response.headers.location).expect(200);
    expect(detail.text).toContain('Aftalen er oprettet.');
    expect(detail.text).toContain('1.500.000,50 kr.');
    const list = await agent.get('/procurement/agreements').expect(200);
    expect(list.text).toContain('RA-FORM-1');
    expect(list.text).toContain(supplier.name);
    expect(list.text).toContain('<meter min="0" max="100" low="80" high="90" optimum="0" value="0"');
  });

  it('refuses a ceiling that is not kroner and a partnership with the wrong supplier kind, on the page', async () => {
    const supplier = await makeSupplierViaApi(t);
    const agent = await signInProcurement();
    const badAmount = await submit(agent, '/procurement/agreements', '/procurement/agreements', {
      kind: 'framework', supplierId: supplier.id, reference: 'RA-FORM-BAD', title: 'X', validFrom: '2026-01-01', validTo: '2026-12-31', mentorTypes: 'retention', vatPercent: '25', ceilingKr: '1500.5',
    }, 422);
    expect(badAmount.text).toContain('<a href="#a-ceiling">Loft i kr. (ekskl. moms)</a>: skal være et beløb i kroner');
    const wrongKind = await submit(agent, '/procurement/agreements', '/procurement/agreements', {
      kind: 'partnership', supplierId: supplier.id, reference: 'PA-FORM-BAD', title: 'X', validFrom: '2026-01-01', validTo: '2026-12-31', mentorTypes: 'company', vatPercent: '25', defaultHoursPerWeek: '2,5', defaultRateKr: '250',
    }, 422);
    expect(wrongKind.text).toContain('Aftalen kunne ikke oprettes.');
    expect(wrongKind.text).toContain('Leverandøren er af typen »Mentorleverandør«, som ikke passer til aftaletypen »Partnerskabsaftale«');
    expect(await t.dataSource.query(`SELECT 1 FROM agreement WHERE reference IN ('RA-FORM-BAD', 'PA-FORM-BAD')`)).toHaveLength(0);
  });

  it('adds a rate through the form and shows it in Danish kroner; an overlapping rate is refused with the rule', async () => {
    const supplier = await makeSupplierViaApi(t);
    const agreement = await makeAgreement(t, supplier.id);
    const agent = await signInProcurement();
    const page = `/procurement/agreements/${agreement.id}`;
    const added = await submit(agent, page, `${page}/rates`, { mentorType: 'retention', serviceLevel: '2', validFrom: '2026-01-01', validTo: '', rateKr: '1.250,50' }, 303);
    expect(added.headers.location).toBe(`${page}?notice=rate_added`);
    const detail = await agent.get(added.headers.location).expect(200);
    expect(detail.text).toContain('Timeprisen er tilføjet.');
    expect(detail.text).toContain('1.250,50 kr.');
    expect(detail.text).toContain('Indtil videre');

    const overlap = await submit(agent, page, `${page}/rates`, { mentorType: 'retention', serviceLevel: '2', validFrom: '2026-06-01', validTo: '', rateKr: '260' }, 422);
    expect(overlap.text).toContain('Timeprisen kunne ikke tilføjes.');
    expect(overlap.text).toContain('<a href="#r-from">Gælder fra</a>: Samme mentortype og serviceniveau har allerede en timepris på 1.250,50 kr. fra 2026-01-01, og perioderne overlapper.');
    expect(await t.dataSource.query(`SELECT 1 FROM agreement_rate WHERE agreement_id = $1`, [agreement.id])).toHaveLength(1);
  });

  it('previews a price regulation with what will change, stores nothing until it is applied, and refuses one on an ended agreement', async () => {
    const supplier = await makeSupplierViaApi(t);
    const agreement = await makeAgreement(t, supplier.id);
    const agent = await signInProcurement();
    const page = `/procurement/agreements/${agreement.id}`;
    await submit(agent, page, `${page}/rates`, { mentorType: 'retention', serviceLevel: '1', validFrom: '2026-01-01', validTo: '', rateKr: '450' }, 303);
    const preview = await submit(agent, page, `${page}/price-regulations/preview`, { effectiveFrom: '2027-01-01', percent: '3,1' }, 200);
    expect(preview.text).toContain('Prisreguleringen på 3,1 % fra 2027-01-01 ændrer følgende timepriser. Intet er gemt endnu.');
    expect(preview.text).toContain('450,00 kr.');
    expect(preview.text).toContain('463,95 kr.');
    expect(preview.text).toContain('2026-12-31');
    expect(preview.text).toContain('name="percent" value="3.1"');
    const rates = () => t.dataSource.query(`SELECT valid_from::text, valid_to::text, rate_ore::int FROM agreement_rate WHERE agreement_id = $1 ORDER BY valid_from`, [agreement.id]);
    expect(await rates()).toEqual([{ valid_from: '2026-01-01', valid_to: null, rate_ore: 45_000 }]);
    const token = csrfOf(preview.text);
    const applied = await agent.post(`${page}/price-regulations`).type('form').send({ _csrf: token, effectiveFrom: '2027-01-01', percent: '3.1' }).expect(303);
    expect(applied.headers.location).toBe(`${page}?notice=regulated`);
    expect((await agent.get(applied.headers.location).expect(200)).text).toContain('Prisreguleringen er gennemført.');
    expect(await rates()).toEqual([
      { valid_from: '2026-01-01', valid_to: '2026-12-31', rate_ore: 45_000 },
      { valid_from: '2027-01-01', valid_to: null, rate_ore: 46_395 },
    ]);

    const ended = await submit(agent, page, `${page}/price-regulations/preview`, { effectiveFrom: '2028-01-01', percent: '2' }, 422);
    expect(ended.text).toContain('Prisreguleringen kunne ikke gennemføres.');
    expect(ended.text).toContain('<a href="#reg-from">Reguleres fra</a>: Aftalen er udløbet eller ikke længere aktiv, så dens priser kan ikke reguleres fra 2028-01-01.');
    const english = await agent.get(`${page}?lang=en`).expect(200);
    expect(english.text).toContain('Price regulation');
    expect(english.text).toContain('Regulated from');
  });

  it('ends a rate from its row, and shows a gap it would leave as the rule', async () => {
    const supplier = await makeSupplierViaApi(t);
    const agreement = await makeAgreement(t, supplier.id);
    const agent = await signInProcurement();
    const page = `/procurement/agreements/${agreement.id}`;
    await submit(agent, page, `${page}/rates`, { mentorType: 'retention', serviceLevel: '1', validFrom: '2026-01-01', validTo: '2026-06-30', rateKr: '450' }, 303);
    await submit(agent, page, `${page}/rates`, { mentorType: 'retention', serviceLevel: '1', validFrom: '2026-07-01', validTo: '', rateKr: '460' }, 303);
    const [first, second] = (await t.dataSource.query(`SELECT id FROM agreement_rate WHERE agreement_id = $1 ORDER BY valid_from`, [agreement.id])) as Array<{ id: string }>;
    const ended = await submit(agent, page, `${page}/rates/${second.id}/end`, { validTo: '2027-12-31' }, 303);
    expect((await agent.get(ended.headers.location).expect(200)).text).toContain('Timeprisen er afsluttet.');
    const gap = await submit(agent, page, `${page}/rates/${first.id}/end`, { validTo: '2026-06-29' }, 422);
    expect(gap.text).toContain('Timeprisen kunne ikke afsluttes.');
    expect(gap.text).toContain('en timepris slutter 2026-06-29, men den næste begynder først 2026-07-01.');
  });

  it('flags a rate above a price cap from a later day on the agreement page, and shows each supplier’s price per level in the catalogue', async () => {
    const supplier = await makeSupplierViaApi(t);
    const agreement = await makeAgreement(t, supplier.id);
    const agent = await signInProcurement();
    const page = `/procurement/agreements/${agreement.id}`;
    await submit(agent, page, `${page}/rates`, { mentorType: 'retention', serviceLevel: '3', validFrom: '2026-01-01', validTo: '', rateKr: '450' }, 303);
    const procurement = await procurementUser(t);
    await request(t.app.getHttpServer()).post('/api/v1/price-caps').set('Authorization', `Bearer ${procurement.token}`).send({ mentorType: 'retention', serviceLevel: 3, validFrom: '2027-01-01', rateOre: 40_000 }).expect(201);
    expect((await agent.get(page).expect(200)).text).toContain('Over prisloftet på 400,00 kr. fra 2027-01-01; der betales højst prisloftet.');

    const entry = `/procurement/suppliers/${supplier.id}/catalogue`;
    await submit(agent, entry, entry, { mentorTypes: ['retention'], targetGroups: ['employed'], methods: 'Samtaler', mentorProfiles: 'Socialrådgivere', contact: 'kontakt@example.dk' }, 303);
    const catalogue = await agent.get('/catalogue').expect(200);
    expect(catalogue.text).toContain('Timepris pr. niveau i dag (ekskl. moms)');
    expect(catalogue.text).toContain('<li>Fastholdelsesmentor, niveau 3: 450,00 kr.</li>');
  });

  it('shows ceiling use from approved and pending amounts with the 80 % and 90 % marks', async () => {
    const supplier = await makeSupplierViaApi(t);
    const agreement = await makeAgreement(t, supplier.id, { ceilingOre: 1000000 });
    await t.dataSource.query(`INSERT INTO ceiling_ledger_entry (agreement_id, kind, pending_delta_ore, approved_delta_ore) VALUES ($1, 'opening', 250000, 600000)`, [agreement.id]);
    const agent = await signInProcurement();
    const warn = await agent.get(`/procurement/agreements/${agreement.id}`).expect(200);
    expect(warn.text).toContain('Brugt af loftet (godkendt og afventende): 85 %');
    expect(warn.text).toContain('6.000,00 kr.');
    expect(warn.text).toContain('2.500,00 kr.');
    expect(warn.text).toContain('8.500,00 kr.');
    expect(warn.text).toContain('Mindst 80 % af loftet er brugt.');
    await t.dataSource.query(`INSERT INTO ceiling_ledger_entry (agreement_id, kind, invoice_id, pending_delta_ore, approved_delta_ore) VALUES ($1, 'submitted', gen_random_uuid(), 250000, 0)`, [agreement.id]);
    const over = await agent.get(`/procurement/agreements/${agreement.id}`).expect(200);
    expect(over.text).toContain('110 %');
    expect(over.text).toContain('value="100"');
    expect(over.text).toContain('Mindst 90 % af loftet er brugt');
  });

  it('shows a supplier user only its own agreements and rate cards', async () => {
    const own = await makeSupplierViaApi(t);
    const other = await makeSupplierViaApi(t);
    const ownAgreement = await makeAgreement(t, own.id);
    const otherAgreement = await makeAgreement(t, other.id);
    const supplierUser = await makeUser(t, 'supplier', own.id);
    const agent = await signIn(supplierUser.email, supplierUser.password);
    const page = await agent.get('/supplier/agreements').expect(200);
    expect(page.text).toContain(ownAgreement.reference);
    expect(page.text).not.toContain(otherAgreement.reference);
    expect(page.text).not.toContain('<form method="post" action="/procurement');
    await agent.get('/procurement/agreements').set('Accept', 'text/html').expect(403);
    await agent.get(`/procurement/agreements/${ownAgreement.id}`).set('Accept', 'text/html').expect(403);
  });

  it('answers a caseworker with 403 on the procurement pages', async () => {
    const caseworker = await makeUser(t, 'caseworker');
    const agent = await signIn(caseworker.email, caseworker.password);
    const response = await agent.get('/procurement/suppliers').set('Accept', 'text/html').expect(403);
    expect(response.text).toContain('<html lang="da">');
    await agent.get('/supplier/agreements').set('Accept', 'text/html').expect(403);
  });

  it('edits a supplier’s catalogue entry through the form, linked from the supplier list', async () => {
    const supplier = await makeSupplierViaApi(t);
    const agent = await signInProcurement();
    const list = await agent.get('/procurement/suppliers').expect(200);
    expect(list.text).toContain(`href="/procurement/suppliers/${supplier.id}/catalogue"`);
    const page = `/procurement/suppliers/${supplier.id}/catalogue`;
    const empty = await agent.get(page).expect(200);
    expect(empty.text).toContain('Ikke skrevet endnu');
    expect(empty.text).toContain('id="c-tg-sickness_benefit"');

    const saved = await submit(agent, page, page, {
      mentorTypes: ['retention', 'holistic'],
      targetGroups: ['sickness_benefit', 'flex_job_benefit'],
      methods: 'Motiverende samtale\nIPS',
      mentorProfiles: 'Socialrådgivere med erfaring fra jobcenteret',
      contact: 'Mette, 12 34 56 78',
    }, 303);
    expect(saved.headers.location).toBe(`${page}?notice=saved`);
    const after = await agent.get(saved.headers.location).expect(200);
    expect(after.text).toContain('Katalogopslaget er gemt.');
    expect(after.text).toContain('id="c-mt-retention" name="mentorTypes" value="retention" checked');
    expect(after.text).not.toContain('value="company" checked');
    expect(after.text).toContain('id="c-tg-flex_job_benefit" name="targetGroups" value="flex_job_benefit" checked');
    expect(after.text).toContain('Socialrådgivere med erfaring fra jobcenteret</textarea>');
    const [row] = await t.dataSource.query(`SELECT mentor_types, target_groups, methods, contact FROM supplier_catalogue_entry WHERE supplier_id = $1`, [supplier.id]);
    expect(row).toEqual({ mentor_types: ['retention', 'holistic'], target_groups: ['sickness_benefit', 'flex_job_benefit'], methods: 'Motiverende samtale\nIPS', contact: 'Mette, 12 34 56 78' });

    // Unticking everything and clearing a text is a valid entry; an unknown mentor type is refused on the page.
    await submit(agent, page, page, { methods: '', mentorProfiles: 'Kun profiler', contact: '' }, 303);
    const [cleared] = await t.dataSource.query(`SELECT mentor_types, target_groups, methods FROM supplier_catalogue_entry WHERE supplier_id = $1`, [supplier.id]);
    expect(cleared).toEqual({ mentor_types: [], target_groups: [], methods: '' });
    const refused = await submit(agent, page, page, { mentorTypes: 'astrologer', methods: 'X', mentorProfiles: 'Y', contact: 'Z' }, 422);
    expect(refused.text).toContain('<strong>Mentortyper</strong>: har en værdi, der ikke kan vælges.');
    expect(refused.text).toContain('>X</textarea>');
    await agent.get('/procurement/suppliers/00000000-0000-4000-8000-000000000000/catalogue').set('Accept', 'text/html').expect(404);
  });

  it('shows the caseworker the mentor catalogue of active suppliers, filtered by mentor type and target group', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const holistic = await makeSupplierViaApi(t, { name: `Helhed ${suffix} ApS` });
    const retention = await makeSupplierViaApi(t, { name: `Fasthold ${suffix} ApS` });
    const inactive = await makeSupplierViaApi(t, { name: `Lukket ${suffix} ApS` });
    const procurement = await signInProcurement();
    const write = (id: string, fields: Record<string, string | string[]>) =>
      submit(procurement, `/procurement/suppliers/${id}/catalogue`, `/procurement/suppliers/${id}/catalogue`, { methods: 'Metode', mentorProfiles: 'Profil', contact: 'Kontakt', ...fields }, 303);
    await write(holistic.id, { mentorTypes: 'holistic', targetGroups: ['sickness_benefit', 'resource_course'], methods: `Helhedsmetode ${suffix}` });
    await write(retention.id, { mentorTypes: 'retention', targetGroups: 'employed', contact: `Ring til Jens ${suffix}` });
    await write(inactive.id, { mentorTypes: 'holistic', targetGroups: 'sickness_benefit' });
    await t.dataSource.query(`UPDATE supplier SET active = false WHERE id = $1`, [inactive.id]);

    const caseworker = await makeUser(t, 'caseworker');
    const agent = await signIn(caseworker.email, caseworker.password);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('href="/catalogue"');
    const all = await agent.get('/catalogue').expect(200);
    expect(all.text).toContain('<h1>Mentorkatalog</h1>');
    expect(all.text).toContain(holistic.name);
    expect(all.text).toContain(retention.name);
    expect(all.text).not.toContain(inactive.name);
    expect(all.text).toContain(`Helhedsmetode ${suffix}`);
    expect(all.text).toContain(`Ring til Jens ${suffix}`);
    expect(all.text).toContain('Sygedagpengemodtager');
    expect(all.text).toContain('Mentorleverandør');

    const byType = await agent.get('/catalogue?mentorType=holistic&targetGroup=').expect(200);
    expect(byType.text).toContain(holistic.name);
    expect(byType.text).not.toContain(retention.name);
    expect(byType.text).toContain('<option value="holistic" selected>');
    const byGroup = await agent.get('/catalogue?mentorType=&targetGroup=employed').expect(200);
    expect(byGroup.text).toContain(retention.name);
    expect(byGroup.text).not.toContain(holistic.name);
    const none = await agent.get('/catalogue?mentorType=retention&targetGroup=sickness_benefit').expect(200);
    expect(none.text).not.toContain(holistic.name);
    expect(none.text).not.toContain(retention.name);
    expect(none.text).toContain('Ingen leverandører matcher filteret.');
    const bad = await agent.get('/catalogue?mentorType=astrologer').expect(422);
    expect(bad.text).toContain('<a href="#f-type">Mentortype</a>: har en værdi, der ikke kan vælges.');
    const english = await agent.get('/catalogue?lang=en&targetGroup=employed').expect(200);
    expect(english.text).toContain('<h1>Mentor catalogue</h1>');
    expect(english.text).toContain('In ordinary employment');
    // The caseworker may read the catalogue but not edit it.
    await agent.get(`/procurement/suppliers/${holistic.id}/catalogue`).set('Accept', 'text/html').expect(403);
  });

  it('answers a supplier user with 403 on the mentor catalogue', async () => {
    const supplier = await makeSupplierViaApi(t);
    const supplierUser = await makeUser(t, 'supplier', supplier.id);
    const agent = await signIn(supplierUser.email, supplierUser.password);
    const home = await agent.get('/').expect(200);
    expect(home.text).not.toContain('href="/catalogue"');
    await agent.get('/catalogue').set('Accept', 'text/html').expect(403);
    await agent.get(`/procurement/suppliers/${supplier.id}/catalogue`).set('Accept', 'text/html').expect(403);
  });

  it('renders the pages in English', async () => {
    const agent = await signInProcurement();
    const response = await agent.get('/procurement/agreements?lang=en').expect(200);
    expect(response.text).toContain('<html lang="en">');
    expect(response.text).toContain('Create agreement');
  });
});
