import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { makeAgreement, makeSupplierViaApi, procurementUser } from '../support/factories';
import { bearer, makeUser } from '../support/test-app';

describe('procurement pages in a browser', () => {
  const env = useBrowserSuite();

  it('opens suppliers, agreements and one agreement without serious accessibility violations', async () => {
    const supplier = await makeSupplierViaApi(env.app);
    const agreement = await makeAgreement(env.app, supplier.id, { ceilingOre: 100000000 });
    const user = await procurementUser(env.app);
    const page = await env.browser.newPage();
    await signIn(page, env.baseUrl, user.email, user.password);
    for (const [path, heading] of [
      ['/procurement/suppliers', 'Leverandører'],
      ['/procurement/agreements', 'Aftaler'],
      [`/procurement/agreements/${agreement.id}`, `Aftale ${agreement.reference}`],
    ]) {
      await page.goto(`${env.baseUrl}${path}`);
      await expect(page.getByRole('heading', { level: 1, name: heading }).isVisible()).resolves.toBe(true);
      expect({ path, violations: await seriousAccessibilityViolations(page) }).toEqual({ path, violations: [] });
    }
    await page.close();
  });

  it('adds a rate in the page and shows it in Danish kroner', async () => {
    const supplier = await makeSupplierViaApi(env.app);
    const agreement = await makeAgreement(env.app, supplier.id);
    const user = await procurementUser(env.app);
    const page = await env.browser.newPage();
    await signIn(page, env.baseUrl, user.email, user.password);
    await page.goto(`${env.baseUrl}/procurement/agreements/${agreement.id}`);
    await page.getByLabel('Mentortype').selectOption('holistic');
    await page.getByLabel('Niveau').fill('1');
    await page.getByLabel('Gælder fra').fill('2026-02-01');
    await page.getByLabel('Timepris i kr. (ekskl. moms)').fill('1.234,50');
    await page.getByRole('button', { name: 'Tilføj timepris' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Timeprisen er tilføjet.');
    await expect(page.getByRole('cell', { name: '1.234,50 kr.' }).isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('applies a price regulation after its confirmation step and ends the new rate', async () => {
    const supplier = await makeSupplierViaApi(env.app);
    const agreement = await makeAgreement(env.app, supplier.id);
    const user = await procurementUser(env.app);
    await env.app.http.post(`/api/v1/agreements/${agreement.id}/rates`).set(bearer(user.token)).send({ mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-01', rateOre: 45_000 }).expect(201);
    const page = await env.browser.newPage();
    await signIn(page, env.baseUrl, user.email, user.password);
    await page.goto(`${env.baseUrl}/procurement/agreements/${agreement.id}`);
    await page.getByLabel('Reguleres fra').fill('2027-01-01');
    await page.getByLabel('Regulering i procent').fill('3,1');
    await page.getByRole('button', { name: 'Se ændringerne' }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Bekræft prisregulering ${agreement.reference}` }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('Prisreguleringen på 3,1 % fra 2027-01-01').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('cell', { name: '463,95 kr.' }).isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Gennemfør prisreguleringen' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Prisreguleringen er gennemført.');
    const rates = (await env.app.http.get(`/api/v1/agreements/${agreement.id}/rates`).set(bearer(user.token)).expect(200)).body as Array<{ id: string; validFrom: string; validTo: string | null; rateOre: number }>;
    expect(rates.map((r) => [r.validFrom, r.validTo, r.rateOre])).toEqual([['2026-01-01', '2026-12-31', 45_000], ['2027-01-01', null, 46_395]]);
    await page.locator(`#end-${rates[1].id}`).fill('2027-12-31');
    await page.locator(`form[action$="/rates/${rates[1].id}/end"]`).getByRole('button', { name: 'Afslut' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Timeprisen er afsluttet.');
    await expect(page.locator(`#end-${rates[1].id}`).inputValue()).resolves.toBe('2027-12-31');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('shows a supplier user its own agreements without serious accessibility violations', async () => {
    const supplier = await makeSupplierViaApi(env.app);
    await makeAgreement(env.app, supplier.id);
    const user = await makeUser(env.app, 'supplier', supplier.id);
    const page = await env.browser.newPage();
    await signIn(page, env.baseUrl, user.email, user.password);
    await page.goto(`${env.baseUrl}/supplier/agreements`);
    await expect(page.getByRole('heading', { level: 1, name: 'Mine aftaler' }).isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });
});
