import { loadCatalogues } from '../common/i18n/messages';
import { templatesDir } from '../common/web/view-engine';
import { describeFault, type IntakeFault } from './intake-fault';
import { parseUblInvoice, maxElementDepth } from './ubl-invoice.parser';
import type { ParseResult, ParsedInvoice } from './parsed-invoice';

const catalogues = loadCatalogues(templatesDir());

// A fault as the API names it: field, rule, the English text and the line.
const told = (f: IntakeFault) => ({ field: f.field, rule: f.rule, message: describeFault(catalogues, 'en', f), ...(f.line === undefined ? {} : { line: f.line }) });

/** The parser's answer with its faults told in English, as the API's details have them. */
function answer(result: ParseResult) {
  return result.ok ? result : { ok: false, errors: result.faults.map(told) };
}

const NS =
  'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" ' +
  'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" ' +
  'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"';

function peppolLine(id: string, quantity: string, unit: string, amount: string, price: string, ref: string, date: string, base = ''): string {
  return `<cac:InvoiceLine>
    <cbc:ID>${id}</cbc:ID>
    <cbc:InvoicedQuantity unitCode="${unit}">${quantity}</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="DKK">${amount}</cbc:LineExtensionAmount>
    <cac:InvoicePeriod><cbc:StartDate>${date}</cbc:StartDate><cbc:EndDate>${date}</cbc:EndDate></cac:InvoicePeriod>
    <cac:OrderLineReference><cbc:LineID>${ref}</cbc:LineID></cac:OrderLineReference>
    <cac:Item><cbc:Name>Mentorstøtte &amp; samtale</cbc:Name></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="DKK">${price}</cbc:PriceAmount>${base}</cac:Price>
  </cac:InvoiceLine>`;
}

function peppolInvoice(lines: string, monetary = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Invoice ${NS}>
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ID>F-2026-0042</cbc:ID>
  <cbc:IssueDate>2026-03-31</cbc:IssueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
  <cac:InvoicePeriod><cbc:StartDate>2026-03-01</cbc:StartDate><cbc:EndDate>2026-03-31</cbc:EndDate></cac:InvoicePeriod>
  <cac:OrderReference><cbc:ID>MS-2026-000001</cbc:ID></cac:OrderReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID schemeID="0184">DK12345674</cbc:EndpointID>
    <cac:PartyIdentification><cbc:ID schemeID="0088">5798009811578</cbc:ID></cac:PartyIdentification>
    <cac:PartyName><cbc:Name>Mentorhuset ApS</cbc:Name></cac:PartyName>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="DKK">156.25</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="DKK">625.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="DKK">625.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="DKK">781.25</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="DKK">781.25</cbc:PayableAmount>${monetary}
  </cac:LegalMonetaryTotal>
  ${lines}
</Invoice>`;
}

const TWO_HUR_LINES =
  peppolLine('1', '1.5', 'HUR', '375.00', '250.00', 'MS-2026-000123', '2026-03-02') +
  peppolLine('2', '1', 'HUR', '250.00', '250.00', 'MS-2026-000456', '2026-03-09');

function invoiceOf(result: ParseResult): ParsedInvoice {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.faults)}`);
  return result.invoice;
}

function rulesOf(result: ParseResult): string[] {
  if (result.ok) throw new Error('expected a refusal');
  return result.faults.map((e) => e.rule);
}

