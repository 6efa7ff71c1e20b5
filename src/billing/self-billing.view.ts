import type { SelfBillingInvoiceView, SelfBillingParty } from '../documents/self-billing-invoice.document';
import type { AppConfig } from '../common/config/app-config';
import { MUNICIPALITY } from '../grants/grant-agreement.view';
import type { Statement } from './statement.rules';

/**
 * The municipality as the buyer that issues a self-billing invoice: its name, CVR number and EAN (GLN) location
 * from the configuration (BUYER_NAME, BUYER_CVR, BUYER_GLN), its postal address the municipality's. Pure.
 */
export function selfBillingBuyer(buyer: AppConfig['buyer']): SelfBillingParty {
  return { name: buyer.name, cvr: buyer.cvr, gln: buyer.gln, street: MUNICIPALITY_STREET, postalCode: MUNICIPALITY_POSTAL_CODE, city: MUNICIPALITY_CITY, vatRegistered: true };
}

// The address on the agreement documents ("Rådhusvej 3, 3200 Helsinge"), split into UBL's street, postal code and city.
const [MUNICIPALITY_STREET, MUNICIPALITY_POSTAL_CITY] = MUNICIPALITY.address.split(', ');
const MUNICIPALITY_POSTAL_CODE = MUNICIPALITY_POSTAL_CITY.slice(0, 4);
const MUNICIPALITY_CITY = MUNICIPALITY_POSTAL_CITY.slice(5);

export interface SelfBillingSeller {
  name: string;
  cvr: string;
  gln: string | null;
  address: string | null;
  postalCode: string | null;
  city: string | null;
  vatRegistered: boolean;
}

const MONTHS_DA = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];

/** A final self-billed statement as the self-billing invoice's view model: a line per statement line, in its order. Pure. */
export function selfBillingInvoiceView(number: string, content: Statement, seller: SelfBillingSeller, buyer: SelfBillingParty): SelfBillingInvoiceView {
  const lines = content.groups.flatMap((group) => group.lines.map((line) => ({ group, line })));
  const [year, month] = content.month.split('-');
  return {
    number,
    issueDate: content.issuedOn,
    dueDate: content.dueOn,
    periodFrom: content.from,
    periodTo: content.to,
    note: `Selvfaktura for ${MONTHS_DA[Number(month) - 1]} ${year}: mentortimer registreret af ${seller.name}, afregnet af ${buyer.name} (afregningsoversigt ${number}).`,
    seller: { name: seller.name, cvr: seller.cvr, gln: seller.gln, street: seller.address, postalCode: seller.postalCode, city: seller.city, vatRegistered: seller.vatRegistered },
    buyer,
    lines: lines.map(({ group, line }, i) => ({
      id: i + 1,
      date: line.date,
      grantReference: group.grantReference,
      minutes: line.minutes,
      netOre: line.netOre,
      vatBasisPoints: line.vatBasisPoints,
      accountCode: line.accountCode,
      kind: line.kind,
    })),
    vat: content.vat.map((rate) => ({ vatBasisPoints: rate.vatBasisPoints, netOre: rate.netOre, vatOre: rate.vatOre })),
    netOre: content.totals.netOre,
    vatOre: content.totals.vatOre,
    totalOre: content.totals.totalOre,
  };
}
