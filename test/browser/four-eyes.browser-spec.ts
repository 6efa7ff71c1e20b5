import type { Page } from 'playwright-core';
import { addDays } from '../../src/common/time/calendar-date';
import { UsersService } from '../../src/identity/users.service';
import { systemActor } from '../../src/common/actor';
import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { procurementUser } from '../support/factories';
import { invoiceBody, supplierWithGrants } from '../support/invoice-fixtures';
import { bearer, makeUser } from '../support/test-app';

async function expectAccessible(page: Page): Promise<void> {
  const path = new URL(page.url()).pathname;
  expect({ path, violations: await seriousAccessibilityViolations(page) }).toEqual({ path, violations: [] });
}

describe('four eyes and the invoice form in a browser', () => {
  const env = useBrowserSuite();

  it('two finance users approve an invoice above the threshold: the page names both and offers no approval after', async () => {
    // 12 weeks × 600 minutes at 450 kr./hour = 54.000,00 kr. approvable, above the 50.000,00 kr. threshold.
    const supplier = await supplierWithGrants(env.app, { g: { minutesPerWeek: 600, serviceLevel: 4, start: '2026-09-01', end: '2026-11-30' } });
    await env.app.http.post(`/api/v1/agreements/${supplier.agreementId}/rates`).set(bearer((await procurementUser(env.app)).token)).send({ mentorType: 'retention', serviceLevel: 4, validFrom: '2026-01-01', rateOre: 45_000 }).expect(201);
    const lines = Array.from({ length: 12 }, (_, week) => ({ grantReference: supplier.grants.g.reference, date: addDays('2026-09-01', week * 7), minutes: 600 }));
    const invoice = await env.app.http.post('/api/v1/invoices').set(bearer(supplier.user.token)).send(invoiceBody(lines, { invoiceNumber: 'FIRE-OEJNE-1' })).expect(201);
    const first = await makeUser(env.app, 'finance');
    const second = await makeUser(env.app, 'finance');
    await env.app.app.get(UsersService).update(first.id, { displayName: 'Økonomi Hansen' }, systemActor('test'));
    await env.app.app.get(UsersService).update(second.id, { displayName: 'Økonomi Jensen' }, systemActor('test'));
    const invoicePath = `/finance/invoices/${invoice.body.id}`;

    // ---- The first approver ----
    const firstContext = await env.browser.newContext();
    const page = await firstContext.newPage();
    await signIn(page, env.baseUrl, first.email, first.password);
    await page.goto(`${env.baseUrl}/finance/invoices`);
    await expect(page.getByRole('row', { name: /FIRE-OEJNE-1/ }).getByRole('cell', { name: 'Afventer første af to godkendelser' }).count()).resolves.toBe(1);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'FIRE-OEJNE-1' }).click();
    await page.waitForURL(`${env.baseUrl}${invoicePath}`);
    await expect(page.locator('#approval-stage').textContent()).resolves.toContain('skal godkendes af to forskellige økonomimedarbejdere');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Godkend 54.000,00 kr.' }).click();
    await page.waitForURL(`${env.baseUrl}${invoicePath}/approve`);
    await expect(page.locator('#confirm-first-of-two').textContent()).resolves.toContain('Din godkendelse er den første af to');
    await expect(page.locator('#confirm-nothing-refused').textContent()).resolves.toBe('Intet afvises: hele det fakturerede beløb godkendes.');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Ja, giv første godkendelse af 54.000,00 kr.' }).click();
    await page.waitForURL(`${env.baseUrl}${invoicePath}?notice=first_approval`);
    await expect(page.locator('#approval-stage').textContent()).resolves.toBe('Første godkendelse er givet; fakturaen venter på en anden godkender.');
    await expect(page.locator('#first-approver').textContent()).resolves.toMatch(/^Økonomi Hansen, 20\d\d-\d\d-\d\d \d\d:\d\d$/);
    // The first approver is not offered the second approval.
    await expect(page.getByRole('button', { name: /^Godkend/ }).count()).resolves.toBe(0);
    await expect(page.locator('#approve-withheld').textContent()).resolves.toBe('Du har givet den første godkendelse. Den anden skal gives af en anden økonomimedarbejder (fire øjne).');
    await expectAccessible(page);
    await page.goto(`${env.baseUrl}/finance/invoices`);
    await expect(page.getByRole('row', { name: /FIRE-OEJNE-1/ }).getByRole('cell', { name: 'Afventer en anden godkender' }).count()).resolves.toBe(1);
    await firstContext.close();

    // ---- The second approver ----
    const secondContext = await env.browser.newContext();
    const secondPage = await secondContext.newPage();
    await signIn(secondPage, env.baseUrl, second.email, second.password);
    await secondPage.goto(`${env.baseUrl}${invoicePath}`);
    await secondPage.getByRole('button', { name: 'Godkend 54.000,00 kr.' }).click();
    await secondPage.waitForURL(`${env.baseUrl}${invoicePath}/approve`);
    await expect(secondPage.locator('#confirm-second-of-two').textContent()).resolves.toBe('Din godkendelse er den anden af to og afslutter godkendelsen.');
    await expectAccessible(secondPage);
    await secondPage.getByRole('button', { name: 'Ja, godkend 54.000,00 kr.' }).click();
    await secondPage.waitForURL(`${env.baseUrl}${invoicePath}?notice=approved`);
    await expect(secondPage.locator('#invoice-status').textContent()).resolves.toBe('Godkendt');
    await expect(secondPage.locator('#approval-stage').textContent()).resolves.toBe('Godkendelsen er afsluttet. To forskellige økonomimedarbejdere har godkendt (fire øjne).');
    await expect(secondPage.locator('#first-approver').textContent()).resolves.toMatch(/^Økonomi Hansen, /);
    await expect(secondPage.locator('#second-approver').textContent()).resolves.toMatch(/^Økonomi Jensen, /);
    await expect(secondPage.getByText('venter på en anden godkender').count()).resolves.toBe(0);
    await expect(secondPage.getByRole('button', { name: /^Godkend/ }).count()).resolves.toBe(0);
    await expectAccessible(secondPage);
    await secondContext.close();

    // ---- The supplier sees the same ----
    const supplierContext = await env.browser.newContext();
    const supplierPage = await supplierContext.newPage();
    await signIn(supplierPage, env.baseUrl, supplier.user.email, supplier.user.password);
    await supplierPage.goto(`${env.baseUrl}/supplier/invoices/${invoice.body.id}`);
    await expect(supplierPage.locator('#first-approver').textContent()).resolves.toMatch(/^Økonomi Hansen, /);
    await expect(supplierPage.locator('#second-approver').textContent()).resolves.toMatch(/^Økonomi Jensen, /);
    await expectAccessible(supplierPage);
    await supplierContext.close();
  });

  for (const scripts of [false, true]) {
    it(`"Flere linjer" keeps what was typed ${scripts ? 'with' : 'without'} scripts, fills in the rate from the rate card and keeps a total`, async () => {
      const supplier = await supplierWithGrants(env.app, { a: { minutesPerWeek: 120 } });
      const context = await env.browser.newContext();
      // Without the form's script the button posts the form (axe still runs, so the page's scripts stay on).
      if (!scripts) await context.route('**/static/invoice-form.js', (route) => route.abort());
      const page = await context.newPage();
      await signIn(page, env.baseUrl, supplier.user.email, supplier.user.password);
      await page.goto(`${env.baseUrl}/supplier/invoices/new`);
      await expectAccessible(page);
      await page.getByLabel('Fakturanummer', { exact: true }).fill('FLERE-1');
      await page.getByLabel('Linje 1: Bevilling').selectOption(supplier.grants.a.id);
      await page.getByLabel('Linje 1: Dato').fill('2026-10-05');
      await page.getByLabel('Linje 1: Minutter').fill('90');
      await page.getByLabel('Linje 2: Bevilling').selectOption(supplier.grants.a.id);
      await page.getByLabel('Linje 2: Dato').fill('2026-10-06');
      await page.getByLabel('Linje 2: Minutter').fill('45');
      await page.getByLabel('Linje 2: Timepris i kr.').fill('462,50');
      if (scripts) {
        // The script fills in line 1's rate from the card and keeps the total running.
        await expect(page.getByLabel('Linje 1: Timepris i kr.').inputValue()).resolves.toBe('450');
        await expect(page.locator('#form-total').textContent()).resolves.toBe('1.021,88 kr.');
      }
      await page.getByRole('button', { name: 'Flere linjer' }).click();
      if (!scripts) await page.waitForURL(`${env.baseUrl}/supplier/invoices/new`);
      await page.getByLabel('Linje 6: Bevilling').waitFor();
      await expect(page.getByLabel('Fakturanummer', { exact: true }).inputValue()).resolves.toBe('FLERE-1');
      await expect(page.getByLabel('Linje 1: Bevilling').inputValue()).resolves.toBe(supplier.grants.a.id);
      await expect(page.getByLabel('Linje 1: Minutter').inputValue()).resolves.toBe('90');
      await expect(page.getByLabel('Linje 1: Timepris i kr.').inputValue()).resolves.toBe('450');
      await expect(page.getByLabel('Linje 2: Timepris i kr.').inputValue()).resolves.toBe('462,50');
      await expect(page.getByLabel('Linje 6: Minutter').inputValue()).resolves.toBe('');
      await expect(page.locator('#form-total').textContent()).resolves.toBe('1.021,88 kr.');
      await expectAccessible(page);
      await page.getByLabel('Linje 6: Bevilling').selectOption(supplier.grants.a.id);
      await page.getByLabel('Linje 6: Dato').fill('2026-10-07');
      await page.getByLabel('Linje 6: Minutter').fill('15');
      if (scripts) await expect(page.locator('#form-total').textContent()).resolves.toBe('1.134,38 kr.');
      else await page.getByLabel('Linje 6: Timepris i kr.').fill('450');
      await page.getByRole('button', { name: 'Indsend fakturaen' }).click();
      await page.waitForURL(/\/supplier\/invoices\/[0-9a-f-]{36}\?notice=created$/);
      await expect(page.locator('#invoiced-amount').textContent()).resolves.toBe('1.134,38 kr.');
      await expectAccessible(page);
      await context.close();
    });
  }
});
