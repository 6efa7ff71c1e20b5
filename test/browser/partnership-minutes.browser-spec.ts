import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { makeAgreement, makeSupplierViaApi } from '../support/factories';
import { makeUser } from '../support/test-app';

describe('a partnership’s minutes on the new-grant form in a browser', () => {
  const env = useBrowserSuite();

  it('fills the time per week when a partnership agreement is chosen and requires the excess reason above it', async () => {
    const company = await makeSupplierViaApi(env.app, { kind: 'partner_company' });
    const agreement = await makeAgreement(env.app, company.id, { kind: 'partnership', mentorTypes: ['company'], defaultMinutesPerWeek: 60, defaultRateOre: 25_000 });
    const caseworker = await makeUser(env.app, 'caseworker');
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.baseUrl, caseworker.email, caseworker.password);
    await page.goto(`${env.baseUrl}/grants/new`);

    const hours = page.locator('#g-hours');
    const minutes = page.locator('#g-minutes');
    const reason = page.locator('#g-excess');
    await expect(page.locator('#hint-partnership').isVisible()).resolves.toBe(false);
    await page.locator('#g-agreement').selectOption(agreement.id);
    await expect(hours.inputValue()).resolves.toBe('1');
    await expect(minutes.inputValue()).resolves.toBe('0');
    await expect(page.locator('#g-type').inputValue()).resolves.toBe('company');
    await expect(page.locator('#hint-partnership').textContent()).resolves.toContain('Partnerskabsaftalen frikøber virksomhedsmentoren 1 t. om ugen.');
    await expect(reason.evaluate((el) => (el as HTMLTextAreaElement).required)).resolves.toBe(false);

    // Above the agreement's hour the reason becomes required; back within it, it is not.
    await minutes.fill('30');
    await expect(reason.evaluate((el) => (el as HTMLTextAreaElement).required)).resolves.toBe(true);
    await minutes.fill('0');
    await expect(reason.evaluate((el) => (el as HTMLTextAreaElement).required)).resolves.toBe(false);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
