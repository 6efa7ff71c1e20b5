import { DomainException } from '../common/errors/domain.exception';
import { loadCatalogues } from '../common/i18n/messages';
import { templatesDir } from '../common/web/view-engine';
import { readSubmission, type IntakeContext } from './invoice-intake';
import type { ParsedInvoice, ParsedLine } from './parsed-invoice';
import { receiveInvoice, type ReceivedInvoice, type ReceivedLine } from './received-invoice';

const context: IntakeContext = { today: '2026-11-25', lang: 'en', catalogues: loadCatalogues(templatesDir()) };

// One session in each format: 45 minutes on 2026-10-05 for MS-2026-000123 at 450,00 kr. an hour = 337,50 kr.
const JSON_BODY = {
  invoiceNumber: 'F-2026-0042',
  issueDate: '2026-11-20',
  lines: [{ grantReference: 'MS-2026-000123', date: '2026-10-05', minutes: 45, rateOre: 45_000, contactForm: 'phone', transport: 'car', description: 'Samtale' }],
};
const CSV = 'bevilling;dato;minutter;timepris;kontaktform;transport;beskrivelse\r\nMS-2026-000123;2026-10-05;45;450,00;telefon;bil;Samtale\r\n';
const UBL = `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:ID>F-2026-0042</cbc:ID><cbc:IssueDate>2026-11-20</cbc:IssueDate><cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
<cac:InvoicePeriod><cbc:StartDate>2026-10-01</cbc:StartDate><cbc:EndDate>2026-10-31</cbc:EndDate></cac:InvoicePeriod>
<cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0184">DK12345674</cbc:EndpointID><cac:PartyName><cbc:Name>Mentorhuset ApS</cbc:Name></cac:PartyName></cac:Party></cac:AccountingSupplierParty>
<cac:TaxTotal><cbc:TaxAmount currencyID="DKK">84.38</cbc:TaxAmount></cac:TaxTotal>
<cac:LegalMonetaryTotal><cbc:TaxExclusiveAmount currencyID="DKK">337.50</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="DKK">421.88</cbc:TaxInclusiveAmount></cac:LegalMonetaryTotal>
<cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="MIN">45</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="DKK">337.50</cbc:LineExtensionAmount>
<cac:InvoicePeriod><cbc:StartDate>2026-10-05</cbc:StartDate></cac:InvoicePeriod><cac:OrderLineReference><cbc:LineID>MS-2026-000123</cbc:LineID></cac:OrderLineReference>
<cac:Item><cbc:Name>Samtale</cbc:Name></cac:Item><cac:Price><cbc:PriceAmount currencyID="DKK">450.00</cbc:PriceAmount><cbc:BaseQuantity unitCode="MIN">60</cbc:BaseQuantity></cac:Price></cac:InvoiceLine>
</Invoice>`;

const SESSION: ReceivedLine = {
  lineNo: 1,
  grantReference: 'MS-2026-000123',
  date: '2026-10-05',
  minutes: 45,
  rateOre: 45_000,
  amountOre: 33_750,
  contactForm: 'phone',
  transport: 'car',
  description: 'Samtale',
};

