import { DOMImplementation, XMLSerializer } from '@xmldom/xmldom';

/**
 * A partner company's monthly self-billing statement as an e-invoice: a UBL 2.1 Invoice with InvoiceTypeCode
 * 389 (self-billed invoice) under Peppol BIS Billing 3.0's self-billing profile, which NemHandel carries beside
 * OIOUBL. The municipality (the buyer) issues it on the partner company's (the seller's) behalf. A pure layout
 * over a view model with amounts already in øre; the XML is built as a DOM (@xmldom/xmldom) and serialised,
 * in the element order of the OASIS UBL 2.1 schema, so it validates against UBL-Invoice-2.1.xsd.
 */

export const UBL_INVOICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
export const UBL_CAC_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';
export const UBL_CBC_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';
export const PEPPOL_SELF_BILLING_CUSTOMIZATION = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0';
export const PEPPOL_SELF_BILLING_PROFILE = 'urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
/** UNTDID 1001: self-billed invoice. */
export const SELF_BILLED_INVOICE_TYPE = '389';

export interface SelfBillingParty {
  name: string;
  cvr: string;
  /** GLN/EAN location number; the endpoint when present, else the CVR number. */
  gln: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  vatRegistered: boolean;
}

export interface SelfBillingLine {
  /** 1, 2, … */
  id: number;
  date: string;
  grantReference: string;
  /** Face-to-face minutes; a credit line's are 0 or fewer. */
  minutes: number;
  netOre: number;
  vatBasisPoints: number;
  /** The account code the buyer books it on (BT-133), or null. */
  accountCode: string | null;
  kind: 'delivery' | 'credit';
}

export interface SelfBillingVat {
  vatBasisPoints: number;
  netOre: number;
  vatOre: number;
}

export interface SelfBillingInvoiceView {
  /** The statement number, e.g. AF-2026-000003. */
  number: string;
  issueDate: string;
  dueDate: string;
  periodFrom: string;
  periodTo: string;
  /** The note on the document (the statement's month, self-billing wording). */
  note: string;
  /** The partner company: the seller. */
  seller: SelfBillingParty;
  /** The municipality: the buyer, who issues the document. */
  buyer: SelfBillingParty;
  lines: SelfBillingLine[];
  vat: SelfBillingVat[];
  netOre: number;
  vatOre: number;
  totalOre: number;
}

/** Whole øre as a UBL amount: -12345 → '-123.45'. */
export function ublAmount(ore: number): string {
  if (!Number.isSafeInteger(ore)) throw new Error(`an amount must be whole øre, got ${ore}`);
  const abs = Math.abs(ore);
  return `${ore < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Basis points as a percent: 2500 → '25.00'. */
function percent(basisPoints: number): string {
  return `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')}`;
}

/** The VAT category: S (standard rate) above 0, E (exempt) at 0. */
function taxCategory(basisPoints: number): 'S' | 'E' {
  return basisPoints > 0 ? 'S' : 'E';
}

class UblWriter {
  readonly doc: Document;

  constructor() {
    this.doc = new DOMImplementation().createDocument(UBL_INVOICE_NS, 'Invoice', null);
    const root = this.doc.documentElement as Element;
    // Declared as namespace attributes, so the serialiser sees the prefixes in scope and declares them once.
    root.setAttributeNS(XMLNS_NS, 'xmlns:cac', UBL_CAC_NS);
    root.setAttributeNS(XMLNS_NS, 'xmlns:cbc', UBL_CBC_NS);
  }

  get root(): Element {
    return this.doc.documentElement as Element;
  }

  cbc(parent: Element, name: string, text: string, attributes: Record<string, string> = {}): Element {
    const element = this.doc.createElementNS(UBL_CBC_NS, `cbc:${name}`);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
    element.appendChild(this.doc.createTextNode(text));
    parent.appendChild(element);
    return element;
  }

  cac(parent: Element, name: string): Element {
    const element = this.doc.createElementNS(UBL_CAC_NS, `cac:${name}`);
    parent.appendChild(element);
    return element;
  }

  amount(parent: Element, name: string, ore: number): Element {
    return this.cbc(parent, name, ublAmount(ore), { currencyID: 'DKK' });
  }
}

function party(w: UblWriter, parent: Element, wrapper: 'AccountingSupplierParty' | 'AccountingCustomerParty', p: SelfBillingParty): void {
  const element = w.cac(w.cac(parent, wrapper), 'Party');
  if (p.gln) w.cbc(element, 'EndpointID', p.gln, { schemeID: '0088' });
  else w.cbc(element, 'EndpointID', p.cvr, { schemeID: '0184' });
  w.cbc(w.cac(element, 'PartyIdentification'), 'ID', p.cvr, { schemeID: '0184' });
  w.cbc(w.cac(element, 'PartyName'), 'Name', p.name);
  const address = w.cac(element, 'PostalAddress');
  if (p.street) w.cbc(address, 'StreetName', p.street);
  if (p.city) w.cbc(address, 'CityName', p.city);
  if (p.postalCode) w.cbc(address, 'PostalZone', p.postalCode);
  w.cbc(w.cac(address, 'Country'), 'IdentificationCode', 'DK');
  if (p.vatRegistered) {
    const scheme = w.cac(element, 'PartyTaxScheme');
    w.cbc(scheme, 'CompanyID', `DK${p.cvr}`);
    w.cbc(w.cac(scheme, 'TaxScheme'), 'ID', 'VAT');
  }
  const legal = w.cac(element, 'PartyLegalEntity');
  w.cbc(legal, 'RegistrationName', p.name);
  w.cbc(legal, 'CompanyID', p.cvr, { schemeID: '0184' });
}