describe('parseUblInvoice: Peppol BIS 3', () => {
  it('maps a Peppol invoice with 2 HUR lines and MS references', () => {
    const invoice = invoiceOf(parseUblInvoice(peppolInvoice(TWO_HUR_LINES)));
    expect(invoice).toMatchObject({
      source: 'ubl',
      documentType: 'invoice',
      invoiceNumber: 'F-2026-0042',
      issueDate: '2026-03-31',
      currency: 'DKK',
      seller: { cvr: '12345674', gln: '5798009811578', name: 'Mentorhuset ApS' },
      orderReference: 'MS-2026-000001',
      periodFrom: '2026-03-01',
      periodTo: '2026-03-31',
      totals: { netOre: 62_500, vatOre: 15_625, totalOre: 78_125 },
      billingReferences: [],
    });
    expect(invoice.lines).toEqual([
      {
        lineNo: 1,
        grantReference: 'MS-2026-000123',
        date: '2026-03-02',
        minutes: 90,
        quantityText: '1.5',
        unitCode: 'HUR',
        rateOre: 25_000,
        amountOre: 37_500,
        contactForm: null,
        description: 'Mentorstøtte & samtale',
      },
      expect.objectContaining({ lineNo: 2, grantReference: 'MS-2026-000456', date: '2026-03-09', minutes: 60, amountOre: 25_000 }),
    ]);
  });

  it('falls back to the document OrderReference and InvoicePeriod when the line has none', () => {
    const line = peppolLine('1', '1', 'HUR', '250.00', '250.00', 'not-a-grant', '2026-03-02').replace(
      /<cac:InvoicePeriod>.*?<\/cac:InvoicePeriod>/,
      '',
    );
    const invoice = invoiceOf(parseUblInvoice(peppolInvoice(line)));
    expect(invoice.lines[0]).toMatchObject({ grantReference: 'MS-2026-000001', date: '2026-03-01' });
  });

  it('takes the grant reference from a line DocumentReference and the date from Delivery', () => {
    const line = peppolLine('1', '1', 'HUR', '250.00', '250.00', '7', '2026-03-02')
      .replace(/<cac:InvoicePeriod>.*?<\/cac:InvoicePeriod>/, '<cac:Delivery><cbc:ActualDeliveryDate>2026-03-05</cbc:ActualDeliveryDate></cac:Delivery>')
      .replace('</cac:OrderLineReference>', '</cac:OrderLineReference><cac:DocumentReference><cbc:ID>MS-2026-000777</cbc:ID></cac:DocumentReference>');
    const invoice = invoiceOf(parseUblInvoice(peppolInvoice(line)));
    expect(invoice.lines[0]).toMatchObject({ grantReference: 'MS-2026-000777', date: '2026-03-05' });
  });

  it('converts MIN quantities and a BaseQuantity price to a rate per hour', () => {
    const line = peppolLine('1', '45', 'MIN', '187.50', '250.00', 'MS-2026-000123', '2026-03-02', '<cbc:BaseQuantity unitCode="MIN">60</cbc:BaseQuantity>');
    const invoice = invoiceOf(parseUblInvoice(peppolInvoice(line)));
    expect(invoice.lines[0]).toMatchObject({ minutes: 45, rateOre: 25_000, amountOre: 18_750, unitCode: 'MIN' });
  });

  it('gives minutes null for units that are not time, with the rate per unit rounded half up', () => {
    const line = peppolLine('1', '100', 'EA', '12.12', '0.1212', 'x', '2026-03-02');
    const invoice = invoiceOf(parseUblInvoice(peppolInvoice(line)));
    expect(invoice.lines[0]).toMatchObject({ minutes: null, rateOre: 12, amountOre: 1212, unitCode: 'EA' });
  });

  it('refuses HUR quantities that are not whole minutes', () => {
    const line = peppolLine('1', '1.01', 'HUR', '252.50', '250.00', 'MS-2026-000123', '2026-03-02');
    const result = parseUblInvoice(peppolInvoice(line));
    expect(rulesOf(result)).toEqual(['quantity_minutes']);
    expect(!result.ok && result.faults[0]).toMatchObject({ field: 'lines[1].quantity', line: 1 });
  });

  it('accepts bytes with a UTF-8 BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(peppolInvoice(TWO_HUR_LINES), 'utf8')]);
    expect(invoiceOf(parseUblInvoice(bytes)).lines).toHaveLength(2);
  });

  it('reports missing required fields instead of throwing', () => {
    const xml = peppolInvoice(TWO_HUR_LINES).replace('<cbc:IssueDate>2026-03-31</cbc:IssueDate>', '<cbc:IssueDate>31-03-2026</cbc:IssueDate>');
    expect(rulesOf(parseUblInvoice(xml))).toEqual(['date_format']);
  });

  it('refuses a document that is not an Invoice or CreditNote', () => {
    expect(rulesOf(parseUblInvoice('<Order><ID>1</ID></Order>'))).toEqual(['document_type']);
  });
});

