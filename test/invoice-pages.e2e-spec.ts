import request from 'supertest';
import { AccessScope } from '../src/common/auth/access-scope';
import { addDays, mondayOf } from '../src/common/time/calendar-date';
import { formatKroner } from '../src/common/web/format';
import { systemActor } from '../src/common/actor';
import { UsersService } from '../src/identity/users.service';
import { GrantUsageService } from '../src/invoices/grant-usage.service';
import { parseCsvInvoice } from '../src/invoices/csv-invoice.parser';
import { procurementUser } from './support/factories';
import { invoiceBody, supplierWithGrants, type SupplierWithGrants } from './support/invoice-fixtures';
import { bearer, makeUser, startTestApp, type TestApp, type TestUser } from './support/test-app';
import { TEST_TODAY } from './support/test-env';

type Agent = ReturnType<typeof request.agent>;

function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)![1];
}

/** The form's line rows as the page names them: lines.N.grantId, lines.N.date … */
function lineFields(lines: Array<{ grantId: string; date: string; minutes: string; contactForm?: string; rateKr: string }>): Record<string, string> {
  const fields: Record<string, string> = { rows: '5' };
  for (let row = 1; row <= 5; row++) {
    const line = lines[row - 1];
    fields[`lines.${row}.grantId`] = line?.grantId ?? '';
    fields[`lines.${row}.date`] = line?.date ?? '';
    fields[`lines.${row}.minutes`] = line?.minutes ?? '';
    fields[`lines.${row}.contactForm`] = line?.contactForm ?? 'in_person';
    fields[`lines.${row}.rateKr`] = line?.rateKr ?? '';
  }
  return fields;
}

const invoiceIdOf = (location: string): string => /\/invoices\/([0-9a-f-]{36})/.exec(location)![1];

