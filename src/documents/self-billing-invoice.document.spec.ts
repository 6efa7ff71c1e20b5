import { DOMParser } from '@xmldom/xmldom';
import { ublSchemaAvailable, ublSchemaErrors } from '../../test/support/ubl-schema';
import { renderSelfBillingInvoice, ublAmount, type SelfBillingInvoiceView } from './self-billing-invoice.document';

const view: SelfBillingInvoiceView = {
  number: 'AF-2026-000003',
  issueDate: '2026-11-02',
  dueDate: '2026-12-02',
  periodFrom: '2026-10-01',
  periodTo: '2026-10-31',
  note: 'Selvfaktura for oktober 2026 & <timer>',
  seller: { name: 'Nordsjællands Byggemarked A/S', cvr: '12345674', gln: null, street: 'Industrivej 4', postalCode: '3200', city: 'Helsinge', vatRegistered: true },
  buyer: { name: 'Gribskov Kommune', cvr: '29189730', gln: '5798000000001', street: 'Rådhusvej 3', postalCode: '3200', city: 'Helsinge', vatRegistered: true },
  lines: [
    { id: 1, date: '2026-10-06', grantReference: 'MS-2026-000123', minutes: 60, netOre: 25_000, vatBasisPoints: 2500, accountCode: '5.68.90.1-002', kind: 'delivery' },
    { id: 2, date: '2026-10-13', grantReference: 'MS-2026-000123', minutes: 45, netOre: 18_750, vatBasisPoints: 2500, accountCode: '5.68.90.1-002', kind: 'delivery' },
    { id: 3, date: '2026-09-29', grantReference: 'MS-2026-000123', minutes: -20, netOre: -8_333, vatBasisPoints: 2500, accountCode: null, kind: 'credit' },
  ],
  vat: [{ vatBasisPoints: 2500, netOre: 35_417, vatOre: 8_854 }],
  netOre: 35_417,
  vatOre: 8_854,
  totalOre: 44_271,
};

describe('the self-billing invoice (UBL 2.1, InvoiceTypeCode 389)', () => {
  const xml = renderSelfBillingInvoice(view);
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const cbc = (name: string) => Array.from(doc.getElementsByTagName(`cbc:${name}`)).map((e) => e.textContent);

  it('is a self-billed invoice with the statement’s number, dates and totals to the øre', () => {
    expect(cbc('InvoiceTypeCode')).toEqual(['389']);
    expect(cbc('ID')[0]).toBe('AF-2026-000003');
    expect(cbc('CustomizationID')).toEqual(['urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0']);
    expect(cbc('PayableAmount')).toEqual(['442.71']);
    expect(cbc('LineExtensionAmount')).toEqual(['354.17', '250.00', '187.50', '-83.33']);
    expect(cbc('InvoicedQuantity')).toEqual(['60', '45', '-20']);
    expect(cbc('AccountingCost')).toEqual(['5.68.90.1-002', '5.68.90.1-002']);
  });

  it('escapes text through the DOM, never by hand', () => {
    expect(xml).toContain('<cbc:Note>Selvfaktura for oktober 2026 &amp; &lt;timer&gt;</cbc:Note>');
  });

  it('writes whole øre as UBL amounts exactly', () => {
    expect([ublAmount(0), ublAmount(5), ublAmount(-8_333), ublAmount(100_000_000_000)]).toEqual(['0.00', '0.05', '-83.33', '1000000000.00']);
    expect(() => ublAmount(0.5)).toThrow('whole øre');
  });

  (ublSchemaAvailable ? it : it.skip)('validates against the OASIS UBL 2.1 Invoice schema (xmllint)', () => {
    expect(ublSchemaErrors(xml)).toBe('');
    // And the check can fail: an element out of the schema's order is refused.
    expect(ublSchemaErrors(xml.replace('<cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>', '').replace('</cbc:InvoiceTypeCode>', '</cbc:InvoiceTypeCode><cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode><cbc:IssueDate>2026-11-02</cbc:IssueDate>'))).not.toBe('');
  });
});