describe('parseUblInvoice: OIOUBL and credit notes', () => {
  const oioubl = `<?xml version="1.0" encoding="UTF-8"?>
<Invoice ${NS}>
  <cbc:UBLVersionID>2.0</cbc:UBLVersionID>
  <cbc:CustomizationID>OIOUBL-2.02</cbc:CustomizationID>
  <cbc:ID>A00095678</cbc:ID>
  <cbc:IssueDate>2026-02-28</cbc:IssueDate>
  <cbc:InvoiceTypeCode listAgencyID="320">380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
  <cac:OrderReference><cbc:ID>MS-2026-000123</cbc:ID></cac:OrderReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID schemeID="DK:CVR">DK16356706</cbc:EndpointID>
    <cac:PartyName><cbc:Name>Tavleleverandøren</cbc:Name></cac:PartyName>
    <cac:PartyTaxScheme><cbc:CompanyID schemeID="DK:SE">DK16356706</cbc:CompanyID></cac:PartyTaxScheme>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:Amount currencyID="DKK">50.00</cbc:Amount></cac:AllowanceCharge>
  <cac:TaxTotal><cbc:TaxAmount currencyID="DKK">112.50</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="DKK">500.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="DKK">112.50</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="DKK">562.50</cbc:TaxInclusiveAmount>
    <cbc:AllowanceTotalAmount currencyID="DKK">50.00</cbc:AllowanceTotalAmount>
    <cbc:PayableAmount currencyID="DKK">562.50</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="HUR">2.00</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="DKK">500.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Description>Mentorforløb</cbc:Description></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="DKK">250.00</cbc:PriceAmount><cbc:BaseQuantity unitCode="HUR">1</cbc:BaseQuantity></cac:Price>
  </cac:InvoiceLine>
</Invoice>`;

  it('maps an OIOUBL 2.x invoice, where TaxExclusiveAmount is the VAT amount', () => {
    const invoice = invoiceOf(parseUblInvoice(oioubl));
    expect(invoice).toMatchObject({
      invoiceNumber: 'A00095678',
      seller: { cvr: '16356706', gln: null, name: 'Tavleleverandøren' },
      orderReference: 'MS-2026-000123',
      totals: { netOre: 45_000, vatOre: 11_250, totalOre: 56_250 },
    });
    expect(invoice.lines).toEqual([
      expect.objectContaining({ grantReference: 'MS-2026-000123', date: null, minutes: 120, rateOre: 25_000, amountOre: 50_000, description: 'Mentorforløb' }),
    ]);
  });

  it('maps a credit note with CreditedQuantity and billing references', () => {
    const credit = `<?xml version="1.0"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>K-7</cbc:ID>
  <cbc:IssueDate>2026-04-02</cbc:IssueDate>
  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
  <cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
  <cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>F-2026-0042</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>
  <cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>F-2026-0043</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID schemeID="0088">5798009811578</cbc:EndpointID>
    <cac:PartyLegalEntity><cbc:RegistrationName>Mentorhuset ApS</cbc:RegistrationName><cbc:CompanyID schemeID="0184">12345674</cbc:CompanyID></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="DKK">62.50</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="DKK">250.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="DKK">250.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="DKK">312.50</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="DKK">312.50</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:CreditNoteLine>
    <cbc:ID>1</cbc:ID>
    <cbc:CreditedQuantity unitCode="HUR">1</cbc:CreditedQuantity>
    <cbc:LineExtensionAmount currencyID="DKK">250.00</cbc:LineExtensionAmount>
    <cac:OrderLineReference><cbc:LineID>1</cbc:LineID><cac:OrderReference><cbc:ID>MS-2026-000123</cbc:ID></cac:OrderReference></cac:OrderLineReference>
    <cac:Item><cbc:Name>Mentortime</cbc:Name></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="DKK">250.00</cbc:PriceAmount></cac:Price>
  </cac:CreditNoteLine>
</CreditNote>`;
    const invoice = invoiceOf(parseUblInvoice(credit));
    expect(invoice).toMatchObject({
      documentType: 'credit_note',
      invoiceNumber: 'K-7',
      billingReferences: ['F-2026-0042', 'F-2026-0043'],
      seller: { cvr: '12345674', gln: '5798009811578', name: 'Mentorhuset ApS' },
      orderReference: null,
      totals: { netOre: 25_000, vatOre: 6_250, totalOre: 31_250 },
    });
    expect(invoice.lines[0]).toMatchObject({ grantReference: 'MS-2026-000123', minutes: 60, quantityText: '1', amountOre: 25_000 });
  });
});