describe('invoice pages', () => {
  let t: TestApp;
  let mentor: SupplierWithGrants;
  let other: SupplierWithGrants;
  let partner: SupplierWithGrants;
  let financeUser: TestUser;
  let supplierAgent: Agent;
  let otherAgent: Agent;
  let partnerAgent: Agent;
  let finance: Agent;
  let finance2: Agent;
  let admin: Agent;
  let caseworker: Agent;
  const today = TEST_TODAY;

  async function signIn(user: { email: string; password: string }): Promise<Agent> {
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: user.email, password: user.password, next: '/' }).expect(303);
    return agent;
  }

  async function tokenFor(agent: Agent, path: string): Promise<string> {
    return csrfOf((await agent.get(path).expect(200)).text);
  }

  /** Submits the invoice form; answers the response (303 to the invoice, or the page again with its error). */
  async function submitForm(agent: Agent, fields: Record<string, string>, status: number) {
    return agent.post('/supplier/invoices/new').type('form').send({ _csrf: await tokenFor(agent, '/supplier/invoices/new'), ...fields }).expect(status);
  }

  beforeAll(async () => {
    t = await startTestApp({ redis: false });
    mentor = await supplierWithGrants(t, {
      a: { minutesPerWeek: 60 },
      b: { minutesPerWeek: 120 },
      c: {},
      // Current, so the week view of recent weeks shows it.
      w: { minutesPerWeek: 60, start: addDays(today, -35), end: addDays(today, 60) },
    });
    other = await supplierWithGrants(t, { x: {} });
    partner = await supplierWithGrants(t, { p: { minutesPerWeek: 60, mentorType: 'company' } }, { kind: 'partner_company', rateOre: 25_000 });
    financeUser = await makeUser(t, 'finance');
    const financeUser2 = await makeUser(t, 'finance');
    // The four-eyes block names the approvers.
    await t.app.get(UsersService).update(financeUser.id, { displayName: 'Økonomi Hansen' }, systemActor('test'));
    await t.app.get(UsersService).update(financeUser2.id, { displayName: 'Økonomi Jensen' }, systemActor('test'));
    [supplierAgent, otherAgent, partnerAgent, finance, finance2, admin, caseworker] = await Promise.all([
      signIn(mentor.user),
      signIn(other.user),
      signIn(partner.user),
      signIn(financeUser),
      signIn(financeUser2),
      makeUser(t, 'admin').then(signIn),
      makeUser(t, 'caseworker').then(signIn),
    ]);
  });
  afterAll(() => t.close());

  it('shows each role its own pages in the navigation and answers 403 on the others', async () => {
    const list = await supplierAgent.get('/supplier/invoices').expect(200);
    expect(list.text).toContain('href="/supplier/invoices" aria-current="page">Mine fakturaer</a>');
    expect(list.text).toContain('href="/supplier/hours">Timeregistrering</a>');
    await supplierAgent.get('/supplier/invoices/new').expect(200);
    const inbox = await finance.get('/finance/invoices').expect(200);
    expect(inbox.text).toContain('href="/finance/invoices" aria-current="page">Fakturaer til godkendelse</a>');
    expect(inbox.text).not.toContain('Mine fakturaer');
    await admin.get('/finance/invoices').expect(200);

    await supplierAgent.get('/finance/invoices').set('Accept', 'text/html').expect(403);
    await caseworker.get('/finance/invoices').set('Accept', 'text/html').expect(403);
    await finance.get('/supplier/invoices').set('Accept', 'text/html').expect(403);
    await finance.get('/supplier/invoices/new').set('Accept', 'text/html').expect(403);
    await finance.get('/supplier/hours').set('Accept', 'text/html').expect(403);
    await request(t.app.getHttpServer()).get('/supplier/invoices').set('Accept', 'text/html').expect(303).expect('Location', '/login?next=%2Fsupplier%2Finvoices');
  });

  it('offers only the supplier’s own active grants in the picker and counts used minutes per week', async () => {
    const lastMonday = addDays(mondayOf(today), -7);
    await t.http
      .post('/api/v1/invoices')
      .set(bearer(mentor.user.token))
      .send(invoiceBody([{ grantReference: mentor.grants.w.reference, date: lastMonday, minutes: 45 }, { grantReference: mentor.grants.w.reference, date: addDays(lastMonday, 2), minutes: 30 }], { issueDate: today }))
      .expect(201);
    const page = await supplierAgent.get('/supplier/invoices/new').expect(200);
    for (const grant of Object.values(mentor.grants)) expect(page.text).toContain(`<option value="${grant.id}">${grant.reference}</option>`);
    expect(page.text).not.toContain(other.grants.x.id);
    expect(page.text).not.toContain(other.grants.x.reference);
    // The week view: 75 of the 60 granted minutes last week, marked as over.
    const row = new RegExp(`<th scope="row" class="nowrap">${mentor.grants.w.reference}</th>[\\s\\S]*?</tr>`).exec(page.text)![0];
    expect(row).toContain('<td class="num over">75 af 60 <span class="flag">(over)</span></td>');
    expect(row).toContain('<td class="num">0 af 60</td>');
    expect(page.text).not.toContain('Borger ');
  });

  it('creates an invoice from the form with kroner read exactly, and shows each line’s findings in Danish', async () => {
    const response = await submitForm(supplierAgent, {
      invoiceNumber: 'PORTAL-1',
      issueDate: '2026-11-20',
      ...lineFields([
        { grantId: mentor.grants.a.id, date: '2026-10-05', minutes: '45', rateKr: '450' },
        { grantId: mentor.grants.a.id, date: '2026-10-07', minutes: '30', contactForm: 'phone', rateKr: '450,00' },
      ]),
    }, 303);
    expect(response.headers.location).toMatch(/^\/supplier\/invoices\/[0-9a-f-]{36}\?notice=created$/);
    const id = invoiceIdOf(response.headers.location);
    const stored = (await t.dataSource.query(`SELECT line_no, rate_ore, amount_ore, approvable_ore, contact_form FROM delivery WHERE invoice_id = $1 ORDER BY line_no`, [id])) as Array<Record<string, unknown>>;
    expect(stored).toEqual([
      { line_no: 1, rate_ore: '45000', amount_ore: '33750', approvable_ore: '33750', contact_form: 'in_person' },
      { line_no: 2, rate_ore: '45000', amount_ore: '22500', approvable_ore: '11250', contact_form: 'phone' },
    ]);

    const page = await supplierAgent.get(response.headers.location).expect(200);
    expect(page.text).toContain('Fakturaen er modtaget og kontrolleret.');
    expect(page.text).toContain('Uge 2026-W41: 75 minutter faktureret, 60 bevilget; 15 minutter kan ikke godkendes');
    expect(page.text).toContain('<dd class="amount" id="invoiced-amount">562,50 kr.</dd>');
    expect(page.text).toMatch(/<dd class="amount" id="approvable-amount">450,00 kr\. <span class="cut">\(112,50 kr\. kan ikke godkendes\)<\/span><\/dd>/);
    expect(page.text).toContain('Afventer godkendelse');
    expect(page.text).toContain('Telefon');

    const english = await supplierAgent.get(`/supplier/invoices/${id}?lang=en`).expect(200);
    expect(english.text).toContain('Week 2026-W41: 75 minutes invoiced, 60 granted');
    await supplierAgent.get('/supplier/invoices?lang=da').expect(200);

    // The same form again is the same invoice, not a second one.
    const again = await submitForm(supplierAgent, {
      invoiceNumber: 'PORTAL-1',
      issueDate: '2026-11-20',
      ...lineFields([
        { grantId: mentor.grants.a.id, date: '2026-10-05', minutes: '45', rateKr: '450' },
        { grantId: mentor.grants.a.id, date: '2026-10-07', minutes: '30', contactForm: 'phone', rateKr: '450,00' },
      ]),
    }, 303);
    expect(again.headers.location).toBe(`/supplier/invoices/${id}?notice=exists`);
  });

  it('re-renders the form with the fields named in Danish and stores nothing when it cannot be read', async () => {
    const before = Number(((await t.dataSource.query(`SELECT count(*) AS n FROM invoice`)) as Array<{ n: string }>)[0].n);
    const bad = await submitForm(supplierAgent, {
      invoiceNumber: 'PORTAL-BAD',
      issueDate: '2026-11-20',
      ...lineFields([
        { grantId: other.grants.x.id, date: '2026-10-05', minutes: '45', rateKr: '450' },
        { grantId: mentor.grants.b.id, date: '2026-10-06', minutes: '1,5', rateKr: '450.5' },
      ]),
    }, 422);
    expect(bad.text).toContain('Fakturaen kan ikke modtages');
    // The summary links to each field; each message sits beside its field, which points at it.
    expect(bad.text).toContain('<a href="#l1-grant">Linje 1 · Bevilling</a>: vælg en af jeres aktive bevillinger.');
    expect(bad.text).toContain('<a href="#l2-minutes">Linje 2 · Minutter</a>: skal være et helt antal minutter fra 1 til 1440.');
    expect(bad.text).toContain('<a href="#l2-rate">Linje 2 · Timepris</a>: skal være et beløb i kroner, fx 450 eller 450,50.');
    expect(bad.text).toContain('name="lines.2.minutes" inputmode="numeric" pattern="[0-9]*" size="5" value="1,5" aria-invalid="true" aria-describedby="l2-minutes-error">');
    expect(bad.text).toContain('<p class="field-error" id="l2-minutes-error">skal være et helt antal minutter fra 1 til 1440.</p>');
    expect(bad.text).toContain('aria-invalid="true" aria-describedby="l2-rate-error rate-hint"');
    expect(bad.text).not.toContain('id="l1-minutes" name="lines.1.minutes" inputmode="numeric" pattern="[0-9]*" size="5" value="45" aria-invalid');
    expect(bad.text).toContain('value="PORTAL-BAD"');
    expect(bad.text).toContain('value="450.5"');

    const empty = await submitForm(supplierAgent, { invoiceNumber: 'PORTAL-EMPTY', issueDate: '2026-11-20', ...lineFields([]) }, 422);
    expect(empty.text).toContain('<a href="#l1-grant">Linjer</a>: udfyld mindst én linje.');

    const future = await submitForm(supplierAgent, { invoiceNumber: 'PORTAL-FUTURE', issueDate: addDays(today, 3), ...lineFields([{ grantId: mentor.grants.b.id, date: '2026-10-06', minutes: '30', rateKr: '450' }]) }, 422);
    expect(future.text).toContain('<a href="#f-issue">Fakturadato</a>: ligger i fremtiden.');
    expect(future.text).toContain('<p class="field-error" id="f-issue-error">ligger i fremtiden.</p>');
    expect(Number(((await t.dataSource.query(`SELECT count(*) AS n FROM invoice`)) as Array<{ n: string }>)[0].n)).toBe(before);

    await supplierAgent.post('/supplier/invoices/new').type('form').set('Accept', 'text/html').send({ invoiceNumber: 'NO-TOKEN', issueDate: '2026-11-20', ...lineFields([]) }).expect(403);
  });

  it('adds rows by posting the form: what was typed stays, blank rates come from the rate card, and the total is computed', async () => {
    const fields = {
      invoiceNumber: 'MORE-ROWS',
      issueDate: '2026-11-20',
      ...lineFields([
        { grantId: mentor.grants.b.id, date: '2026-10-06', minutes: '90', rateKr: '' },
        { grantId: mentor.grants.c.id, date: '2026-10-07', minutes: '45', rateKr: '462,50', contactForm: 'phone' },
      ]),
    };
    const page = await supplierAgent.post('/supplier/invoices/new').type('form').send({ _csrf: await tokenFor(supplierAgent, '/supplier/invoices/new'), ...fields, action: 'add_rows' }).expect(200);
    expect(page.text).toContain('<input type="hidden" name="rows" value="10" id="f-rows">');
    expect(page.text).toContain('value="MORE-ROWS"');
    expect(page.text).toContain(`<option value="${mentor.grants.b.id}" selected>`);
    expect(page.text).toContain('id="l1-minutes" name="lines.1.minutes" inputmode="numeric" pattern="[0-9]*" size="5" value="90"');
    // Line 1's blank rate is the card's 450 kr. for the grant's level on its date; line 2's typed rate is kept.
    expect(page.text).toContain('id="l1-rate" name="lines.1.rateKr" inputmode="decimal" size="9" value="450"');
    expect(page.text).toContain('id="l2-rate" name="lines.2.rateKr" inputmode="decimal" size="9" value="462,50"');
    expect(page.text).toContain('<option value="phone" selected>');
    expect(page.text).toContain('id="l10-grant" name="lines.10.grantId"');
    expect(page.text).toContain('id="l6-grant" name="lines.6.grantId" autofocus');
    // 90 min × 450 kr. = 675,00 kr.; 45 min × 462,50 kr. = 346,875 → 346,88 kr.; in all 1.021,88 kr.
    expect(page.text).toContain('<output id="form-total" for="line-rows" aria-live="polite">1.021,88 kr.</output>');
    expect(await t.dataSource.query(`SELECT 1 FROM invoice WHERE invoice_number = 'MORE-ROWS'`)).toHaveLength(0);

    // The rows go on to the most a form carries, and then the button is gone.
    const full = await supplierAgent.post('/supplier/invoices/new').type('form').send({ _csrf: csrfOf(page.text), ...fields, rows: '28', action: 'add_rows' }).expect(200);
    expect(full.text).toContain('<input type="hidden" name="rows" value="30" id="f-rows">');
    expect(full.text).not.toContain('value="add_rows"');
  });

  it('offers a CSV template with the columns the CSV intake reads and one example row that it accepts', async () => {
    const template = await supplierAgent.get('/supplier/invoices/template.csv').expect(200);
    expect(template.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(template.headers['content-disposition']).toBe('attachment; filename="fakturalinjer-skabelon.csv"');
    const [header, example, end] = template.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toBe('bevilling;dato;minutter;timepris;kontaktform;transport;beskrivelse');
    expect(example).toMatch(/^MS-\d{4}-\d{6};\d{4}-\d{2}-\d{2};60;450;fremmøde;;Samtale om jobsøgning$/);
    expect(end).toBe('');
    const parsed = parseCsvInvoice(template.text, { invoiceNumber: 'T-1', issueDate: '2026-11-20', sellerCvr: '12345674' });
    expect(parsed).toMatchObject({ ok: true });
    await finance.get('/supplier/invoices/template.csv').expect(403);
  });

  it('takes a CSV upload with its invoice number and issue date, and an e-invoice as XML', async () => {
    const csv = `bevilling;dato;minutter;timepris;kontaktform\n${mentor.grants.c.reference};2026-10-12;60;450,00;fremmøde\n${mentor.grants.c.reference};2026-10-14;30;450,00;telefon\n`;
    const token = await tokenFor(supplierAgent, '/supplier/invoices/new');
    const response = await supplierAgent
      .post('/supplier/invoices/upload')
      .field('_csrf', token)
      .field('invoiceNumber', 'CSV-1')
      .field('issueDate', '2026-11-20')
      .attach('file', Buffer.from(`\uFEFF${csv}`), { filename: 'faktura.csv', contentType: 'application/vnd.ms-excel' })
      .expect(303);
    const page = await supplierAgent.get(response.headers.location).expect(200);
    expect(page.text).toContain('<h1>Faktura CSV-1</h1>');
    expect(page.text).toContain('CSV-fil');
    expect(page.text).toContain('<dd class="amount" id="invoiced-amount">675,00 kr.</dd>');

    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>UBL-1</cbc:ID>
  <cbc:IssueDate>2026-11-20</cbc:IssueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0184">${mentor.cvr}</cbc:EndpointID><cac:PartyLegalEntity><cbc:RegistrationName>Mentor ApS</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="0088">5798000000001</cbc:EndpointID><cac:PartyLegalEntity><cbc:RegistrationName>Jobcenter</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="DKK">112.50</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="DKK">450.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="DKK">450.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="DKK">562.50</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="DKK">562.50</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="HUR">1</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="DKK">450.00</cbc:LineExtensionAmount>
    <cac:InvoicePeriod><cbc:StartDate>2026-10-20</cbc:StartDate><cbc:EndDate>2026-10-20</cbc:EndDate></cac:InvoicePeriod>
    <cac:OrderLineReference><cbc:LineID>${mentor.grants.c.reference}</cbc:LineID></cac:OrderLineReference>
    <cac:Item><cbc:Name>Mentorstøtte</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="DKK">450.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>`;
    const ubl = await supplierAgent
      .post('/supplier/invoices/upload')
      .field('_csrf', await tokenFor(supplierAgent, '/supplier/invoices/new'))
      .field('invoiceNumber', '')
      .field('issueDate', '')
      .attach('file', Buffer.from(xml), { filename: 'efaktura.xml', contentType: 'text/xml' })
      .expect(303);
    const ublPage = await supplierAgent.get(ubl.headers.location).expect(200);
    expect(ublPage.text).toContain('<h1>Faktura UBL-1</h1>');
    expect(ublPage.text).toContain('E-faktura (XML)');

    const list = await supplierAgent.get('/supplier/invoices').expect(200);
    for (const number of ['CSV-1', 'UBL-1', 'PORTAL-1']) expect(list.text).toContain(`>${number}</a>`);
  });

  it('answers an upload it cannot take with the page and the reason in Danish', async () => {
    const upload = async (fields: Record<string, string>, file: { content: Buffer; filename: string; contentType: string } | null, status: number) => {
      let call = supplierAgent.post('/supplier/invoices/upload').field('_csrf', await tokenFor(supplierAgent, '/supplier/invoices/new'));
      for (const [name, value] of Object.entries(fields)) call = call.field(name, value);
      if (file) call = call.attach('file', file.content, { filename: file.filename, contentType: file.contentType });
      return call.expect(status);
    };
    const csv = Buffer.from(`bevilling;dato;minutter;timepris\n${mentor.grants.c.reference};2026-10-21;30;450\n`);
    const noNumber = await upload({ invoiceNumber: '', issueDate: '2026-11-20' }, { content: csv, filename: 'f.csv', contentType: 'text/csv' }, 422);
    expect(noNumber.text).toContain('<strong>Fakturanummer</strong>: mangler.');

    const badRow = await upload({ invoiceNumber: 'CSV-BAD', issueDate: '2026-11-20' }, { content: Buffer.from('bevilling;dato;minutter;timepris\nMS-2026-000001;2026-13-01;30;450\n'), filename: 'f.csv', contentType: 'text/csv' }, 422);
    expect(badRow.text).toContain('Filen kan ikke modtages');
    expect(badRow.text).toContain('<strong>Række 2 i filen · Dato</strong>: skal være en dato på formen ÅÅÅÅ-MM-DD.');

    const wrongType = await upload({ invoiceNumber: 'TXT-1', issueDate: '2026-11-20' }, { content: csv, filename: 'f.txt', contentType: 'text/plain' }, 422);
    expect(wrongType.text).toContain('<strong>Fil</strong>: upload en fil af typen .csv eller .xml.');

    const noFile = await upload({ invoiceNumber: 'NOFILE-1', issueDate: '2026-11-20' }, null, 422);
    expect(noFile.text).toContain('<strong>Fil</strong>: vælg en CSV- eller XML-fil.');

    const tooLarge = await upload({ invoiceNumber: 'BIG-1', issueDate: '2026-11-20' }, { content: Buffer.alloc(t.config.bodyLimitBytes + 1, 'a'), filename: 'big.csv', contentType: 'text/csv' }, 413);
    expect(tooLarge.text).toContain('Filen er for stor');
    expect(tooLarge.text).toContain('value="BIG-1"');

    await supplierAgent
      .post('/supplier/invoices/upload')
      .set('Accept', 'text/html')
      .field('invoiceNumber', 'NO-TOKEN')
      .attach('file', csv, { filename: 'f.csv', contentType: 'text/csv' })
      .expect(403);
    const numbers = (await t.dataSource.query(`SELECT invoice_number FROM invoice WHERE invoice_number = ANY($1)`, [['CSV-BAD', 'TXT-1', 'NOFILE-1', 'BIG-1', 'NO-TOKEN']])) as unknown[];
    expect(numbers).toEqual([]);
  });

  it('never shows a supplier another supplier’s invoice', async () => {
    const response = await t.http.post('/api/v1/invoices').set(bearer(other.user.token)).send(invoiceBody([{ grantReference: other.grants.x.reference, date: '2026-10-05', minutes: 30 }], { invoiceNumber: 'OTHER-1' })).expect(201);
    await supplierAgent.get(`/supplier/invoices/${response.body.id}`).set('Accept', 'text/html').expect(404);
    expect((await supplierAgent.get('/supplier/invoices').expect(200)).text).not.toContain('OTHER-1');
    expect((await otherAgent.get(`/supplier/invoices/${response.body.id}`).expect(200)).text).toContain('OTHER-1');
    await otherAgent.get(`/finance/invoices/${response.body.id}`).set('Accept', 'text/html').expect(403);
  });

  describe('finance', () => {
    it('lists the inbox with errors first and shows invoiced against approvable amounts in kroner', async () => {
      const clean = await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).send(invoiceBody([{ grantReference: mentor.grants.b.reference, date: '2026-09-07', minutes: 60 }], { invoiceNumber: 'CLEAN-1' })).expect(201);
      const withErrors = await t.http
        .post('/api/v1/invoices')
        .set(bearer(mentor.user.token))
        .send(invoiceBody([{ grantReference: mentor.grants.b.reference, date: '2026-09-15', minutes: 150 }], { invoiceNumber: 'ERRORS-1' }))
        .expect(201);
      expect(withErrors.body.errorCount).toBeGreaterThan(0);
      const inbox = await finance.get('/finance/invoices').expect(200);
      expect(inbox.text.indexOf('>ERRORS-1</a>')).toBeGreaterThan(-1);
      expect(inbox.text.indexOf('>ERRORS-1</a>')).toBeLessThan(inbox.text.indexOf('>CLEAN-1</a>'));

      const page = await finance.get(`/finance/invoices/${withErrors.body.id}`).expect(200);
      expect(page.text).toContain('<dd class="amount" id="invoiced-amount">1.125,00 kr.</dd>');
      expect(page.text).toContain('900,00 kr.');
      expect(page.text).toContain(`<input type="hidden" name="expectedApprovableOre" value="${withErrors.body.approvableOre}">`);
      expect(page.text).toContain('Godkend 900,00 kr.');
      expect(page.text).toContain('Uge 2026-W38: 150 minutter faktureret, 120 bevilget');

      const adminView = await admin.get(`/finance/invoices/${clean.body.id}`).expect(200);
      expect(adminView.text).toContain('CLEAN-1');
      expect(adminView.text).not.toContain('/approve');
      await admin.post(`/finance/invoices/${clean.body.id}/approve`).type('form').set('Accept', 'text/html').send({ _csrf: csrfOf(adminView.text), expectedApprovableOre: '45000' }).expect(403);
    });

    it('approves the approvable amount, and answers a changed amount with 409 on the page', async () => {
      const invoice = await t.http
        .post('/api/v1/invoices')
        .set(bearer(mentor.user.token))
        .send(invoiceBody([{ grantReference: mentor.grants.b.reference, date: '2026-09-21', minutes: 60 }, { grantReference: mentor.grants.b.reference, date: '2026-09-22', minutes: 90 }], { invoiceNumber: 'APPROVE-1' }))
        .expect(201);
      expect(invoice.body).toMatchObject({ netOre: 112_500, approvableOre: 90_000 });
      const path = `/finance/invoices/${invoice.body.id}`;
      // Approving asks first: what is approved, what is refused and why.
      const confirm = await finance.post(`${path}/approve`).type('form').send({ _csrf: await tokenFor(finance, path), expectedApprovableOre: '90000' }).expect(200);
      expect(confirm.text).toContain('<h1>Godkend faktura APPROVE-1 fra');
      expect(confirm.text).toContain('<dd class="amount" id="confirm-approved">900,00 kr.</dd>');
      expect(confirm.text).toContain('<dd class="amount" id="confirm-refused">225,00 kr.</dd>');
      expect(confirm.text).toContain('En godkendelse kan ikke fortrydes.');
      expect(confirm.text).toContain('<input type="hidden" name="confirmed" value="yes">');
      expect((await t.dataSource.query(`SELECT status FROM invoice WHERE id = $1`, [invoice.body.id]))[0].status).toBe('validated');
      const stale = await finance.post(`${path}/approve`).type('form').send({ _csrf: csrfOf(confirm.text), expectedApprovableOre: '100000', confirmed: 'yes' }).expect(409);
      expect(stale.text).toContain('Fakturaen kan ikke godkendes');
      expect(stale.text).toContain('Det godkendelige beløb er nu 900,00 kr., ikke 1.000,00 kr., som du så.');
      expect(stale.text).toContain('<input type="hidden" name="expectedApprovableOre" value="90000">');

      const approved = await finance.post(`${path}/approve`).type('form').send({ _csrf: csrfOf(stale.text), expectedApprovableOre: '90000', confirmed: 'yes' }).expect(303);
      expect(approved.headers.location).toBe(`${path}?notice=approved`);
      const page = await finance.get(approved.headers.location).expect(200);
      expect(page.text).toContain('Fakturaen er godkendt.');
      expect(page.text).toContain('Delvist godkendt');
      expect(page.text).toContain('<dd class="amount" id="approved-amount">900,00 kr.</dd>');
      expect(page.text).not.toContain('name="expectedApprovableOre"');

      const again = await finance2.post(`${path}/approve`).type('form').send({ _csrf: await tokenFor(finance2, path), expectedApprovableOre: '90000' }).expect(409);
      expect(again.text).toContain('Fakturaen har status »Delvist godkendt«');

      const supplierView = await supplierAgent.get(`/supplier/invoices/${invoice.body.id}`).expect(200);
      expect(supplierView.text).toContain('Delvist godkendt');
      expect(supplierView.text).toContain('<dd class="amount" id="approved-amount">900,00 kr.</dd>');
    });

    it('shows the four-eyes rules as messages: not the registering user, and two different approvers above the threshold', async () => {
      const registered = await t.http
        .post('/api/v1/invoices')
        .set(bearer(financeUser.token))
        .send(invoiceBody([{ grantReference: mentor.grants.c.reference, date: '2026-09-28', minutes: 30 }], { invoiceNumber: 'PAPER-1', supplierId: mentor.supplierId }))
        .expect(201);
      const path = `/finance/invoices/${registered.body.id}`;
      const own = await finance.post(`${path}/approve`).type('form').send({ _csrf: await tokenFor(finance, path), expectedApprovableOre: String(registered.body.approvableOre) }).expect(422);
      expect(own.text).toContain('Den bruger, der har registreret fakturaen, kan ikke selv godkende den (fire øjne).');

      const big = await supplierWithGrants(t, { g: { minutesPerWeek: 600, serviceLevel: 4, start: '2026-09-01', end: '2026-11-30' } });
      await t.http.post(`/api/v1/agreements/${big.agreementId}/rates`).set(bearer((await procurementUser(t)).token)).send({ mentorType: 'retention', serviceLevel: 4, validFrom: '2026-01-01', rateOre: 45_000 }).expect(201);
      const lines = Array.from({ length: 12 }, (_, week) => ({ grantReference: big.grants.g.reference, date: addDays('2026-09-01', week * 7), minutes: 600 }));
      const invoice = await t.http.post('/api/v1/invoices').set(bearer(big.user.token)).send(invoiceBody(lines, { invoiceNumber: 'BIG-TWO' })).expect(201);
      const bigPath = `/finance/invoices/${invoice.body.id}`;
      const before = await finance.get(bigPath).expect(200);
      expect(before.text).toContain('skal godkendes af to forskellige økonomimedarbejdere');
      const firstConfirm = await finance.post(`${bigPath}/approve`).type('form').send({ _csrf: csrfOf(before.text), expectedApprovableOre: String(invoice.body.approvableOre) }).expect(200);
      expect(firstConfirm.text).toContain('Din godkendelse er den første af to');
      const first = await finance.post(`${bigPath}/approve`).type('form').send({ _csrf: csrfOf(before.text), expectedApprovableOre: String(invoice.body.approvableOre), confirmed: 'yes' }).expect(303);
      expect(first.headers.location).toBe(`${bigPath}?notice=first_approval`);
      const same = await finance.post(`${bigPath}/approve`).type('form').send({ _csrf: csrfOf(before.text), expectedApprovableOre: String(invoice.body.approvableOre) }).expect(422);
      expect(same.text).toContain('Den anden godkendelse skal gives af en anden økonomimedarbejder end den første (fire øjne).');
      expect(same.text).toContain('venter på en anden godkender');
      // The first approver is no longer offered the approval; the second approver is.
      const waiting = await finance.get(bigPath).expect(200);
      expect(waiting.text).not.toContain('name="expectedApprovableOre"');
      expect(waiting.text).toMatch(/<dd id="first-approver">Økonomi Hansen, \d{4}-\d{2}-\d{2} \d{2}:\d{2}<\/dd>/);
      expect((await finance2.get(bigPath).expect(200)).text).toContain('name="expectedApprovableOre"');
      expect((await finance.get('/finance/invoices').expect(200)).text).toMatch(/BIG-TWO<\/a>[\s\S]*?Afventer en anden godkender<\/td>/);
      await finance2.post(`${bigPath}/approve`).type('form').send({ _csrf: await tokenFor(finance2, bigPath), expectedApprovableOre: String(invoice.body.approvableOre), confirmed: 'yes' }).expect(303);
      const after = (await finance2.get(bigPath).expect(200)).text;
      expect(after).toContain('<strong class="status status-approved" id="invoice-status">Godkendt</strong>');
      expect(after).not.toContain('venter på en anden godkender');
      expect(after).toContain('To forskellige økonomimedarbejdere har godkendt (fire øjne).');
      expect(after).toMatch(/<dd id="first-approver">Økonomi Hansen, /);
      expect(after).toMatch(/<dd id="second-approver">Økonomi Jensen, /);
      expect(after).not.toContain('name="expectedApprovableOre"');
      const inbox = (await finance.get('/finance/invoices?status=approved').expect(200)).text;
      expect(inbox).not.toContain('første godkendelse');
      expect(inbox).not.toContain('Afventer en anden godkender');
    });

    it('rejects with a required reason the supplier then sees', async () => {
      const invoice = await t.http.post('/api/v1/invoices').set(bearer(mentor.user.token)).send(invoiceBody([{ grantReference: mentor.grants.c.reference, date: '2026-10-27', minutes: 30 }], { invoiceNumber: 'REJECT-1' })).expect(201);
      const path = `/finance/invoices/${invoice.body.id}`;
      const usage = t.app.get(GrantUsageService);
      const week44 = async (scope: AccessScope) => (await usage.weekUsage([mentor.grants.c.id], '2026-10-28', '2026-10-28', scope))[0].weeks;
      expect(await week44(AccessScope.unrestricted())).toEqual([{ week: '2026-W44', monday: '2026-10-26', sunday: '2026-11-01', minutes: 30 }]);
      expect((await week44(AccessScope.of({ role: 'supplier', supplierId: other.supplierId })))[0].minutes).toBe(0);
      const noReason = await finance.post(`${path}/reject`).type('form').send({ _csrf: await tokenFor(finance, path), reason: '  ' }).expect(422);
      expect(noReason.text).toContain('Fakturaen kan ikke afvises');
      expect(noReason.text).toContain('<strong>Begrundelse</strong>: er for kort.');
      const rejected = await finance.post(`${path}/reject`).type('form').send({ _csrf: csrfOf(noReason.text), reason: 'Sessionen den 27. oktober er ikke dokumenteret.' }).expect(303);
      expect(rejected.headers.location).toBe(`${path}?notice=rejected`);
      expect((await finance.get(rejected.headers.location).expect(200)).text).toContain('Fakturaen er afvist.');
      // A rejected delivery no longer uses the grant's week.
      expect((await week44(AccessScope.of({ role: 'supplier', supplierId: mentor.supplierId })))[0].minutes).toBe(0);

      const page = await supplierAgent.get(`/supplier/invoices/${invoice.body.id}`).expect(200);
      expect(page.text).toContain('Afvist');
      expect(page.text).toContain('Sessionen den 27. oktober er ikke dokumenteret.');
      const list = await supplierAgent.get('/supplier/invoices').expect(200);
      expect(list.text).toContain('Sessionen den 27. oktober er ikke dokumenteret.');
    });
  });

  describe('hour registration', () => {
    it('lets a partner company register sessions, see the month’s findings, remove one and submit the month', async () => {
      const path = '/supplier/hours?month=2026-10';
      const register = async (date: string, minutes: string, status: number) =>
        partnerAgent.post('/supplier/hours').type('form').send({ _csrf: await tokenFor(partnerAgent, path), grantId: partner.grants.p.id, date, minutes, contactForm: 'in_person' }).expect(status);
      expect((await register('2026-10-05', '45', 303)).headers.location).toBe('/supplier/hours?month=2026-10&notice=registered');
      await register('2026-10-07', '30', 303);
      await register('2026-10-08', '20', 303);
      const month = await partnerAgent.get(path).expect(200);
      expect(month.text).toContain('Uge 2026-W41: 95 minutter faktureret, 60 bevilget');
      expect(month.text).toContain('<td class="num over">95 af 60 <span class="flag">(over)</span></td>');
      expect(month.text).toContain('Kladde');

      const bad = await register('2026-10-09', '0', 422);
      expect(bad.text).toContain('Sessionen kan ikke registreres');
      expect(bad.text).toContain('<a href="#h-minutes">Minutter</a>: er for lille.');
      expect(bad.text).toContain('<p class="field-error" id="h-minutes-error">er for lille.</p>');
      const notOwn = await partnerAgent.post('/supplier/hours').type('form').send({ _csrf: await tokenFor(partnerAgent, path), grantId: mentor.grants.a.id, date: '2026-10-09', minutes: '30', contactForm: 'phone' }).expect(422);
      expect(notOwn.text).toContain('<a href="#h-grant">Bevilling</a>: vælg en af jeres aktive bevillinger.');

      const [{ id: third }] = (await t.dataSource.query(`SELECT d.id FROM delivery d JOIN invoice i ON i.id = d.invoice_id WHERE i.supplier_id = $1 AND d.delivered_on = '2026-10-08'`, [partner.supplierId])) as Array<{ id: string }>;
      const removed = await partnerAgent.post(`/supplier/hours/sessions/${third}/remove`).type('form').send({ _csrf: await tokenFor(partnerAgent, path), month: '2026-10' }).expect(303);
      expect(removed.headers.location).toBe('/supplier/hours?month=2026-10&notice=removed');
      expect((await partnerAgent.get(removed.headers.location).expect(200)).text).toContain('Uge 2026-W41: 75 minutter faktureret, 60 bevilget');
      const [{ id: first }] = (await t.dataSource.query(`SELECT d.id FROM delivery d JOIN invoice i ON i.id = d.invoice_id WHERE i.supplier_id = $1 AND d.delivered_on = '2026-10-05'`, [partner.supplierId])) as Array<{ id: string }>;
      const foreign = await otherAgent.post(`/supplier/hours/sessions/${first}/remove`).type('form').send({ _csrf: await tokenFor(otherAgent, '/supplier/invoices'), month: '2026-10' }).expect(422);
      expect(foreign.text).toContain('Kun partnervirksomheder registrerer timer');
      expect(await t.dataSource.query(`SELECT 1 FROM delivery WHERE id = $1`, [first])).toHaveLength(1);

      // Submitting asks first: the month, its sessions, hours and amount, and that it cannot be changed after.
      const confirm = await partnerAgent.post('/supplier/hours/2026-10/submit').type('form').send({ _csrf: await tokenFor(partnerAgent, path) }).expect(200);
      const [{ net_ore: draftNet }] = (await t.dataSource.query(`SELECT net_ore FROM invoice WHERE supplier_id = $1 AND status = 'draft'`, [partner.supplierId])) as Array<{ net_ore: string }>;
      expect(confirm.text).toContain('<h1>Indsend 2026-10 til godkendelse?</h1>');
      expect(confirm.text).toContain('<dd id="submit-sessions">2</dd>');
      expect(confirm.text).toContain('<dd id="submit-hours">1:15 (1,25 timer)</dd>');
      expect(confirm.text).toContain(`<dd class="amount" id="submit-amount">${formatKroner(Number(draftNet), 'da')}</dd>`);
      expect(confirm.text).toContain('registreringerne kan ikke længere ændres eller slettes');
      expect(confirm.text).toContain('<input type="hidden" name="confirmed" value="yes">');
      expect(await t.dataSource.query(`SELECT 1 FROM invoice WHERE supplier_id = $1 AND status = 'draft'`, [partner.supplierId])).toHaveLength(1);
      const submitted = await partnerAgent.post('/supplier/hours/2026-10/submit').type('form').send({ _csrf: csrfOf(confirm.text), confirmed: 'yes' }).expect(303);
      expect(submitted.headers.location).toMatch(/^\/supplier\/invoices\/[0-9a-f-]{36}\?notice=submitted$/);
      const invoicePage = await partnerAgent.get(submitted.headers.location).expect(200);
      expect(invoicePage.text).toContain('<h1>Faktura SB-2026-10</h1>');
      expect(invoicePage.text).toContain('Månedens timer er indsendt til godkendelse.');
      expect(invoicePage.text).toContain('<dd class="amount" id="approvable-amount">250,00 kr.');

      const late = await register('2026-10-12', '30', 409);
      expect(late.text).toContain('Registreringerne for 2026-10 er indsendt');
      const again = await partnerAgent.post('/supplier/hours/2026-10/submit').type('form').send({ _csrf: await tokenFor(partnerAgent, path) }).expect(409);
      expect(again.text).toContain('Ingen registreringer for 2026-10 venter på at blive indsendt.');
    });

    it('answers a month at the edge of the calendar’s years with a 422 page, where the month’s arithmetic was a server error', async () => {
      // The page's previous and next month of 9999-12 and 1000-01 leave the years 1000–9999.
      const beyond = await partnerAgent.get('/supplier/hours?month=9999-12').expect(422);
      expect(beyond.text).toContain('Datoen ligger uden for årene 1000–9999, som portalen regner med.');
      const ancient = await partnerAgent.post('/supplier/hours/1000-01/submit').type('form').send({ _csrf: await tokenFor(partnerAgent, '/supplier/hours') }).expect(422);
      expect(ancient.text).toContain('Datoen ligger uden for årene 1000–9999, som portalen regner med.');
    });

    it('tells a mentor supplier that it invoices instead', async () => {
      const page = await supplierAgent.get('/supplier/hours').expect(200);
      expect(page.text).toContain('Timeregistrering er for partnervirksomheder');
      expect(page.text).toContain('href="/supplier/invoices"');
      expect(page.text).not.toContain('action="/supplier/hours"');
      const refused = await supplierAgent.post('/supplier/hours').type('form').send({ _csrf: await tokenFor(supplierAgent, '/supplier/hours'), grantId: mentor.grants.a.id, date: '2026-10-05', minutes: '30', contactForm: 'phone' }).expect(422);
      expect(refused.text).toContain('Kun partnervirksomheder registrerer timer; en mentorleverandør indsender fakturaer.');
    });
  });
});
