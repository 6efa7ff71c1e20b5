/**
 * UBL e-invoice (Peppol BIS Billing 3.0 Invoice / CreditNote, UBL 2.1, and OIOUBL 2.x / 3.0) →
 * ParsedInvoice (source 'ubl'), or the document's faults (IntakeFault, codes ubl_*; the rule each had in the API
 * is named below). Pure: takes the XML text, returns a result, never throws.
 *
 * Hardening, all BEFORE the XML parser sees the text:
 * - input above maxBytes (default 5 MB, UTF-8 bytes) is refused: rule max_size;
 * - any '<!DOCTYPE' or '<!ENTITY' (case-insensitive) is refused: rule dtd_forbidden
 *   (this stops XXE and billion-laughs outright; no DTD is ever read);
 * - a quick scan refuses more than maxDepth nested elements (default 64): rule max_depth;
 * - malformed XML is reported as rule xml_malformed.
 * Bytes are decoded in the encoding the XML declaration names (UTF-8 when it names none; a UTF-8 byte order
 * mark wins over the declaration), through the WHATWG decoders (TextDecoder: ISO-8859-1 reads as its superset
 * windows-1252, as in browsers). An encoding it does not know, UTF-16 and bytes that are not valid in the
 * encoding are refused: rule xml_encoding. Text already decoded (a string) is taken as it is.
 * The root element must be a UBL 2.1 Invoice or CreditNote in its namespace (Peppol BIS 3, OIOUBL 2.1 and
 * 3.0 all use them); anything else, also an Invoice in no namespace, is rule document_type.
 * The parser runs with processEntities: false and htmlEntities: false; only the five predefined
 * XML entities and numeric character references are decoded, by hand, in text values.
 *
 * Mapping decisions
 * - seller CVR: EndpointID with schemeID 0184 or DK:CVR, else PartyIdentification/ID with those
 *   schemes, else PartyTaxScheme/CompanyID 'DK12345678', else PartyLegalEntity/CompanyID; the
 *   'DK' prefix is removed and the value must be 8 digits. GLN: EndpointID or PartyIdentification/ID
 *   with schemeID 0088 or GLN.
 * - line grantReference: the first of OrderLineReference/OrderReference/ID, OrderLineReference/LineID,
 *   DocumentReference/ID that looks like MS-YYYY-NNNNNN; otherwise the document OrderReference/ID
 *   (which may be null or not MS-shaped: the check of a received invoice refuses a line without one, and
 *   validation answers one that is no grant of the supplier's).
 * - quantity HUR → minutes (must be whole minutes: rule quantity_minutes), MIN → minutes (whole);
 *   any other unit → minutes null (which the check of a received invoice refuses).
 * - rateOre = PriceAmount / BaseQuantity, per hour for HUR and MIN (× 60 for MIN), per unit otherwise;
 *   rounded half up to whole øre (prices may have 4 decimals).
 * - line date: line InvoicePeriod/StartDate, else line Delivery/ActualDeliveryDate, else document
 *   InvoicePeriod/StartDate, else null (which the check of a received invoice refuses).
 * - totals: vat = the TaxTotal/TaxAmount in the document currency (a TaxTotal in TaxCurrencyCode
 *   is ignored); total = LegalMonetaryTotal/TaxInclusiveAmount; net = TaxExclusiveAmount, EXCEPT in
 *   OIOUBL 2.x (CustomizationID 'OIOUBL-2…'), where TaxExclusiveAmount holds the VAT amount
 *   ("momsbeløb"): there net = LineExtensionAmount − AllowanceTotalAmount + ChargeTotalAmount.
 *   totals is null when one of the three is missing. Prepaid and rounding amounts only affect
 *   PayableAmount, which is not part of the totals.
 * - amounts with more than 2 decimals round half up to whole øre; rates and amounts beyond MAX_AMOUNT_ORE
 *   (1 billion) are refused: rule amount_range on a line, amount_format on a total.
 */
import { isCalendarDate } from '../common/time/calendar-date';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fault, type FaultValues, type IntakeFault, type IntakeFaultCode } from './intake-fault';
import { divideRoundingHalfUp } from './invoice-amounts';
import { GRANT_REFERENCE, MAX_AMOUNT_ORE, parseExactDecimal, parseOre, ParsedInvoice, ParsedLine, ParseResult } from './parsed-invoice';

export const UBL_DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const UBL_DEFAULT_MAX_DEPTH = 64;