describe('parseUblInvoice: hardening', () => {
  it('refuses XXE (a DOCTYPE with an external entity) before parsing', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Invoice><cbc:ID>&e;</cbc:ID></Invoice>`;
    expect(rulesOf(parseUblInvoice(xml))).toEqual(['dtd_forbidden']);
  });

  it('refuses billion laughs', () => {
    const entities = Array.from({ length: 10 }, (_, i) =>
      i === 0 ? '<!ENTITY lol0 "lol">' : `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`,
    ).join('');
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [${entities}]><lolz>&lol9;</lolz>`;
    expect(rulesOf(parseUblInvoice(xml))).toEqual(['dtd_forbidden']);
  });

  it('refuses a lone ENTITY declaration and lower-case doctype too', () => {
    expect(rulesOf(parseUblInvoice('<!doctype Invoice><Invoice/>'))).toEqual(['dtd_forbidden']);
    expect(rulesOf(parseUblInvoice('<Invoice><!ENTITY x "y"></Invoice>'))).toEqual(['dtd_forbidden']);
  });

  it('refuses too deep nesting', () => {
    const xml = `${'<a>'.repeat(65)}x${'</a>'.repeat(65)}`;
    expect(rulesOf(parseUblInvoice(xml))).toEqual(['max_depth']);
    expect(maxElementDepth(`<a x="<b>"><!-- <c> --><d/><e><![CDATA[<f>]]></e></a>`, 64)).toBe(2);
  });

  it('accepts 64 levels (the limit is configurable)', () => {
    const xml = `${'<a>'.repeat(64)}x${'</a>'.repeat(64)}`;
    expect(rulesOf(parseUblInvoice(xml))).toEqual(['document_type']);
    expect(rulesOf(parseUblInvoice(xml, { maxDepth: 10 }))).toEqual(['max_depth']);
  });

  it('refuses input over the size limit', () => {
    expect(rulesOf(parseUblInvoice(peppolInvoice(TWO_HUR_LINES), { maxBytes: 1000 }))).toEqual(['max_size']);
    const big = `<Invoice>${' '.repeat(5 * 1024 * 1024)}</Invoice>`;
    expect(rulesOf(parseUblInvoice(big))).toEqual(['max_size']);
  });

  it.each([
    ['unclosed element', '<Invoice><cbc:ID>1</Invoice>'],
    ['garbage', 'this is not xml'],
    ['empty', ''],
    ['truncated', peppolInvoice(TWO_HUR_LINES).slice(0, 500)],
  ])('reports malformed XML (%s) as an error, never a throw', (_name, xml) => {
    const result = parseUblInvoice(xml);
    expect(result.ok).toBe(false);
    expect(rulesOf(result)[0]).toMatch(/^(xml_malformed|document_type)$/);
  });
});

