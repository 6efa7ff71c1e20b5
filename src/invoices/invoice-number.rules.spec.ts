import { invoiceNumberProblem, isInvoiceNumber } from './invoice-number.rules';

const refused = { field: 'invoiceNumber', rule: 'invoice_number_format', message: 'the invoice number has 1 to 60 characters: letters, digits, - _ / . and single spaces between them, and starts with a letter or digit' };

describe('invoiceNumberProblem', () => {
  it.each(['F-2026-0042', '1', 'Fak/2026.03_1', 'ÆØÅ-12', '2018-112', 'x'.repeat(60), '𝐀'.repeat(60), '018304 / 28865', 'test decimal 1'])('accepts %s', (number) => {
    expect(invoiceNumberProblem(number)).toBeNull();
    expect(isInvoiceNumber(number)).toBe(true);
  });

  it.each([
    ['a formula', '=HYPERLINK("http://x")'],
    ['a leading dash', '-1'],
    ['a bidi override', 'F-1\u202egpj.exe'],
    ['a zero-width space', 'F\u200b1'],
    ['markup', '<b>F-1</b>'],
    ['a blank in front', ' F-1'],
    ['a blank at the end', 'F-1 '],
    ['two blanks inside', 'F  1'],
    ['a no-break space inside', 'F\u00a01'],
    ['a tab inside', 'F\t1'],
    ['a line break', 'F-1\n'],
    ['nothing', ''],
    ['61 characters', 'x'.repeat(61)],
    ['61 letters outside the BMP', '𝐀'.repeat(61)],
    ['a NUL', 'F\u00001'],
  ])('refuses %s', (_what, number) => {
    expect(invoiceNumberProblem(number)).toEqual(refused);
  });

  it('refuses what is not text', () => {
    for (const value of [null, undefined, 42, ['F-1'], { id: 'F-1' }]) expect(invoiceNumberProblem(value)).toEqual(refused);
  });
});