export interface UblParseOptions {
  maxBytes?: number;
  maxDepth?: number;
}

type XmlNode = { [key: string]: XmlValue };
type XmlValue = string | XmlNode | XmlNode[] | string[] | undefined;

const DTD_PATTERN = /<!\s*(DOCTYPE|ENTITY)/i;

export const UBL_INVOICE_NAMESPACE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
export const UBL_CREDIT_NOTE_NAMESPACE = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
const ROOT_NAMESPACES: Record<string, string> = { Invoice: UBL_INVOICE_NAMESPACE, CreditNote: UBL_CREDIT_NOTE_NAMESPACE };

// The encoding pseudo-attribute of an XML declaration, read from the bytes as ASCII (the declaration is ASCII in every
// encoding the portal reads).
const DECLARED_ENCODING = /^<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([^"'<>]{0,64})\1/;
const ENCODING_LABEL = /^[A-Za-z][A-Za-z0-9._:-]{0,39}$/;
// A label other XML tools write that the WHATWG list lacks.
const ENCODING_ALIASES: Record<string, string> = { 'latin-1': 'latin1' };

type Decoded = { ok: true; xml: string } | { ok: false; result: ParseResult };

/** A document in UTF-16 (by its byte order mark), which is refused before its bytes are looked at as ASCII. */
function utf16Refusal(bytes: Uint8Array): ParseResult | null {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fail('ubl_utf16');
  }
  return null;
}

/** The document's bytes as text, in the encoding it declares; a byte order mark of UTF-8 wins. */
function decodeDocument(bytes: Uint8Array): Decoded {
  const refuse = (code: IntakeFaultCode, values: FaultValues = {}): Decoded => ({ ok: false, result: fail(code, values) });
  const readAs = (label: string, from: number, invalid: () => Decoded): Decoded => {
    try {
      return { ok: true, xml: new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(from)) };
    } catch {
      return invalid();
    }
  };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return readAs('utf-8', 3, () => refuse('ubl_bom_not_utf8'));
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 256)).toString('latin1');
  const declared = DECLARED_ENCODING.exec(head)?.[2];
  if (declared === undefined) return readAs('utf-8', 0, () => refuse('ubl_not_utf8'));
  let encoding: string | null = null;
  try {
    const label = declared.toLowerCase();
    encoding = ENCODING_LABEL.test(declared) ? new TextDecoder(ENCODING_ALIASES[label] ?? label).encoding : null;
  } catch {
    encoding = null;
  }
  // UTF-16 declared in ASCII bytes is not UTF-16; 'replacement' is the decoder of encodings that are never read.
  if (encoding === null || encoding === 'utf-16le' || encoding === 'utf-16be' || encoding === 'replacement') {
    return ENCODING_LABEL.test(declared) ? refuse('ubl_encoding_unknown', { encoding: declared }) : refuse('ubl_encoding_unnamed');
  }
  return readAs(encoding, 0, () => refuse('ubl_not_in_encoding', { encoding: declared }));
}

/** The root element's name and namespace, from its start tag (prefix bound on the tag itself, as UBL documents do). */
function rootElement(xml: string): { name: string; local: string; namespace: string | null } | null {
  let i = 0;
  for (;;) {
    i = xml.indexOf('<', i);
    if (i < 0) return null;
    if (xml.startsWith('<?', i)) i = xml.indexOf('?>', i + 2);
    else if (xml.startsWith('<!--', i)) i = xml.indexOf('-->', i + 4);
    else break;
    if (i < 0) return null;
  }
  const tag = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(xml.slice(i, i + 64 * 1024));
  if (tag === null) return null;
  const name = tag[1];
  const colon = name.indexOf(':');
  const prefix = colon < 0 ? '' : name.slice(0, colon);
  const wanted = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
  let namespace: string | null = null;
  for (const attribute of tag[2].matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    // compared as written: a namespace name is a URI, and ' urn:…' is another one
    if (attribute[1] === wanted) namespace = decodeEntities(attribute[2] ?? attribute[3] ?? '');
  }
  return { name, local: colon < 0 ? name : name.slice(colon + 1), namespace: namespace === '' ? null : namespace };
}

/** Null when the root is a UBL Invoice or CreditNote in its namespace, else why not. */
function rootProblem(xml: string): ParseResult | null {
  const root = rootElement(xml);
  const expected = root === null ? undefined : ROOT_NAMESPACES[root.local];
  if (root === null || expected === undefined) return fail('ubl_not_ubl');
  if (root.namespace === expected) return null;
  const name = root.name.slice(0, 60);
  return root.namespace === null ? fail('ubl_root_no_namespace', { root: name }) : fail('ubl_root_namespace', { root: name, namespace: root.namespace.slice(0, 200) });
}

