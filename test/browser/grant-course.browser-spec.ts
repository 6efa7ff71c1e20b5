import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { approveGrant, makeAgreement, makeSupplierViaApi } from '../support/factories';
import { bearer, makeUser } from '../support/test-app';

describe('a grant’s course in a browser', () => {
  const env = useBrowserSuite();

  it('the caseworker records a step-down amendment (refused from a Wednesday, beside the field) and a follow-up through the grant page', async () => {
    const supplier = await makeSupplierViaApi(env.app);
    const agreement = await makeAgreement(env.app, supplier.id);
    const caseworker = await makeUser(env.app, 'caseworker');
    const citizen = await env.app.http.post('/api/v1/citizens').set(bearer(caseworker.token)).send({ cpr: '160384-2233', name: 'Bodil Browser', caseNumber: 'J-8810', targetGroup: 'sickness_benefit' }).expect(201);
    const grant = await env.app.http
      .post('/api/v1/grants')
      .set(bearer(caseworker.token))
      .send({ citizenId: citizen.body.id, agreementId: agreement.id, mentorType: 'retention', serviceLevel: 4, minutesPerWeek: 300, start: '2026-08-31', end: '2026-11-29', goal: 'Stabilt fremmøde', tasks: 'Tæt kontakt', mentorName: 'Mette Mentor', mentorPhone: '12345678' })
      .expect(201);
    await approveGrant(env.app, grant.body.id, '2026-08-31');

    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.baseUrl, caseworker.email, caseworker.password);
    await page.goto(`${env.baseUrl}/grants/${grant.body.id}`);
    await expect(page.locator('#in-force-hours').textContent()).resolves.toBe('5 t.');

    // From a Wednesday: refused, the error beside the date, the values kept.
    await page.locator('#am-kind').selectOption('hours');
    await page.locator('#am-from').fill('2026-11-04');
    await page.locator('#am-reason').fill('Nedtrapning efter tre måneder på niveau 4');
    await page.locator('#am-level').selectOption('3');
    await page.locator('#am-minutes').fill('210');
    await page.locator('#amend-form input[name=confirm]').check();
    await page.getByRole('button', { name: 'Registrér ændringen' }).click();
    await expect(page.locator('#am-from').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#am-from-error').textContent()).resolves.toContain('2026-11-02 eller 2026-11-09');
    await expect(page.locator('#am-reason').inputValue()).resolves.toBe('Nedtrapning efter tre måneder på niveau 4');

    // From the Monday: in force at once, since it lowers the minutes.
    await page.locator('#am-from').fill('2026-11-02');
    await page.locator('#amend-form input[name=confirm]').check();
    await page.getByRole('button', { name: 'Registrér ændringen' }).click();
    await page.waitForURL(/notice=amendment_recorded$/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Ændringen er registreret');
    await expect(page.locator('#in-force-hours').textContent()).resolves.toMatch(/^3 t\. 30 min/);
    await expect(page.locator('#timeline').textContent()).resolves.toMatch(/Niveau 3, 3 t\. 30 min\.? om ugen/);

    // A follow-up held today (2026-11-25): recorded, and in the timeline.
    await page.locator('#fu-form').selectOption('phone');
    await page.locator('#fu-with').fill('Borger og mentor');
    await page.locator('#fu-progress').fill('Fremmødet er stabilt');
    await page.locator('#fu-next').fill('Ny samtale om fire uger');
    await page.locator('#follow-up-form input[name=confirm]').check();
    await page.getByRole('button', { name: 'Registrér opfølgningen' }).click();
    await page.waitForURL(/notice=follow_up_recorded$/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Opfølgningen er registreret.');
    await expect(page.locator('#timeline').textContent()).resolves.toContain('Opfølgning holdt');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // In English too.
    await page.goto(`${env.baseUrl}/grants/${grant.body.id}?lang=en`);
    await expect(page.getByRole('heading', { name: 'Record an amendment' }).isVisible()).resolves.toBe(true);
    await context.close();
  });
});
