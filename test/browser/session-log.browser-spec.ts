import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { supplierWithGrants } from '../support/invoice-fixtures';

describe('the session log in a browser', () => {
  const env = useBrowserSuite();

  it('a supplier logs a session through the page, sees it not yet invoiced, and is told beside the field what is wrong', async () => {
    const supplier = await supplierWithGrants(env.app, { a: { minutesPerWeek: 60 } });
    const reference = supplier.grants.a.reference;
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.baseUrl, supplier.user.email, supplier.user.password);
    await page.getByRole('link', { name: 'Sessionslog', exact: true }).click();
    await page.waitForURL(`${env.baseUrl}/supplier/sessions`);
    await expect(page.getByRole('heading', { level: 1, name: 'Sessionslog' }).isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // A day after today (2026-11-25) is refused beside the date field, and nothing is logged.
    await page.getByLabel('Bevilling').selectOption({ label: reference });
    await page.getByLabel('Dato').evaluate((input: HTMLInputElement) => input.removeAttribute('max'));
    await page.getByLabel('Dato').fill('2026-11-27');
    await page.getByLabel('Minutter').fill('60');
    await page.getByRole('button', { name: 'Registrér session' }).click();
    await expect(page.locator('#s-date').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#s-date-error').textContent()).resolves.toContain('ligger i fremtiden');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel('Bevilling').selectOption({ label: reference });
    await page.getByLabel('Dato').fill('2026-11-18');
    await page.getByLabel('Minutter').fill('60');
    await page.getByLabel('Kontaktform').selectOption('video');
    await page.getByLabel('Med hvem').selectOption('citizen_and_employer');
    await page.getByRole('button', { name: 'Registrér session' }).click();
    await page.waitForURL(`${env.baseUrl}/supplier/sessions?month=2026-11&notice=logged`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Sessionen er registreret.');
    const row = page.locator('table tbody tr', { hasText: reference });
    await expect(row.textContent()).resolves.toMatch(/2026-11-18.*60.*Video.*Borger og arbejdsgiver.*Ikke faktureret/s);
    await expect(page.getByText('60 minutter registreret, heraf 60 minutter endnu ikke faktureret.').isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Removing asks first, says what happens, and works without scripts.
    await row.getByRole('link', { name: /Slet sessionen den 2026-11-18/ }).click();
    await expect(page.getByText('Sletningen kan ikke fortrydes').isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Ja, slet sessionen' }).click();
    await page.waitForURL(`${env.baseUrl}/supplier/sessions?month=2026-11&notice=removed`);
    await expect(page.getByText('Ingen sessioner registreret i 2026-11.').isVisible()).resolves.toBe(true);
    await context.close();
  });
});
