import { randomBytes } from 'node:crypto';
import { approveGrant, makeAgreement, makeSupplierViaApi, procurementUser } from './factories';
import { bearer, makeUser, type TestApp, type TestUser } from './test-app';

export interface SupplierWithGrants {
  supplierId: string;
  cvr: string;
  agreementId: string;
  user: TestUser;
  /** Grants by name, each with its id and reference. */
  grants: Record<string, { id: string; reference: string }>;
}

const caseworkers = new WeakMap<TestApp, Promise<TestUser>>();

function caseworkerOf(t: TestApp): Promise<TestUser> {
  let user = caseworkers.get(t);
  if (!user) {
    user = makeUser(t, 'caseworker');
    caseworkers.set(t, user);
  }
  return user;
}

/** A random CPR-shaped number for test citizens. */
export function fictitiousCpr(): string {
  const n = randomBytes(3).readUIntBE(0, 3);
  return `${String(1 + (n % 28)).padStart(2, '0')}0${1 + (n % 9)}9${n % 10}-${String(n % 10000).padStart(4, '0')}`;
}

export interface GrantSpec {
  minutesPerWeek?: number;
  serviceLevel?: number;
  start?: string;
  end?: string;
  mentorType?: string;
  targetGroup?: string;
  /** The day the team leader's approval makes the grant active: its start unless told; null leaves it proposed. */
  activeFrom?: string | null;
}

/**
 * A supplier (mentor supplier or partner company) with an agreement, a rate card at 450 kr./hour
 * (retention, levels 1–2) from 2026-01-01, a supplier user, and grants made through the API.
 */
export async function supplierWithGrants(t: TestApp, grants: Record<string, GrantSpec>, options: { kind?: 'mentor_supplier' | 'partner_company' | 'internal'; ceilingOre?: number; rateOre?: number } = {}): Promise<SupplierWithGrants> {
  const kind = options.kind ?? 'mentor_supplier';
  const supplier = await makeSupplierViaApi(t, { kind });
  const procurement = await procurementUser(t);
  const agreement =
    kind === 'partner_company'
      ? await makeAgreement(t, supplier.id, { kind: 'partnership', mentorTypes: ['company'], defaultMinutesPerWeek: 60, defaultRateOre: options.rateOre ?? 25_000 })
      : await makeAgreement(t, supplier.id, options.ceilingOre ? { ceilingOre: options.ceilingOre } : {});
  if (kind !== 'partner_company') {
    for (const serviceLevel of [1, 2]) {
      const response = await t.http
        .post(`/api/v1/agreements/${agreement.id}/rates`)
        .set(bearer(procurement.token))
        .send({ mentorType: 'retention', serviceLevel, validFrom: '2026-01-01', rateOre: options.rateOre ?? 45_000 });
      if (response.status !== 201) throw new Error(`rate: ${response.status} ${JSON.stringify(response.body)}`);
    }
  }
  const user = await makeUser(t, 'supplier', supplier.id);
  const caseworker = await caseworkerOf(t);
  const made: SupplierWithGrants['grants'] = {};
  for (const [name, spec] of Object.entries(grants)) {
    const citizen = await t.http
      .post('/api/v1/citizens')
      .set(bearer(caseworker.token))
      .send({ cpr: fictitiousCpr(), name: `Borger ${name}`, caseNumber: `J-${randomBytes(3).toString('hex')}`, targetGroup: spec.targetGroup ?? 'sickness_benefit' });
    if (citizen.status !== 201) throw new Error(`citizen: ${citizen.status} ${JSON.stringify(citizen.body)}`);
    const grant = await t.http
      .post('/api/v1/grants')
      .set(bearer(caseworker.token))
      .send({
        citizenId: citizen.body.id,
        agreementId: agreement.id,
        mentorType: spec.mentorType ?? (kind === 'partner_company' ? 'company' : 'retention'),
        serviceLevel: spec.serviceLevel ?? 1,
        minutesPerWeek: spec.minutesPerWeek ?? 60,
        start: spec.start ?? '2026-09-01',
        end: spec.end ?? '2027-02-28',
        goal: 'Fastholdelse i job',
        tasks: 'Samtaler med borger og arbejdsgiver',
        mentorName: 'Mette Mentor',
        mentorPhone: '12345678',
      });
    if (grant.status !== 201) throw new Error(`grant: ${grant.status} ${JSON.stringify(grant.body)}`);
    if (spec.activeFrom !== null) await approveGrant(t, grant.body.id, spec.activeFrom ?? spec.start ?? '2026-09-01');
    made[name] = { id: grant.body.id, reference: grant.body.reference };
  }
  return { supplierId: supplier.id, cvr: supplier.cvr, agreementId: agreement.id, user, grants: made };
}

export interface LineSpec {
  grantReference: string;
  date: string;
  minutes: number;
  rateOre?: number;
  contactForm?: string;
}

/** A JSON invoice body at 450 kr./hour unless told. */
export function invoiceBody(lines: LineSpec[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    invoiceNumber: `F-${randomBytes(4).toString('hex')}`,
    issueDate: '2026-11-20',
    lines: lines.map((line) => ({ contactForm: 'in_person', rateOre: 45_000, ...line })),
    ...extra,
  };
}

/** A Peppol BIS 3 e-invoice of one session line (450 kr./hour, 25 % VAT) from the supplier's CVR. */
export function peppolInvoiceXml(cvr: string, number: string, grantReference: string, date: string, minutes = 15, priceKr = 450): string {
  const netOre = Math.round((minutes * priceKr * 100) / 60);
  const vatOre = Math.round(netOre / 4);
  const kr = (ore: number) => (ore / 100).toFixed(2);
  return `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>${number}</cbc:ID>
  <cbc:IssueDate>2026-11-20</cbc:IssueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0184">${cvr}</cbc:EndpointID><cac:PartyLegalEntity><cbc:RegistrationName>Mentor ApS</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="0088">5798000000001</cbc:EndpointID><cac:PartyLegalEntity><cbc:RegistrationName>Jobcenter</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="DKK">${kr(vatOre)}</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="DKK">${kr(netOre)}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="DKK">${kr(netOre)}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="DKK">${kr(netOre + vatOre)}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="DKK">${kr(netOre + vatOre)}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="HUR">${minutes / 60}</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="DKK">${kr(netOre)}</cbc:LineExtensionAmount>
    <cac:InvoicePeriod><cbc:StartDate>${date}</cbc:StartDate><cbc:EndDate>${date}</cbc:EndDate></cac:InvoicePeriod>
    <cac:OrderLineReference><cbc:LineID>${grantReference}</cbc:LineID></cac:OrderLineReference>
    <cac:Item><cbc:Name>Mentorstøtte</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="DKK">${priceKr}.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>`;
}