describe('a received invoice from each format', () => {
  it('from JSON: the portal’s invoice, its period from its first to its last session', async () => {
    const { invoice, supplierId } = await readSubmission('application/json', JSON_BODY, {}, context);
    expect(supplierId).toBeNull();
    expect(invoice).toEqual<ReceivedInvoice>({
      source: 'portal',
      documentType: 'invoice',
      invoiceNumber: 'F-2026-0042',
      issueDate: '2026-11-20',
      currency: 'DKK',
      seller: { cvr: null, gln: null, name: null },
      period: { from: '2026-10-05', to: '2026-10-05' },
      lines: [SESSION],
      totals: null,
      billingReferences: [],
    });
  });

  it('from CSV: the same session, its Danish words read as the portal’s codes', async () => {
    const { invoice } = await readSubmission('text/csv', CSV, { invoiceNumber: 'F-2026-0042', issueDate: '2026-11-20' }, context);
    expect(invoice).toEqual<ReceivedInvoice>({
      source: 'csv',
      documentType: 'invoice',
      invoiceNumber: 'F-2026-0042',
      issueDate: '2026-11-20',
      currency: 'DKK',
      seller: { cvr: null, gln: null, name: null },
      period: { from: '2026-10-05', to: '2026-10-05' },
      lines: [SESSION],
      totals: null,
      billingReferences: [],
    });
  });

  it('from UBL: the same session (an e-invoice names no contact form or transport), the period and totals as stated, the seller', async () => {
    const { invoice } = await readSubmission('application/xml', Buffer.from(UBL, 'utf8'), {}, context);
    expect(invoice).toEqual<ReceivedInvoice>({
      source: 'ubl',
      documentType: 'invoice',
      invoiceNumber: 'F-2026-0042',
      issueDate: '2026-11-20',
      currency: 'DKK',
      seller: { cvr: '12345674', gln: null, name: 'Mentorhuset ApS' },
      orderReference: null,
      buyer: { endpoint: null, reference: null },
      period: { from: '2026-10-01', to: '2026-10-31' },
      lines: [{ ...SESSION, contactForm: null, transport: null }],
      totals: { netOre: 33_750, vatOre: 8_438, totalOre: 42_188 },
      billingReferences: [],
    });
  });

  it('a CSV without a transport column says nothing of transport: null, as a JSON line without one', async () => {
    const { invoice } = await readSubmission('text/csv', 'bevilling;dato;minutter;timepris\r\nMS-2026-000123;2026-10-05;45;450,00\r\n', { invoiceNumber: 'F-1', issueDate: '2026-11-20' }, context);
    expect(invoice.lines[0]).toEqual({ ...SESSION, contactForm: null, transport: null, description: null });
  });
});

// ---- the one check of a received invoice ----

function parsed(lines: Array<Partial<ParsedLine>>, patch: Partial<ParsedInvoice> = {}): ParsedInvoice {
  return {
    source: 'ubl',
    documentType: 'invoice',
    invoiceNumber: 'F-1',
    issueDate: '2026-11-20',
    currency: 'DKK',
    seller: { cvr: null, gln: null, name: null },
    orderReference: null,
    periodFrom: null,
    periodTo: null,
    totals: null,
    billingReferences: [],
    lines: lines.map((line, i) => ({
      lineNo: i + 1,
      grantReference: 'MS-2026-000123',
      date: '2026-10-05',
      minutes: 60,
      quantityText: '1',
      unitCode: 'HUR',
      rateOre: 45_000,
      amountOre: 45_000,
      contactForm: null,
      description: null,
      ...line,
    })),
    ...patch,
  };
}

function faultsOf(invoice: ParsedInvoice): string[] {
  const result = receiveInvoice(invoice, '2026-11-25');
  if (result.ok) throw new Error('expected a refusal');
  return result.faults.map((f) => `${f.field}:${f.code}:${f.rule}`);
}