function taxCategoryOf(w: UblWriter, parent: Element, name: 'TaxCategory' | 'ClassifiedTaxCategory', basisPoints: number): void {
  const category = w.cac(parent, name);
  w.cbc(category, 'ID', taxCategory(basisPoints));
  w.cbc(category, 'Percent', percent(basisPoints));
  if (basisPoints === 0) w.cbc(category, 'TaxExemptionReason', 'Sælger er ikke momsregistreret');
  w.cbc(w.cac(category, 'TaxScheme'), 'ID', 'VAT');
}

function line(w: UblWriter, l: SelfBillingLine): void {
  const element = w.cac(w.root, 'InvoiceLine');
  w.cbc(element, 'ID', String(l.id));
  // Minutes (UN/ECE Rec. 20 'MIN'): exact where hours would need a never-ending decimal.
  w.cbc(element, 'InvoicedQuantity', String(l.minutes), { unitCode: 'MIN' });
  w.amount(element, 'LineExtensionAmount', l.netOre);
  if (l.accountCode) w.cbc(element, 'AccountingCost', l.accountCode);
  const period = w.cac(element, 'InvoicePeriod');
  w.cbc(period, 'StartDate', l.date);
  w.cbc(period, 'EndDate', l.date);
  w.cbc(w.cac(element, 'OrderLineReference'), 'LineID', l.grantReference);
  const item = w.cac(element, 'Item');
  w.cbc(item, 'Description', `${l.kind === 'credit' ? 'Kreditering af mentortimer' : 'Mentortimer'} ${l.date}, bevilling ${l.grantReference}`);
  w.cbc(item, 'Name', l.kind === 'credit' ? 'Kreditering, mentorstøtte' : 'Mentorstøtte');
  taxCategoryOf(w, item, 'ClassifiedTaxCategory', l.vatBasisPoints);
  // The price of the line's whole quantity: exact, whatever the per-hour rate's rounding per session.
  const price = w.cac(element, 'Price');
  w.amount(price, 'PriceAmount', Math.abs(l.netOre));
  w.cbc(price, 'BaseQuantity', String(Math.abs(l.minutes) || 1), { unitCode: 'MIN' });
}

/** The self-billed invoice as UTF-8 XML text. */
export function renderSelfBillingInvoice(view: SelfBillingInvoiceView): string {
  const w = new UblWriter();
  const root = w.root;
  w.cbc(root, 'CustomizationID', PEPPOL_SELF_BILLING_CUSTOMIZATION);
  w.cbc(root, 'ProfileID', PEPPOL_SELF_BILLING_PROFILE);
  w.cbc(root, 'ID', view.number);
  w.cbc(root, 'IssueDate', view.issueDate);
  w.cbc(root, 'DueDate', view.dueDate);
  w.cbc(root, 'InvoiceTypeCode', SELF_BILLED_INVOICE_TYPE);
  w.cbc(root, 'Note', view.note);
  w.cbc(root, 'DocumentCurrencyCode', 'DKK');
  w.cbc(root, 'BuyerReference', view.number);
  const period = w.cac(root, 'InvoicePeriod');
  w.cbc(period, 'StartDate', view.periodFrom);
  w.cbc(period, 'EndDate', view.periodTo);
  party(w, root, 'AccountingSupplierParty', view.seller);
  party(w, root, 'AccountingCustomerParty', view.buyer);
  const means = w.cac(root, 'PaymentMeans');
  // 58: SEPA credit transfer; 1 (not defined) would say less, and the municipality pays by transfer.
  w.cbc(means, 'PaymentMeansCode', '58');
  w.cbc(means, 'PaymentDueDate', view.dueDate);
  w.cbc(w.cac(root, 'PaymentTerms'), 'Note', `Betales senest ${view.dueDate}`);
  const taxTotal = w.cac(root, 'TaxTotal');
  w.amount(taxTotal, 'TaxAmount', view.vatOre);
  for (const rate of view.vat) {
    const subtotal = w.cac(taxTotal, 'TaxSubtotal');
    w.amount(subtotal, 'TaxableAmount', rate.netOre);
    w.amount(subtotal, 'TaxAmount', rate.vatOre);
    taxCategoryOf(w, subtotal, 'TaxCategory', rate.vatBasisPoints);
  }
  const totals = w.cac(root, 'LegalMonetaryTotal');
  w.amount(totals, 'LineExtensionAmount', view.netOre);
  w.amount(totals, 'TaxExclusiveAmount', view.netOre);
  w.amount(totals, 'TaxInclusiveAmount', view.totalOre);
  w.amount(totals, 'PayableAmount', view.totalOre);
  for (const l of view.lines) line(w, l);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(w.doc)}\n`;
}
