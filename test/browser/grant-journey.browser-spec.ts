import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { makeSupplierViaApi, procurementUser } from '../support/factories';
import { makeUser } from '../support/test-app';

function randomCpr(): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(1 + Math.floor(Math.random() * 28))}${pad(1 + Math.floor(Math.random() * 12))}${pad(Math.floor(Math.random() * 100))}-${pad(Math.floor(Math.random() * 10000), 4)}`;
}

describe('the grant journey in a browser', () => {
  const env = useBrowserSuite();

  it('procurement writes the agreement, rate card and catalogue entry; the caseworker finds the supplier, grants mentor support and opens the written agreement', async () => {
    const supplier = await makeSupplierViaApi(env.app);
    const reference = `RA-JOURNEY-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;

    // ---- Procurement, in its own browser context ----
    const buyer = await procurementUser(env.app);
    const procurementContext = await env.browser.newContext();
    const procurementPage = await procurementContext.newPage();
    await signIn(procurementPage, env.baseUrl, buyer.email, buyer.password);

    await procurementPage.getByRole('link', { name: 'Aftaler', exact: true }).click();
    await procurementPage.waitForURL(`${env.baseUrl}/procurement/agreements`);
    await procurementPage.getByLabel('Aftaletype').selectOption('framework');
    await procurementPage.getByLabel('Leverandør', { exact: true }).selectOption(supplier.id);
    await procurementPage.getByLabel('Reference').fill(reference);
    await procurementPage.getByLabel('Titel', { exact: true }).fill('Rammeaftale om fastholdelsesmentorer');
    await procurementPage.getByLabel('Gælder fra').fill('2026-01-01');
    await procurementPage.getByLabel('Gælder til').fill('2027-12-31');
    await procurementPage.getByLabel('Fastholdelsesmentor').check();
    await procurementPage.getByLabel('Loft i kr. (ekskl. moms)').fill('1.000.000');
    await procurementPage.getByRole('button', { name: 'Opret aftale' }).click();
    await procurementPage.waitForURL(/\/procurement\/agreements\/[0-9a-f-]{36}\?notice=created$/);
    const agreementId = /\/procurement\/agreements\/([0-9a-f-]{36})/.exec(procurementPage.url())![1];
    await expect(procurementPage.getByRole('heading', { level: 1, name: `Aftale ${reference}` }).isVisible()).resolves.toBe(true);
    await expect(procurementPage.getByRole('status').textContent()).resolves.toContain('Aftalen er oprettet.');

    // The agreement is opened again from the list, and a rate goes on its rate card.
    await procurementPage.getByRole('link', { name: 'Tilbage til aftaler' }).click();
    await procurementPage.getByRole('link', { name: reference }).click();
    await procurementPage.waitForURL(`${env.baseUrl}/procurement/agreements/${agreementId}`);
    await procurementPage.getByLabel('Mentortype').selectOption('retention');
    await procurementPage.getByLabel('Niveau').fill('2');
    await procurementPage.getByLabel('Gælder fra').fill('2026-01-01');
    await procurementPage.getByLabel('Timepris i kr. (ekskl. moms)').fill('450');
    await procurementPage.getByRole('button', { name: 'Tilføj timepris' }).click();
    await expect(procurementPage.getByRole('status').textContent()).resolves.toContain('Timeprisen er tilføjet.');
    await expect(procurementPage.getByRole('cell', { name: '450,00 kr.' }).isVisible()).resolves.toBe(true);

    // The supplier's entry in the mentor catalogue, through the link in the supplier list.
    await procurementPage.getByRole('link', { name: 'Leverandører', exact: true }).click();
    await procurementPage.waitForURL(`${env.baseUrl}/procurement/suppliers`);
    await procurementPage.getByRole('link', { name: `Redigér katalogopslag – ${supplier.name}` }).click();
    await procurementPage.waitForURL(`${env.baseUrl}/procurement/suppliers/${supplier.id}/catalogue`);
    await procurementPage.getByLabel('Fastholdelsesmentor').check();
    await procurementPage.getByLabel('Sygedagpengemodtager').check();
    await procurementPage.getByLabel('Metoder').fill('Ugentlige møder på arbejdspladsen');
    await procurementPage.getByLabel('Mentorprofiler').fill('Erfarne fastholdelseskonsulenter');
    await procurementPage.getByLabel('Kontakt', { exact: true }).fill('Mette Mentor, 12 34 56 78');
    expect(await seriousAccessibilityViolations(procurementPage)).toEqual([]);
    await procurementPage.getByRole('button', { name: 'Gem katalogopslag' }).click();
    await expect(procurementPage.getByRole('status').textContent()).resolves.toContain('Katalogopslaget er gemt.');
    await procurementContext.close();

    // ---- The caseworker, in a new browser context ----
    const caseworker = await makeUser(env.app, 'caseworker');
    const caseworkerContext = await env.browser.newContext();
    const page = await caseworkerContext.newPage();
    await signIn(page, env.baseUrl, caseworker.email, caseworker.password);

    await page.getByRole('link', { name: 'Mentorkatalog' }).click();
    await page.waitForURL(`${env.baseUrl}/catalogue`);
    await expect(page.getByRole('heading', { level: 1, name: 'Mentorkatalog' }).isVisible()).resolves.toBe(true);
    await page.getByLabel('Mentortype').selectOption('retention');
    await page.getByLabel('Målgruppe').selectOption('sickness_benefit');
    await page.getByRole('button', { name: 'Vis' }).click();
    await page.waitForURL(`${env.baseUrl}/catalogue?mentorType=retention&targetGroup=sickness_benefit`);
    const entry = page.getByRole('article', { name: supplier.name });
    await expect(entry.isVisible()).resolves.toBe(true);
    await expect(entry.textContent()).resolves.toContain('Mette Mentor, 12 34 56 78');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Ny bevilling' }).click();
    await page.waitForURL(`${env.baseUrl}/grants/new`);
    await expect(page.getByRole('heading', { level: 1, name: 'Ny bevilling' }).isVisible()).resolves.toBe(true);

    // Register the citizen in the small form on the same page.
    await page.getByLabel('CPR-nummer').fill(randomCpr());
    await page.getByLabel('Navn', { exact: true }).fill('Browser Borgersen');
    await page.getByLabel('Sagsnummer').fill('J-2026-0999');
    await page.getByLabel('Målgruppe').selectOption('sickness_benefit');
    await page.getByRole('button', { name: 'Registrér borger' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Borgeren er registreret');
    await expect(page.locator('#g-citizen option:checked').textContent()).resolves.toContain('Browser Borgersen');

    // The grant form, with the hints as you type.
    await page.getByLabel('Aftale', { exact: true }).selectOption(agreementId);
    await page.getByLabel('Mentortype').selectOption('retention');
    await page.getByLabel('Serviceniveau').selectOption('2');
    await expect(page.locator('#hint-band').textContent()).resolves.toContain('Niveau 2: over 2 t. op til 3 t./uge');
    expect(await page.locator('#hint-band').getAttribute('aria-live')).toBe('polite');
    await page.getByLabel('Timer', { exact: true }).fill('2');
    await page.getByLabel('Minutter').fill('30');
    await expect(page.locator('#hint-band').textContent()).resolves.toContain('2 t. 30 min. om ugen passer til niveauet.');
    await page.getByLabel('Minutter').fill('0');
    await expect(page.locator('#hint-band').textContent()).resolves.toContain('ligger uden for niveauet');
    await page.getByLabel('Timer', { exact: true }).fill('3');
    await page.getByLabel('Start').fill('2026-12-01');
    await expect(page.locator('#hint-period').textContent()).resolves.toContain('Seneste tilladte slutdato: 2027-05-31.');
    await page.getByLabel('Slut').fill('2027-05-31');
    await page.getByLabel('Mål', { exact: true }).fill('Fastholdelse i job.');
    await page.getByLabel('Opgaver').fill('Ugentlige møder på arbejdspladsen.');
    await page.getByLabel('Mentorens navn').fill('Ditte Højgaard');
    await page.getByLabel('Mentorens telefon').fill('+45 40 12 34 56');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Indstil til godkendelse' }).click();
    await page.waitForURL(/\/grants\/[0-9a-f-]{36}\?notice=created_proposed$/);
    const grantPath = new URL(page.url()).pathname;
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/MS-2026-\d{6}/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Bevillingen er oprettet som forslag og afventer godkendelse hos en faglig konsulent.');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The PDF link, clicked; then fetched once more with the page's own session cookie to check the bytes.
    const link = page.getByRole('link', { name: 'Den skriftlige aftale (PDF)' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/grants\/[0-9a-f-]{36}\/agreement\.pdf$/);
    const [clicked] = await Promise.all([page.waitForResponse((response) => response.url().endsWith('/agreement.pdf')), link.click()]);
    expect(clicked.status()).toBe(200);
    expect(clicked.headers()['content-type']).toContain('application/pdf');
    const pdf = await page.request.get(`${env.baseUrl}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await caseworkerContext.close();

    // The team leader finds the proposal on the dashboard, assesses it and approves it with the confirmation.
    const leader = await makeUser(env.app, 'team_leader');
    const leaderContext = await env.browser.newContext();
    const leaderPage = await leaderContext.newPage();
    await signIn(leaderPage, env.baseUrl, leader.email, leader.password);
    const proposals = leaderPage.getByRole('region', { name: 'Forslag til godkendelse' });
    await proposals.getByRole('link', { name: /MS-2026-\d{6}/ }).first().click();
    await leaderPage.waitForURL(`${env.baseUrl}${grantPath}`);
    expect(await seriousAccessibilityViolations(leaderPage)).toEqual([]);
    await leaderPage.getByLabel('Jeg har vurderet sagen og godkender bevillingen.').check();
    await leaderPage.getByRole('button', { name: 'Godkend', exact: true }).click();
    await leaderPage.waitForURL(`${env.baseUrl}${grantPath}?notice=approved`);
    await expect(leaderPage.getByRole('status').textContent()).resolves.toContain('Bevillingen er godkendt og aktiv.');
    await expect(leaderPage.locator('#visitation-approved').textContent()).resolves.toContain('gælder fra 2026-12-01');
    await leaderContext.close();
  });
});
