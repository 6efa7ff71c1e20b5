import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { approveGrant, makeAgreement, makeSupplierViaApi } from '../support/factories';
import { fictitiousCpr } from '../support/invoice-fixtures';
import { bearer, makeUser } from '../support/test-app';

describe('ending a holistic grant early in a browser', () => {
  const env = useBrowserSuite();

  it('the caseworker is refused without a lawful reason, then ends the course with one through the confirmation, and the grant shows the reason', async () => {
    const t = env.app;
    const caseworker = await makeUser(t, 'caseworker');
    const supplier = await makeSupplierViaApi(t);
    const agreement = await makeAgreement(t, supplier.id);
    const citizen = await t.http.post('/api/v1/citizens').set(bearer(caseworker.token)).send({ cpr: fictitiousCpr(), name: 'Borger Browser', caseNumber: 'J-BROWSER', targetGroup: 'activity_ready_cash_benefit' }).expect(201);
    const grant = await t.http
      .post('/api/v1/grants')
      .set(bearer(caseworker.token))
      .send({ citizenId: citizen.body.id, agreementId: agreement.id, mentorType: 'holistic', serviceLevel: 1, minutesPerWeek: 60, start: '2026-09-01', end: '2027-02-28', goal: 'Stabil hverdag', tasks: 'Samtaler', mentorName: 'Mette Mentor', mentorPhone: '12345678' })
      .expect(201);
    await approveGrant(t, grant.body.id, '2026-09-01');

    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.baseUrl, caseworker.email, caseworker.password);
    await page.goto(`${env.baseUrl}/grants/${grant.body.id}`);
    await expect(page.locator('#successor-state').textContent()).resolves.toContain('Perioden udløber 2027-02-28');
    await page.getByRole('link', { name: 'Afslut forløbet' }).click();
    await page.waitForURL(`${env.baseUrl}/grants/${grant.body.id}/ending`);
    // Only the reasons a holistic course may end early for are offered.
    await expect(page.locator('#e-reason option').allTextContents()).resolves.toEqual([
      'Ingen – forløbet slutter ved periodens udløb',
      'Borgeren er klar til et ret og pligt-tilbud, som jobcentret giver',
      'Borgeren er ikke længere i målgruppen',
    ]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Early, with no reason: refused beside the field, nothing ended.
    await page.getByLabel('Resultat').selectOption('job');
    await page.getByLabel('Afsluttet den').fill('2026-12-15');
    await page.getByRole('button', { name: 'Gå videre til bekræftelse' }).click();
    await expect(page.locator('#e-reason').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#e-reason-error').textContent()).resolves.toContain('Perioden løber til 2027-02-28');

    // With the lawful reason and its outcome, through the confirmation.
    await page.getByLabel('Resultat').selectOption('active_offer');
    await page.getByLabel('Begrundelse for afslutning').selectOption('ready_for_active_offer');
    await page.getByRole('button', { name: 'Gå videre til bekræftelse' }).click();
    await expect(page.locator('#ending-summary').textContent()).resolves.toContain('afsluttes den 2026-12-15');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Afslut forløbet' }).click();
    await page.waitForURL(`${env.baseUrl}/grants/${grant.body.id}?notice=ended`);
    await expect(page.locator('#end-reason').textContent()).resolves.toBe('Borgeren er klar til et ret og pligt-tilbud, som jobcentret giver');
    const read = await t.http.get(`/api/v1/grants/${grant.body.id}`).set(bearer(caseworker.token)).expect(200);
    expect(read.body).toMatchObject({ status: 'ended', outcome: 'active_offer', endedOn: '2026-12-15', course: { endReason: 'ready_for_active_offer' } });
    await context.close();
  });
});