describe('receiveInvoice', () => {
  it.each([0, -15, 1.5, 1441])('refuses %p minutes: a session lasts 1 to 1440 minutes', (minutes) => {
    expect(faultsOf(parsed([{ minutes }]))).toEqual(['lines[1].minutes:minutes_in_day:minutes_in_day']);
  });

  it('accepts 1440 minutes and refuses a line of an e-invoice in a unit that is not time', () => {
    expect(receiveInvoice(parsed([{ minutes: 1440, amountOre: 1_080_000 }]), '2026-11-25').ok).toBe(true);
    expect(faultsOf(parsed([{ minutes: null, unitCode: 'EA' }]))).toEqual(['lines[1].minutes:minutes_missing:minutes_in_day']);
  });

  it('refuses a line without a grant reference or a date, and a date that is not a day', () => {
    expect(faultsOf(parsed([{ grantReference: null }, { date: null }, { date: '2026-02-30' }, { grantReference: 'x'.repeat(61) }]))).toEqual([
      'lines[1].grantReference:grant_reference_missing:required',
      'lines[2].date:session_date_missing:calendar_date',
      'lines[3].date:session_date_missing:calendar_date',
      'lines[4].grantReference:grant_reference_too_long:length',
    ]);
  });

  it('refuses a rate or amount that is not whole øre from 0 to a billion kroner, and a description over 500 characters', () => {
    expect(faultsOf(parsed([{ rateOre: 250.5 }, { amountOre: -1_250 }, { description: 'x'.repeat(501) }]))).toEqual([
      'lines[1].rateOre:rate_range:amount',
      'lines[2].amountOre:amount_range:amount',
      'lines[3].description:description_too_long:length',
    ]);
  });

  it('refuses another currency, an invoice number against the rule, an issue date ahead of today and days the portal does not hold', () => {
    expect(faultsOf(parsed([{ date: '1999-12-31' }], { currency: 'EUR', invoiceNumber: '=HYPERLINK("x")', issueDate: '2026-11-26', periodFrom: '2100-01-01' }))).toEqual([
      'currency:currency_dkk:currency_dkk',
      'invoiceNumber:invoice_number_format:invoice_number_format',
      'issueDate:issue_date_in_future:not_in_future',
      'periodFrom:date_window:date_window',
      'lines[1].date:date_window:date_window',
    ]);
  });

  it('refuses an invoice without lines and totals beyond the amounts it holds', () => {
    expect(faultsOf(parsed([]))).toEqual(['lines:no_lines:required']);
    expect(faultsOf(parsed([{}], { totals: { netOre: 45_000, vatOre: 11_250, totalOre: 1e15 } }))).toEqual(['totals:totals_range:amount']);
  });

  it('takes the period as stated when it is one, else from the first to the last session', () => {
    const lines = [{ date: '2026-10-14' }, { date: '2026-10-02', minutes: 30, amountOre: 22_500 }, { date: '2026-10-09' }];
    const ok = (invoice: ParsedInvoice) => {
      const result = receiveInvoice(invoice, '2026-11-25');
      if (!result.ok) throw new Error(JSON.stringify(result.faults));
      return result.invoice;
    };
    expect(ok(parsed(lines)).period).toEqual({ from: '2026-10-02', to: '2026-10-14' });
    expect(ok(parsed(lines, { periodFrom: '2026-10-01', periodTo: '2026-10-31' })).period).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(ok(parsed(lines, { periodFrom: '2026-10-31', periodTo: '2026-10-01' })).period).toEqual({ from: '2026-10-02', to: '2026-10-14' });
  });

  it('refuses at the door with the faults as the API’s details, in the language asked for', async () => {
    const refused = async (lang: 'da' | 'en') => {
      try {
        await readSubmission('application/json', { ...JSON_BODY, issueDate: '2026-11-26' }, {}, { ...context, lang });
      } catch (error) {
        if (error instanceof DomainException) return { message: error.message, details: error.details };
        throw error;
      }
      throw new Error('expected a refusal');
    };
    expect(await refused('en')).toEqual({
      message: 'The invoice cannot be read as mentor deliveries',
      details: [{ field: 'issueDate', rule: 'not_in_future', message: 'the issue date 2026-11-26 is in the future', values: { issueDate: '2026-11-26' } }],
    });
    expect(await refused('da')).toEqual({
      message: 'Fakturaen kan ikke læses som mentorydelser',
      details: [{ field: 'issueDate', rule: 'not_in_future', message: 'fakturadatoen 2026-11-26 ligger i fremtiden', values: { issueDate: '2026-11-26' } }],
    });
  });
});
