import fc from 'fast-check';
import { DomainException } from '../common/errors/domain.exception';
import { loadCatalogues } from '../common/i18n/messages';
import { templatesDir } from '../common/web/view-engine';
import { readSubmission, type IntakeContext } from './invoice-intake';
import { isInvoiceNumber } from './invoice-number.rules';

// One invoice-number rule at every door: for any number, the JSON body, the CSV upload's query and the UBL
// document's cbc:ID are accepted together or refused together with rule invoice_number_format.

const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);

const ubl = (number: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:ID>${escapeXml(number)}</cbc:ID><cbc:IssueDate>2026-11-20</cbc:IssueDate><cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
<cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="HUR">1</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="DKK">450.00</cbc:LineExtensionAmount>
<cac:InvoicePeriod><cbc:StartDate>2026-10-05</cbc:StartDate></cac:InvoicePeriod><cac:OrderLineReference><cbc:LineID>MS-2026-000123</cbc:LineID></cac:OrderLineReference>
<cac:Price><cbc:PriceAmount currencyID="DKK">450.00</cbc:PriceAmount></cac:Price></cac:InvoiceLine>
</Invoice>`;

/** Text without C0 or C1 controls or noncharacters, which an XML document cannot carry as it is. */
function xmlCarries(text: string): boolean {
  return [...text].every((c) => {
    const code = c.codePointAt(0) as number;
    return code >= 0x20 && (code < 0x7f || code > 0x9f) && code !== 0xfffe && code !== 0xffff;
  });
}

/** 'accepted', or the rules of the refusal. */
async function outcome(read: Promise<unknown>): Promise<string | string[]> {
  try {
    await read;
    return 'accepted';
  } catch (error) {
    if (error instanceof DomainException) return error.details.map((d) => `${d.field}:${d.rule}`);
    throw error;
  }
}

// Numbers a supplier's system or a hostile client sends. XML cannot carry control characters and its readers trim
// the element's text, so the property keeps to numbers an e-invoice can carry as they are.
const number = fc
  .oneof(
    fc.stringMatching(/^[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå\-_/.]{0,64}$/),
    fc.string({ maxLength: 70, unit: 'grapheme' }),
    fc.constantFrom('=HYPERLINK("http://x")', '+45 12345678', '@SUM(A1)', 'F-1\u202egpj.exe', 'F\u200b1', '<b>F-1</b>', '018304 / 28865', 'x'.repeat(60), 'x'.repeat(61), '𝐀'.repeat(60), '𝐀'.repeat(61), 'Æø-1'),
  )
  .filter((s) => s.length > 0 && s === s.trim() && xmlCarries(s));

const context: IntakeContext = { today: '2026-11-25', lang: 'en', catalogues: loadCatalogues(templatesDir()) };

describe('invoice intake: one invoice-number rule', () => {
  it('accepts or refuses a number alike in JSON, CSV and UBL', async () => {
    const line = { grantReference: 'MS-2026-000123', date: '2026-10-05', minutes: 60, rateOre: 45_000 };
    const csv = 'bevilling;dato;minutter;timepris\r\nMS-2026-000123;2026-10-05;60;450,00\r\n';
    const details = await fc.check(
      fc.asyncProperty(number, async (invoiceNumber) => {
        const answers = [
          await outcome(readSubmission('application/json', { invoiceNumber, issueDate: '2026-11-20', lines: [line] }, {}, context)),
          await outcome(readSubmission('text/csv', csv, { invoiceNumber, issueDate: '2026-11-20' }, context)),
          await outcome(readSubmission('application/xml', Buffer.from(ubl(invoiceNumber), 'utf8'), {}, context)),
        ];
        const expected = isInvoiceNumber(invoiceNumber) ? 'accepted' : ['invoiceNumber:invoice_number_format'];
        expect({ invoiceNumber, answers }).toEqual({ invoiceNumber, answers: [expected, expected, expected] });
      }),
      { numRuns: 500 },
    );
    process.stdout.write(`property "one invoice-number rule": ${details.numRuns} cases tried\n`);
    if (details.failed) throw new Error(fc.defaultReportMessage(details));
  });
});