describe('parseUblInvoice: the declared encoding', () => {
  const withName = (name: string, encoding: string) =>
    peppolInvoice(peppolLine('1', '1', 'HUR', '250.00', '250.00', 'MS-2026-000123', '2026-03-02')).replace('encoding="UTF-8"', `encoding="${encoding}"`).replace('Mentorstøtte &amp; samtale', name);
  const nameOf = (result: ParseResult) => invoiceOf(result).lines[0].description;

  it.each(['ISO-8859-1', 'iso-8859-1', 'latin1', 'Latin-1', 'ISO_8859-1'])('reads a document declared %s in that encoding', (encoding) => {
    expect(nameOf(parseUblInvoice(Buffer.from(withName('Samtale med Søren på værkstedet', encoding), 'latin1')))).toBe('Samtale med Søren på værkstedet');
  });

  it('reads windows-1252, whose € and – are bytes 0x80 and 0x96', () => {
    const [before, after] = withName('@', 'windows-1252').split('@');
    const bytes = Buffer.concat([Buffer.from(before, 'latin1'), Buffer.from([0x35, 0x20, 0x80, 0x20, 0x96, 0x20, 0xc6, 0xd8, 0xc5]), Buffer.from(after, 'latin1')]);
    expect(nameOf(parseUblInvoice(bytes))).toBe('5 € – ÆØÅ');
  });

  it('reads UTF-8 when declared, and when nothing is declared', () => {
    expect(nameOf(parseUblInvoice(Buffer.from(withName('Søren', 'UTF-8'), 'utf8')))).toBe('Søren');
    expect(nameOf(parseUblInvoice(Buffer.from(withName('Søren', 'UTF-8').replace(' encoding="UTF-8"', ''), 'utf8')))).toBe('Søren');
  });

  it('lets a UTF-8 byte order mark win over the declaration', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(withName('Søren', 'ISO-8859-1'), 'utf8')]);
    expect(nameOf(parseUblInvoice(bytes))).toBe('Søren');
  });

  it('refuses an encoding it cannot read, UTF-16 and bytes that are not the declared encoding', () => {
    const refusal = (bytes: Buffer) => {
      const result = parseUblInvoice(bytes);
      if (result.ok) throw new Error('expected a refusal');
      return result.faults.map(told);
    };
    expect(refusal(Buffer.from(withName('Søren', 'x-klingon'), 'latin1'))).toEqual([
      { field: 'document', rule: 'xml_encoding', message: "The XML declaration names the encoding 'x-klingon', which cannot be read; send UTF-8, ISO-8859-1 or windows-1252." },
    ]);
    expect(refusal(Buffer.from(withName('Søren', 'UTF-16'), 'latin1'))).toMatchObject([{ rule: 'xml_encoding' }]);
    expect(refusal(Buffer.from(withName('Søren', 'ISO-2022-KR'), 'latin1'))).toMatchObject([{ rule: 'xml_encoding' }]);
    expect(refusal(Buffer.from(withName('Søren', 'a b'), 'latin1'))).toEqual([
      { field: 'document', rule: 'xml_encoding', message: 'The XML declaration names an encoding, which cannot be read; send UTF-8, ISO-8859-1 or windows-1252.' },
    ]);
    expect(refusal(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(withName('Søren', 'UTF-16'), 'utf16le')]))).toMatchObject([{ rule: 'xml_encoding' }]);
    expect(refusal(Buffer.from(withName('Søren', 'UTF-8'), 'latin1'))).toEqual([{ field: 'document', rule: 'xml_encoding', message: 'The document is not valid UTF-8, the encoding it declares.' }]);
    expect(refusal(Buffer.from(withName('Søren', 'UTF-8').replace(' encoding="UTF-8"', ''), 'latin1'))).toEqual([
      { field: 'document', rule: 'xml_encoding', message: 'The document is not valid UTF-8 (its XML declaration names no other encoding).' },
    ]);
    expect(refusal(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(withName('Søren', 'UTF-8'), 'latin1')]))).toEqual([
      { field: 'document', rule: 'xml_encoding', message: 'The document starts with a UTF-8 byte order mark but is not valid UTF-8.' },
    ]);
  });

  it('refuses a DTD and deep nesting before it looks at the encoding', () => {
    const withDtd = withName('Søren', 'x-klingon').replace('?>', '?><!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>');
    expect(rulesOf(parseUblInvoice(Buffer.from(withDtd, 'latin1')))).toEqual(['dtd_forbidden']);
    expect(rulesOf(parseUblInvoice(Buffer.from(withDtd.replace('x-klingon', 'UTF-8'), 'latin1')))).toEqual(['dtd_forbidden']);
    const deep = withName('Søren', 'UTF-8').replace('<cbc:IssueDate>', `${'<cbc:Note>'.repeat(65)}${'</cbc:Note>'.repeat(65)}<cbc:IssueDate>`);
    expect(rulesOf(parseUblInvoice(Buffer.from(deep, 'latin1')))).toEqual(['max_depth']);
  });
});

