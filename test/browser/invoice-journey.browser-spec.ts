import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { supplierWithGrants } from '../support/invoice-fixtures';
import { makeUser } from '../support/test-app';

describe('the invoice journey in a browser', () => {
  const env = useBrowserSuite();

  it('a supplier uploads a CSV with a week over its grant and reads the finding; finance approves what can be approved', async () => {
    // A grant of 60 minutes a week; the file claims 45 + 30 minutes in week 41 at 450 kr./hour.
    const supplier = await supplierWithGrants(env.app, { a: { minutesPerWeek: 60 } });
    const reference = supplier.grants.a.reference;
    const csv = `bevilling;dato;minutter;timepris;kontaktform\n${reference};2026-10-05;45;450,00;fremmøde\n${reference};2026-10-07;30;450,00;telefon\n`;

    // ---- The supplier ----
    const supplierContext = await env.browser.newContext();
    const page = await supplierContext.newPage();
    await signIn(page, env.baseUrl, supplier.user.email, supplier.user.password);
    await page.getByRole('link', { name: 'Mine fakturaer', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/supplier/invoices`);
    await expect(page.getByRole('heading', { level: 1, name: 'Mine fakturaer' }).isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Indsend en faktura' }).click();
    await page.waitForURL(`${env.baseUrl}/supplier/invoices/new`);
    await expect(page.locator('#l1-grant option', { hasText: reference }).count()).resolves.toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel('Fakturanummer (til CSV)').fill('CSV-2026-041');
    await page.getByLabel('Fakturadato (til CSV)').fill('2026-11-20');
    await page.getByLabel('Fil (CSV eller XML)').setInputFiles({ name: 'faktura-uge-41.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Upload fakturaen' }).click();
    await page.waitForURL(/\/supplier\/invoices\/[0-9a-f-]{36}\?notice=created$/);
    const invoicePath = new URL(page.url()).pathname;
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Faktura CSV-2026-041');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Fakturaen er modtaget og kontrolleret.');
    const overCap = page.locator('#line-2 .finding-error');
    await expect(overCap.textContent()).resolves.toContain('Uge 2026-W41: 75 minutter faktureret, 60 bevilget; 15 minutter kan ikke godkendes');
    await expect(page.locator('#invoiced-amount').textContent()).resolves.toBe('562,50 kr.');
    await expect(page.locator('#approvable-amount').textContent()).resolves.toContain('450,00 kr.');
    await expect(page.locator('#invoice-status').textContent()).resolves.toBe('Afventer godkendelse');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // ---- Finance, in its own browser context ----
    const financeUser = await makeUser(env.app, 'finance');
    const financeContext = await env.browser.newContext();
    const financePage = await financeContext.newPage();
    await signIn(financePage, env.baseUrl, financeUser.email, financeUser.password);
    await financePage.getByRole('link', { name: 'Fakturaer til godkendelse', exact: true }).click();
    await financePage.waitForURL(`${env.baseUrl}/finance/invoices`);
    expect(await seriousAccessibilityViolations(financePage)).toEqual([]);
    await financePage.getByRole('link', { name: 'CSV-2026-041' }).click();
    await financePage.waitForURL(/\/finance\/invoices\/[0-9a-f-]{36}$/);
    await expect(financePage.locator('#invoiced-amount').textContent()).resolves.toBe('562,50 kr.');
    await expect(financePage.locator('#approvable-amount').textContent()).resolves.toBe('450,00 kr. (112,50 kr. kan ikke godkendes)');
    await expect(financePage.locator('#line-2 .finding-error').textContent()).resolves.toContain('Uge 2026-W41');
    expect(await seriousAccessibilityViolations(financePage)).toEqual([]);

    // Approving asks first: what is approved, what is refused and why.
    await financePage.getByRole('button', { name: 'Godkend 450,00 kr.' }).click();
    await financePage.waitForURL(/\/finance\/invoices\/[0-9a-f-]{36}\/approve$/);
    await expect(financePage.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Godkend faktura CSV-2026-041 fra /);
    await expect(financePage.locator('#confirm-approved').textContent()).resolves.toBe('450,00 kr.');
    await expect(financePage.locator('#confirm-refused').textContent()).resolves.toBe('112,50 kr.');
    const cutRow = financePage.getByRole('row', { name: /2026-10-07/ });
    await expect(cutRow.getByRole('cell', { name: '112,50 kr.' }).count()).resolves.toBeGreaterThan(0);
    await expect(cutRow.textContent()).resolves.toContain('Uge 2026-W41');
    await expect(financePage.locator('#confirm-consequence').textContent()).resolves.toContain('En godkendelse kan ikke fortrydes.');
    expect(await seriousAccessibilityViolations(financePage)).toEqual([]);
    await expect(env.app.dataSource.query(`SELECT status FROM invoice WHERE invoice_number = 'CSV-2026-041'`)).resolves.toEqual([{ status: 'validated' }]);
    await financePage.getByRole('button', { name: 'Ja, godkend 450,00 kr.' }).click();
    await financePage.waitForURL(/\?notice=approved$/);
    await expect(financePage.getByRole('status').textContent()).resolves.toContain('Fakturaen er godkendt.');
    await expect(financePage.locator('#invoice-status').textContent()).resolves.toBe('Delvist godkendt');
    await expect(financePage.locator('#approved-amount').textContent()).resolves.toBe('450,00 kr.');
    await expect(financePage.getByRole('button', { name: /^Godkend/ }).count()).resolves.toBe(0);
    expect(await seriousAccessibilityViolations(financePage)).toEqual([]);
    await financeContext.close();

    // ---- The supplier sees the decision ----
    await page.goto(`${env.baseUrl}${invoicePath}`);
    await expect(page.locator('#invoice-status').textContent()).resolves.toBe('Delvist godkendt');
    await expect(page.locator('#approved-amount').textContent()).resolves.toBe('450,00 kr.');
    await supplierContext.close();
  });

  it('a partner company registers a session and reads the month’s draft', async () => {
    const company = await supplierWithGrants(env.app, { p: { minutesPerWeek: 60, mentorType: 'company' } }, { kind: 'partner_company', rateOre: 25_000 });
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.baseUrl, company.user.email, company.user.password);
    await page.getByRole('link', { name: 'Timeregistrering', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/supplier/hours`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.goto(`${env.baseUrl}/supplier/hours?month=2026-10`);
    await page.getByLabel('Bevilling', { exact: true }).selectOption(company.grants.p.id);
    await page.getByLabel('Dato', { exact: true }).fill('2026-10-05');
    await page.getByLabel('Minutter', { exact: true }).fill('75');
    await page.getByLabel('Kontaktform', { exact: true }).selectOption('video');
    await page.getByRole('button', { name: 'Registrér', exact: true }).click();
    await page.waitForURL(/\/supplier\/hours\?month=2026-10&notice=registered$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Sessionen er registreret.');
    await expect(page.getByText('Uge 2026-W41: 75 minutter faktureret, 60 bevilget').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Indsend 2026-10 til godkendelse' }).isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Submitting the month asks first: the month, hours and amount, and that it cannot be changed after.
    await page.getByRole('button', { name: 'Indsend 2026-10 til godkendelse' }).click();
    await page.waitForURL(`${env.baseUrl}/supplier/hours/2026-10/submit`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Indsend 2026-10 til godkendelse?');
    await expect(page.locator('#submit-hours').textContent()).resolves.toBe('1:15 (1,25 timer)');
    // 75 minutes at the partnership's 250 kr./hour.
    await expect(page.locator('#submit-amount').textContent()).resolves.toBe('312,50 kr.');
    await expect(page.locator('#submit-consequence').textContent()).resolves.toContain('kan ikke længere ændres eller slettes');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Ja, indsend 2026-10' }).click();
    await page.waitForURL(/\/supplier\/invoices\/[0-9a-f-]{36}\?notice=submitted$/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
