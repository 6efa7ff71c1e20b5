import type { Browser } from 'playwright-core';
import { launchBrowser, listen, seriousAccessibilityViolations, signIn } from '../support/browser';
import { makeAgreement, makeSupplierViaApi } from '../support/factories';
import { makeUser, startTestApp, type TestApp } from '../support/test-app';

function randomCpr(): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(1 + Math.floor(Math.random() * 28))}${pad(1 + Math.floor(Math.random() * 12))}${pad(Math.floor(Math.random() * 100))}-${pad(Math.floor(Math.random() * 10000), 4)}`;
}

describe('the grant journey in a browser', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await listen(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('registers a citizen, grants mentor support with the live rule hints, and opens the written agreement', async () => {
    const supplier = await makeSupplierViaApi(t);
    const agreement = await makeAgreement(t, supplier.id);
    const caseworker = await makeUser(t, 'caseworker');
    const page = await browser.newPage();
    await signIn(page, baseUrl, caseworker.email, caseworker.password);

    await page.getByRole('link', { name: 'Ny bevilling' }).click();
    await page.waitForURL(`${baseUrl}/grants/new`);
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
    await page.getByLabel('Aftale').selectOption(agreement.id);
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

    await page.getByRole('button', { name: 'Bevilg' }).click();
    await page.waitForURL(/\/grants\/[0-9a-f-]{36}\?notice=created$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/MS-2026-\d{6}/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Bevillingen er oprettet.');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The PDF link, clicked; then fetched once more with the page's own session cookie to check the bytes.
    const link = page.getByRole('link', { name: 'Den skriftlige aftale (PDF)' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/grants\/[0-9a-f-]{36}\/agreement\.pdf$/);
    const [clicked] = await Promise.all([page.waitForResponse((response) => response.url().endsWith('/agreement.pdf')), link.click()]);
    expect(clicked.status()).toBe(200);
    expect(clicked.headers()['content-type']).toContain('application/pdf');
    const pdf = await page.request.get(`${baseUrl}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });
});