describe('parseUblInvoice: the UBL namespaces', () => {
  const invoice = peppolInvoice(TWO_HUR_LINES);
  const INVOICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
  const CREDIT_NOTE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';

  it('reads an Invoice in its namespace, also with a prefix on the root, and a CreditNote in its own', () => {
    expect(invoiceOf(parseUblInvoice(invoice)).documentType).toBe('invoice');
    const prefixed = invoice.replace(`<Invoice xmlns="${INVOICE_NS}"`, `<ubl:Invoice xmlns:ubl="${INVOICE_NS}"`).replace('</Invoice>', '</ubl:Invoice>');
    expect(invoiceOf(parseUblInvoice(prefixed)).lines).toHaveLength(2);
    const credit = `<CreditNote xmlns="${CREDIT_NOTE_NS}" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>K-1</cbc:ID></CreditNote>`;
    expect(rulesOf(parseUblInvoice(credit))).not.toContain('document_type');
  });

  it('refuses an Invoice in no namespace, in another one, or a CreditNote in the Invoice namespace', () => {
    const noNamespace = invoice.replace(` xmlns="${INVOICE_NS}"`, '');
    expect(answer(parseUblInvoice(noNamespace))).toEqual({
      ok: false,
      errors: [{ field: 'document', rule: 'document_type', message: `The root element Invoice is in no namespace; a UBL invoice is in ${INVOICE_NS} and a credit note in ${CREDIT_NOTE_NS}.` }],
    });
    expect(answer(parseUblInvoice(invoice.replace(INVOICE_NS, 'urn:example:not-ubl')))).toEqual({
      ok: false,
      errors: [{ field: 'document', rule: 'document_type', message: `The root element Invoice is in the namespace urn:example:not-ubl; a UBL invoice is in ${INVOICE_NS} and a credit note in ${CREDIT_NOTE_NS}.` }],
    });
    // a prefix bound to the namespace, but the root in none: the default namespace is what counts
    const unbound = invoice.replace(`xmlns="${INVOICE_NS}"`, `xmlns:ubl="${INVOICE_NS}"`);
    expect(rulesOf(parseUblInvoice(unbound))).toEqual(['document_type']);
    expect(rulesOf(parseUblInvoice(`<CreditNote xmlns="${INVOICE_NS}"><ID>K-1</ID></CreditNote>`))).toEqual(['document_type']);
    expect(rulesOf(parseUblInvoice(`<?xml version="1.0"?><!-- <Invoice xmlns="${INVOICE_NS}"> --><Order xmlns="${INVOICE_NS}"/>`))).toEqual(['document_type']);
  });
});
