import type { SelfBillingInvoiceView, SelfBillingParty } from '../documents/self-billing-invoice.document';
import { MUNICIPALITY } from '../grants/grant-agreement.view';
import type { Statement } from './statement.rules';

/**
 * The municipality as the buyer that issues a self-billing invoice: its CVR number and the EAN (GLN) location
 * its e-invoices are addressed to. One place, until the buyer's endpoints become configuration.
 */
export const SELF_BILLING_BUYER: SelfBillingParty = {
  name: MUNICIPALITY.name,
  cvr: '29189730',
  gln: '5798000000001',
  street: 'Rådhusvej 3',
  postalCode: '3200',
  city: 'Helsinge',
  vatRegistered: true,
};

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
export function selfBillingInvoiceView(number: string, content: Statement, seller: SelfBillingSeller): SelfBillingInvoiceView {
  const lines = content.groups.flatMap((group) => group.lines.map((line) => ({ group, line })));
  const [year, month] = content.month.split('-');
  return {
    number,
    issueDate: content.issuedOn,
    dueDate: content.dueOn,
    periodFrom: content.from,
    periodTo: content.to,
    note: `Selvfaktura for ${MONTHS_DA[Number(month) - 1]} ${year}: mentortimer registreret af ${seller.name}, afregnet af ${SELF_BILLING_BUYER.name} (afregningsoversigt ${number}).`,
    seller: { name: seller.name, cvr: seller.cvr, gln: seller.gln, street: seller.address, postalCode: seller.postalCode, city: seller.city, vatRegistered: seller.vatRegistered },
    buyer: SELF_BILLING_BUYER,
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
