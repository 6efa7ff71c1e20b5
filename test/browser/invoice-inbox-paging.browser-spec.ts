import { AccessScope } from '../../src/common/auth/access-scope';
import { systemActor } from '../../src/common/actor';
import { InvoiceIntake } from '../../src/invoices/invoice-intake';
import { InvoicesService } from '../../src/invoices/invoices.service';
import { SuppliersService } from '../../src/suppliers/suppliers.service';
import { seriousAccessibilityViolations, signIn, useBrowserSuite } from '../support/browser';
import { invoiceBody, supplierWithGrants } from '../support/invoice-fixtures';
import { makeUser, type TestApp } from '../support/test-app';

/** `count` invoices of one supplier, numbered `<prefix>-001` …, written through the service (no HTTP round trip each). */
async function manyInvoices(app: TestApp, supplierId: string, reference: string, prefix: string, count: number): Promise<void> {
  const intake = app.app.get(InvoiceIntake);
  const invoices = app.app.get(InvoicesService);
  const scope = AccessScope.of({ role: 'supplier', supplierId });
  for (let n = 1; n <= count; n += 1) {
    // One 15-minute session a day from 2026-09-01, so no week goes over the grant.
    const day = new Date(Date.UTC(2026, 8, 1 + (n % 60)));
    const body = invoiceBody([{ grantReference: reference, date: day.toISOString().slice(0, 10), minutes: 15 }], { invoiceNumber: `${prefix}-${String(n).padStart(3, '0')}`, issueDate: '2026-11-20' });
    const submission = await intake.read('application/json', body, {}, 'da');
    await invoices.submit(submission.invoice, null, scope, systemActor('test'));
  }
}

describe('finance’s inbox with 250 invoices in a browser', () => {
  const env = useBrowserSuite();

  it('pages forward and back, searches by invoice number and supplier, sorts by amount, with no serious accessibility findings', async () => {
    const north = await supplierWithGrants(env.app, { a: { minutesPerWeek: 120 } });
    const south = await supplierWithGrants(env.app, { a: { minutesPerWeek: 120 } });
    await manyInvoices(env.app, north.supplierId, north.grants.a.reference, 'NORD', 200);
    await manyInvoices(env.app, south.supplierId, south.grants.a.reference, 'SYD', 50);

    const finance = await makeUser(env.app, 'finance');
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.baseUrl, finance.email, finance.password);
    await page.goto(`${env.baseUrl}/finance/invoices`);
    const rows = page.locator('#inbox-list ~ .table-scroll tbody tr');
    await expect(rows.count()).resolves.toBe(100);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Three pages of 100, 100 and 50, every invoice once; then back again.
    const seen = new Set<string>();
    const collect = async () => (await page.locator('#inbox-list ~ .table-scroll tbody tr td:nth-child(2)').allTextContents()).forEach((n) => seen.add(n.trim()));
    await collect();
    await page.getByRole('link', { name: 'Næste side' }).click();
    await expect(rows.count()).resolves.toBe(100);
    await collect();
    await page.getByRole('link', { name: 'Næste side' }).click();
    await expect(rows.count()).resolves.toBe(50);
    await collect();
    expect(seen.size).toBe(250);
    await expect(page.getByRole('link', { name: 'Næste side' }).count()).resolves.toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Forrige side' }).click();
    await page.getByRole('link', { name: 'Forrige side' }).click();
    await expect(rows.count()).resolves.toBe(100);
    await expect(page.getByRole('link', { name: 'Forrige side' }).count()).resolves.toBe(0);

    // Search by invoice number: NORD-12 finds NORD-120..129.
    await page.getByLabel('Søg efter fakturanummer eller leverandør').fill('NORD-12');
    await page.getByRole('button', { name: 'Søg' }).click();
    await page.waitForURL(/q=NORD-12/);
    const numbers = (await page.locator('#inbox-list ~ .table-scroll tbody tr td:nth-child(2)').allTextContents()).map((n) => n.trim()).sort();
    expect(numbers).toEqual([...Array.from({ length: 10 }, (_, i) => `NORD-12${i}`)]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Search by the supplier's name (the fixtures name suppliers uniquely): its 50 invoices, on one page.
    const southName = (await env.app.app.get(SuppliersService).names([south.supplierId])).get(south.supplierId) as string;
    await page.getByLabel('Søg efter fakturanummer eller leverandør').fill(southName);
    await page.getByRole('button', { name: 'Søg' }).click();
    await expect(rows.count()).resolves.toBe(50);
    await expect(page.getByRole('link', { name: 'Næste side' }).count()).resolves.toBe(0);

    // Sorted by amount, the search kept; the header says how it is sorted.
    await page.getByRole('link', { name: 'I alt (inkl. moms)' }).click();
    await page.waitForURL(/sort=amount/);
    expect(new URL(page.url()).searchParams.get('q')).toBe(southName);
    await expect(page.locator('th[aria-sort]').getAttribute('aria-sort')).resolves.toBe('descending');
    await expect(rows.count()).resolves.toBe(50);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