// A refusal of the whole document.
function fail(code: IntakeFaultCode, values: FaultValues = {}): ParseResult {
  return { ok: false, faults: [fault(code, 'document', values)] };
}

/** Deepest element nesting, by a scan over '<' only; stops early once above limit. */
export function maxElementDepth(xml: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let i = xml.indexOf('<');
  while (i >= 0 && i < xml.length) {
    const next = xml.charCodeAt(i + 1);
    if (next === 33) {
      // '<!': comment, CDATA (anything else was refused as DTD already)
      if (xml.startsWith('<!--', i)) {
        const end = xml.indexOf('-->', i + 4);
        if (end < 0) break;
        i = xml.indexOf('<', end + 3);
      } else if (xml.startsWith('<![CDATA[', i)) {
        const end = xml.indexOf(']]>', i + 9);
        if (end < 0) break;
        i = xml.indexOf('<', end + 3);
      } else {
        i = xml.indexOf('<', i + 2);
      }
      continue;
    }
    if (next === 63) {
      // '<?' processing instruction
      const end = xml.indexOf('?>', i + 2);
      if (end < 0) break;
      i = xml.indexOf('<', end + 2);
      continue;
    }
    // find the end of the tag, honouring quoted attribute values
    let j = i + 1;
    let quote = 0;
    for (; j < xml.length; j++) {
      const c = xml.charCodeAt(j);
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 62) break;
    }
    if (next === 47) depth--;
    else if (xml.charCodeAt(j - 1) !== 47) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    }
    i = xml.indexOf('<', j + 1);
  }
  return max;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
  // every element is an array: one shape for single and repeated elements
  isArray: (_name: string, _jpath: unknown, _isLeaf: boolean, isAttribute: boolean) => !isAttribute,
});

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|quot|apos|amp);/g, (whole: string, name: string) => {
    switch (name) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      case 'amp':
        return '&';
      default: {
        const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
    }
  });
}

function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === 'string' ? { '#text': v } : v));
}

function child(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let current = node;
  for (const name of path) {
    current = children(current, name)[0];
    if (current === undefined) return undefined;
  }
  return current;
}

function text(node: XmlNode | undefined): string | null {
  if (node === undefined) return null;
  const value = node['#text'];
  if (typeof value === 'string') return decodeEntities(value).trim();
  if (Array.isArray(value) && typeof value[0] === 'string') return decodeEntities(value.join('')).trim();
  return '';
}

function textAt(node: XmlNode | undefined, ...path: string[]): string | null {
  const value = text(child(node, ...path));
  return value === null || value === '' ? null : value;
}

function attr(node: XmlNode | undefined, name: string): string | null {
  const value = node?.[`@_${name}`];
  return typeof value === 'string' ? value.trim() : null;
}

function normaliseCvr(value: string | null): string | null {
  if (value === null) return null;
  let v = value.replace(/\s+/g, '').toUpperCase();
  if (v.startsWith('DK:')) v = v.slice(3);
  if (v.startsWith('DK')) v = v.slice(2);
  return /^\d{8}$/.test(v) ? v : null;
}

const CVR_SCHEMES = new Set(['0184', 'DK:CVR']);
const GLN_SCHEMES = new Set(['0088', 'GLN']);

function sellerOf(party: XmlNode | undefined): ParsedInvoice['seller'] {
  const ids: XmlNode[] = [...children(party, 'EndpointID')];
  for (const identification of children(party, 'PartyIdentification')) ids.push(...children(identification, 'ID'));
  let cvr: string | null = null;
  let gln: string | null = null;
  for (const id of ids) {
    const scheme = (attr(id, 'schemeID') ?? '').toUpperCase();
    if (cvr === null && CVR_SCHEMES.has(scheme)) cvr = normaliseCvr(text(id));
    if (gln === null && GLN_SCHEMES.has(scheme)) {
      const value = text(id);
      if (value !== null && /^\d{13}$/.test(value)) gln = value;
    }
  }
  if (cvr === null) {
    for (const taxScheme of children(party, 'PartyTaxScheme')) {
      const value = text(child(taxScheme, 'CompanyID'));
      if (value !== null && /^DK\s*\d{8}$/i.test(value)) {
        cvr = normaliseCvr(value);
        break;
      }
    }
  }
  if (cvr === null) {
    for (const legal of children(party, 'PartyLegalEntity')) {
      const id = child(legal, 'CompanyID');
      const scheme = (attr(id, 'schemeID') ?? '').toUpperCase();
      const value = text(id);
      if (value !== null && (CVR_SCHEMES.has(scheme) || /^DK\s*\d{8}$/i.test(value))) {
        cvr = normaliseCvr(value);
        if (cvr !== null) break;
      }
    }
  }
  const name = textAt(party, 'PartyName', 'Name') ?? textAt(party, 'PartyLegalEntity', 'RegistrationName');
  return { cvr, gln, name };
}

