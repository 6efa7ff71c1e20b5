import { DOMImplementation, XMLSerializer } from '@xmldom/xmldom';
import type { CalendarDate } from '../common/time/calendar-date';
import type { ResponseCode, ResponseReason } from './business-response.rules';

/**
 * The business response as a UBL 2.1 ApplicationResponse document, in the two forms a Danish buyer sends:
 * Peppol BIS Invoice Response 3 and OIOUBL 3's invoice response (the same structure with OIOUBL's identifiers and
 * UBLVersionID). Built as a DOM, so every value a user or supplier wrote is escaped by the serializer. Pure.
 */
export type ResponseFormat = 'peppol' | 'oioubl';
export const RESPONSE_FORMATS: readonly ResponseFormat[] = ['peppol', 'oioubl'];

const NS = {
  doc: 'urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

const PROFILES: Record<ResponseFormat, { ublVersion: string | null; customizationId: string; profileId: string }> = {
  peppol: { ublVersion: null, customizationId: 'urn:fdc:peppol.eu:poacc:trns:invoice_response:3', profileId: 'urn:fdc:peppol.eu:poacc:bis:invoice_response:3' },
  oioubl: { ublVersion: '2.1', customizationId: 'urn:fdc:oioubl.dk:trns:invoice_response:3.0', profileId: 'urn:fdc:oioubl.dk:bis:billing_with_response:3' },
};

/** An electronic address: GLN (scheme 0088) or Danish CVR (scheme 0184). */
export interface ResponseParty {
  endpoint: { scheme: '0088' | '0184'; id: string };
  name: string;
}

export interface BusinessResponseContent {
  /** The response's own id. */
  id: string;
  issueDate: CalendarDate;
  /** The buyer (the municipality) who sends it. */
  sender: ResponseParty;
  /** The supplier who sent the invoice. */
  receiver: ResponseParty;
  code: ResponseCode;
  reasons: readonly ResponseReason[];
  invoice: { number: string; issueDate: CalendarDate; documentType: 'invoice' | 'credit_note' };
  /** Line texts: "Linje 3: …". */
  linePrefix: (lineNo: number) => string;
}

/** The party's address for a supplier: its GLN when it has one, else its CVR number. */
export function partyOf(name: string, gln: string | null, cvr: string): ResponseParty {
  return { name, endpoint: gln ? { scheme: '0088', id: gln } : { scheme: '0184', id: `DK${cvr}` } };
}

export function businessResponseXml(format: ResponseFormat, content: BusinessResponseContent): string {
  const doc = new DOMImplementation().createDocument(NS.doc, 'ApplicationResponse', null);
  const root = doc.documentElement as Element;
  root.setAttribute('xmlns:cac', NS.cac);
  root.setAttribute('xmlns:cbc', NS.cbc);
  const profile = PROFILES[format];
  const cbc = (parent: Element, name: string, value: string, attributes: Record<string, string> = {}) => {
    const element = doc.createElementNS(NS.cbc, `cbc:${name}`);
    for (const [key, v] of Object.entries(attributes)) element.setAttribute(key, v);
    element.appendChild(doc.createTextNode(value));
    parent.appendChild(element);
    return element;
  };
  const cac = (parent: Element, name: string) => {
    const element = doc.createElementNS(NS.cac, `cac:${name}`);
    parent.appendChild(element);
    return element;
  };
  if (profile.ublVersion) cbc(root, 'UBLVersionID', profile.ublVersion);
  cbc(root, 'CustomizationID', profile.customizationId);
  cbc(root, 'ProfileID', profile.profileId);
  cbc(root, 'ID', content.id);
  cbc(root, 'IssueDate', content.issueDate);
  party(cac(root, 'SenderParty'), content.sender, cbc, cac);
  party(cac(root, 'ReceiverParty'), content.receiver, cbc, cac);
  const documentResponse = cac(root, 'DocumentResponse');
  const response = cac(documentResponse, 'Response');
  cbc(response, 'ResponseCode', content.code, { listID: 'UNCL4343OpSubset' });
  cbc(response, 'EffectiveDate', content.issueDate);
  for (const reason of content.reasons) {
    const status = cac(response, 'Status');
    cbc(status, 'StatusReasonCode', reason.code, { listID: 'OPStatusReason' });
    cbc(status, 'StatusReason', reason.lineNo === undefined ? reason.text : `${content.linePrefix(reason.lineNo)}: ${reason.text}`);
  }
  const reference = cac(documentResponse, 'DocumentReference');
  cbc(reference, 'ID', content.invoice.number);
  cbc(reference, 'IssueDate', content.invoice.issueDate);
  cbc(reference, 'DocumentTypeCode', content.invoice.documentType === 'credit_note' ? '381' : '380', { listID: 'UNCL1001' });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}\n`;
}

function party(
  element: Element,
  p: ResponseParty,
  cbc: (parent: Element, name: string, value: string, attributes?: Record<string, string>) => Element,
  cac: (parent: Element, name: string) => Element,
): void {
  cbc(element, 'EndpointID', p.endpoint.id, { schemeID: p.endpoint.scheme });
  cbc(cac(element, 'PartyLegalEntity'), 'RegistrationName', p.name);
}