/**
 * The buyer the e-invoice is addressed to: its EndpointID with its scheme (0088 or GLN for a location number), and
 * its reference: BuyerReference (Peppol), else the buyer contact's ID (OIOUBL's person reference).
 */
function buyerOf(root: XmlNode): NonNullable<ParsedInvoice['buyer']> {
  const party = child(root, 'AccountingCustomerParty', 'Party');
  const endpoint = child(party, 'EndpointID');
  const id = text(endpoint);
  const reference = textAt(root, 'BuyerReference') ?? textAt(party, 'Contact', 'ID');
  return { endpoint: id ? { scheme: (attr(endpoint, 'schemeID') ?? '').toUpperCase(), id } : null, reference };
}

/** price × 100 × (minutesFactor) / base, rounded half up; null when not computable. */
function rateOreOf(priceText: string, baseText: string | null, perHourFactor: bigint): number | null {
  const price = parseExactDecimal(priceText);
  const base = baseText === null ? { units: 1n, scale: 0 } : parseExactDecimal(baseText);
  if (price === null || base === null || base.units === 0n) return null;
  let numerator = price.units * 100n * perHourFactor * 10n ** BigInt(base.scale);
  let denominator = base.units * 10n ** BigInt(price.scale);
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const result = divideRoundingHalfUp(numerator, denominator);
  if (result > BigInt(Number.MAX_SAFE_INTEGER) || result < BigInt(Number.MIN_SAFE_INTEGER)) return null;
  return Number(result);
}

// Amounts beyond MAX_AMOUNT_ORE are refused like malformed ones: their sums would leave the safe integers.
const inRange = (ore: number): boolean => Math.abs(ore) <= MAX_AMOUNT_ORE;

function moneyAt(node: XmlNode | undefined, name: string): { present: boolean; ore: number | null } {
  const value = textAt(node, name);
  if (value === null) return { present: false, ore: null };
  const ore = parseOre(value);
  return { present: true, ore: ore !== null && inRange(ore) ? ore : null };
}

export function parseUblInvoice(input: string | Uint8Array, options: UblParseOptions = {}): ParseResult {
  try {
    return parseUblUnsafe(input, options);
  } catch (error) {
    return fail('ubl_unreadable', { reason: error instanceof Error ? error.message : String(error) });
  }
}

function parseUblUnsafe(input: string | Uint8Array, options: UblParseOptions): ParseResult {
  const maxBytes = options.maxBytes ?? UBL_DEFAULT_MAX_BYTES;
  const maxDepth = options.maxDepth ?? UBL_DEFAULT_MAX_DEPTH;
  const byteLength = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (byteLength > maxBytes) return fail('ubl_too_large', { bytes: byteLength, max: maxBytes });
  // No DTD and no deep nesting, checked before anything else is read: in bytes, before the encoding is looked at,
  // on their ASCII view (every encoding read here writes '<', '!' and '>' as ASCII), and again on the text.
  const refused = (text: string): ParseResult | null => {
    if (DTD_PATTERN.test(text)) return fail('ubl_dtd');
    if (maxElementDepth(text, maxDepth) > maxDepth) return fail('ubl_too_deep', { max: maxDepth });
    return null;
  };
  let xml: string;
  if (typeof input === 'string') xml = input;
  else {
    const early = utf16Refusal(input) ?? refused(Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1'));
    if (early !== null) return early;
    const decoded = decodeDocument(input);
    if (!decoded.ok) return decoded.result;
    xml = decoded.xml;
  }
  if (xml.charCodeAt(0) === 0xfeff) xml = xml.slice(1);
  const late = refused(xml);
  if (late !== null) return late;
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line } = validation.err;
    return { ok: false, faults: [fault('ubl_malformed', 'document', { reason: msg }, line)] };
  }
  const notUbl = rootProblem(xml);
  if (notUbl !== null) return notUbl;
  const parsed = parser.parse(xml) as XmlNode;
  const invoiceRoot = child(parsed, 'Invoice');
  const creditRoot = child(parsed, 'CreditNote');
  const root = invoiceRoot ?? creditRoot;
  if (root === undefined) return fail('ubl_not_ubl');
  const documentType: ParsedInvoice['documentType'] = invoiceRoot !== undefined ? 'invoice' : 'credit_note';
  const faults: IntakeFault[] = [];

  const invoiceNumber = textAt(root, 'ID');
  if (invoiceNumber === null) faults.push(fault('ubl_invoice_number_missing', 'invoiceNumber'));
  const issueDate = textAt(root, 'IssueDate');
  if (issueDate === null || !isCalendarDate(issueDate)) faults.push(fault('ubl_issue_date_format', 'issueDate', { value: issueDate ?? '' }));
  const currency = textAt(root, 'DocumentCurrencyCode');
  if (currency === null) faults.push(fault('ubl_currency_missing', 'currency'));

  const seller = sellerOf(child(root, 'AccountingSupplierParty', 'Party'));
  const buyer = buyerOf(root);
  const orderReference = textAt(root, 'OrderReference', 'ID');
  const periodFrom = textAt(root, 'InvoicePeriod', 'StartDate');
  const invoicePeriodTo = textAt(root, 'InvoicePeriod', 'EndDate');
  for (const [field, value] of [
    ['periodFrom', periodFrom],
    ['periodTo', invoicePeriodTo],
  ] as const) {
    if (value !== null && !isCalendarDate(value)) faults.push(fault('ubl_period_date_format', field, { value }));
  }
  const billingReferences: string[] = [];
  for (const reference of children(root, 'BillingReference')) {
    const id = textAt(reference, 'InvoiceDocumentReference', 'ID');
    if (id !== null) billingReferences.push(id);
  }

  const lineNodes = documentType === 'invoice' ? children(root, 'InvoiceLine') : children(root, 'CreditNoteLine');
  const quantityName = documentType === 'invoice' ? 'InvoicedQuantity' : 'CreditedQuantity';
  if (lineNodes.length === 0) faults.push(fault('ubl_no_lines', 'lines'));
  const lines: ParsedLine[] = [];
  lineNodes.forEach((lineNode, index) => {
    const lineNo = index + 1;
    const add = (field: string, code: IntakeFaultCode, values: FaultValues): void => {
      faults.push(fault(code, `lines[${lineNo}].${field}`, values, lineNo));
    };
    const quantityNode = child(lineNode, quantityName);
    const quantityText = text(quantityNode) ?? '';
    const unitCode = attr(quantityNode, 'unitCode');
    const quantity = parseExactDecimal(quantityText);
    if (quantityNode === undefined || quantity === null) add('quantity', 'ubl_quantity_format', { element: quantityName, value: quantityText });

    let minutes: number | null = null;
    let perHourFactor = 1n;
    const unit = (unitCode ?? '').toUpperCase();
    if (quantity !== null && (unit === 'HUR' || unit === 'MIN')) {
      const multiplier = unit === 'HUR' ? 60n : 1n;
      perHourFactor = multiplier === 60n ? 1n : 60n;
      const denominator = 10n ** BigInt(quantity.scale);
      const scaled = quantity.units * multiplier;
      if (scaled % denominator !== 0n) {
        add('quantity', 'ubl_quantity_minutes', { value: quantityText, unit });
      } else {
        minutes = Number(scaled / denominator);
      }
    }

    const amountText = textAt(lineNode, 'LineExtensionAmount');
    let amountOre = amountText === null ? null : parseOre(amountText);
    if (amountOre === null) add('amount', 'ubl_amount_format', { value: amountText ?? '' });
    else if (!inRange(amountOre)) {
      add('amount', 'ubl_amount_range', { value: amountText ?? '', max: MAX_AMOUNT_ORE / 100 });
      amountOre = null;
    }

    const priceText = textAt(lineNode, 'Price', 'PriceAmount');
    let rateOre = priceText === null ? null : rateOreOf(priceText, textAt(lineNode, 'Price', 'BaseQuantity'), perHourFactor);
    if (rateOre === null) add('rate', 'ubl_price_format', { value: priceText ?? '' });
    else if (!inRange(rateOre)) {
      add('rate', 'ubl_price_range', { value: priceText ?? '', max: MAX_AMOUNT_ORE / 100 });
      rateOre = null;
    }

    const candidates: (string | null)[] = [
      textAt(lineNode, 'OrderLineReference', 'OrderReference', 'ID'),
      textAt(lineNode, 'OrderLineReference', 'LineID'),
      ...children(lineNode, 'DocumentReference').map((reference) => textAt(reference, 'ID')),
    ];
    const grantReference = candidates.find((c): c is string => c !== null && GRANT_REFERENCE.test(c)) ?? orderReference;

    const lineStart = textAt(lineNode, 'InvoicePeriod', 'StartDate');
    const date = lineStart ?? textAt(lineNode, 'Delivery', 'ActualDeliveryDate') ?? periodFrom;
    if (date !== null && !isCalendarDate(date)) add('date', 'ubl_line_date_format', { value: date });
    // The period a monthly line covers: its own, or the invoice's when the line takes its day from there.
    const periodTo = lineStart !== null ? textAt(lineNode, 'InvoicePeriod', 'EndDate') : date !== null && date === periodFrom ? invoicePeriodTo : null;
    if (periodTo !== null && !isCalendarDate(periodTo)) add('periodTo', 'ubl_line_date_format', { value: periodTo });

    const description = textAt(lineNode, 'Item', 'Name') ?? textAt(lineNode, 'Item', 'Description') ?? textAt(lineNode, 'Note');
    if (amountOre !== null && rateOre !== null) {
      lines.push({
        lineNo,
        grantReference,
        date,
        ...(periodTo !== null && periodTo !== date ? { periodTo } : {}),
        minutes,
        quantityText,
        unitCode,
        rateOre,
        amountOre,
        contactForm: null,
        description,
      });
    }
  });

  const monetary = child(root, 'LegalMonetaryTotal');
  const customization = textAt(root, 'CustomizationID') ?? '';
  const isOioubl2 = /^OIOUBL-2/i.test(customization);
  let vatOre: number | null = null;
  let vatPresent = false;
  for (const taxTotal of children(root, 'TaxTotal')) {
    const amount = child(taxTotal, 'TaxAmount');
    const currencyId = attr(amount, 'currencyID');
    if (amount === undefined || (currencyId !== null && currency !== null && currencyId !== currency)) continue;
    vatPresent = true;
    const ore = parseOre(text(amount) ?? '');
    vatOre = ore === null || !inRange((vatOre ?? 0) + ore) ? null : (vatOre ?? 0) + ore;
    if (vatOre === null) break;
  }
  const inclusive = moneyAt(monetary, 'TaxInclusiveAmount');
  let net: { present: boolean; ore: number | null };
  if (isOioubl2) {
    const lineExtension = moneyAt(monetary, 'LineExtensionAmount');
    const allowances = moneyAt(monetary, 'AllowanceTotalAmount');
    const charges = moneyAt(monetary, 'ChargeTotalAmount');
    const ok = lineExtension.ore !== null && (!allowances.present || allowances.ore !== null) && (!charges.present || charges.ore !== null);
    net = {
      present: lineExtension.present,
      ore: ok ? (lineExtension.ore ?? 0) - (allowances.ore ?? 0) + (charges.ore ?? 0) : null,
    };
    if (net.ore !== null && !inRange(net.ore)) net = { present: true, ore: null };
  } else {
    net = moneyAt(monetary, 'TaxExclusiveAmount');
  }
  for (const [field, value] of [
    ['totals.net', net],
    ['totals.total', inclusive],
  ] as const) {
    if (value.present && value.ore === null) faults.push(fault('ubl_total_format', field, { total: field, max: MAX_AMOUNT_ORE / 100 }));
  }
  if (vatPresent && vatOre === null) faults.push(fault('ubl_vat_format', 'totals.vat', { max: MAX_AMOUNT_ORE / 100 }));
  const totals =
    net.ore !== null && inclusive.ore !== null && vatOre !== null ? { netOre: net.ore, vatOre, totalOre: inclusive.ore } : null;

  if (faults.length > 0) return { ok: false, faults };
  return {
    ok: true,
    invoice: {
      source: 'ubl',
      documentType,
      invoiceNumber: invoiceNumber ?? '',
      issueDate: issueDate ?? '',
      currency: currency ?? '',
      seller,
      orderReference,
      buyer,
      periodFrom,
      periodTo: invoicePeriodTo,
      lines,
      totals,
      billingReferences,
    },
  };
}
