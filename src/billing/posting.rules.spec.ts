import { postingAccountOf } from '../rules/rule-set';
import { oreAsDecimal, postingCsv, postingJson, postingsOf, postingTotals, type PostedStatement } from './posting.rules';
import type { Statement } from './statement.rules';

const content = (accounts: Statement['accounts'], vat: Statement['vat']): Statement => ({ accounts, vat }) as unknown as Statement;

const first: PostedStatement = {
  statementId: 's1',
  number: 'AF-2026-000002',
  issuedOn: '2026-11-02',
  dueOn: '2026-12-02',
  supplierCvr: '12345674',
  supplierEan: '5790000000005',
  content: content(
    [
      { accountCode: '5.68.90.1-001', netOre: 146_250 },
      { accountCode: '5.68.90.1-006', netOre: -4_500 },
      { accountCode: null, netOre: 1_000 },
    ],
    [
      { vatBasisPoints: 0, netOre: 1_000, vatOre: 0 },
      { vatBasisPoints: 2500, netOre: 141_750, vatOre: 35_438 },
    ],
  ),
};
const second: PostedStatement = { ...first, statementId: 's0', number: 'AF-2026-000001', supplierEan: null, content: content([{ accountCode: 'FREE-TEXT', netOre: 100 }], [{ vatBasisPoints: 2500, netOre: 100, vatOre: 25 }]) };

describe('account codes as postings: the one function', () => {
  it('splits the shipped placeholder codes into function, dranst and grouping, art 4.0', () => {
    expect(postingAccountOf('5.68.90.1-003')).toEqual({ accountCode: '5.68.90.1-003', functionCode: '5.68.90', grouping: '003', dranst: '1', art: '4.0' });
    expect(postingAccountOf('KONTO 42')).toEqual({ accountCode: 'KONTO 42', functionCode: '5.68.90', grouping: 'KONTO 42', dranst: '1', art: '4.0' });
    expect(postingAccountOf(null)).toEqual({ accountCode: null, functionCode: '5.68.90', grouping: null, dranst: '1', art: '4.0' });
  });
});

describe('the posting export', () => {
  const lines = postingsOf([first, second]);

  it('posts each statement’s net per account code and its VAT separately per rate, statements by number', () => {
    expect(lines.map((l) => [l.statementNumber, l.line, l.kind, l.functionCode, l.grouping, l.dranst, l.amountOre, l.vatBasisPoints])).toEqual([
      ['AF-2026-000001', 1, 'net', '5.68.90', 'FREE-TEXT', '1', 100, null],
      ['AF-2026-000001', 2, 'vat', '7.65.87', null, '1', 25, 2500],
      ['AF-2026-000002', 1, 'net', '5.68.90', '001', '1', 146_250, null],
      ['AF-2026-000002', 2, 'net', '5.68.90', '006', '1', -4_500, null],
      ['AF-2026-000002', 3, 'net', '5.68.90', null, '1', 1_000, null],
      ['AF-2026-000002', 4, 'vat', '7.65.87', null, '1', 35_438, 2500],
    ]);
    expect(postingTotals(lines)).toEqual({ lines: 6, netOre: 142_850, vatOre: 35_463 });
  });

  it('writes the CSV with whole øre and the same bytes for the same input', () => {
    const head = { exportId: 'e1', exportedAt: '2026-11-25T10:00:00.000Z', from: '2026-11-01', to: '2026-11-30', statementNumber: null };
    const csv = postingCsv(head, lines);
    expect(csv.split('\r\n').slice(0, 2)).toEqual([
      '\ufeffexport_id;statement_number;line;kind;function;grouping;dranst;art;account_code;vat_rate_basis_points;supplier_cvr;supplier_ean;issued_on;due_on;amount_ore',
      'e1;AF-2026-000001;1;net;5.68.90;FREE-TEXT;1;4.0;FREE-TEXT;;12345674;;2026-11-02;2026-12-02;100',
    ]);
    expect(csv.split('\r\n')[4]).toBe('e1;AF-2026-000002;2;net;5.68.90;006;1;4.0;5.68.90.1-006;;12345674;5790000000005;2026-11-02;2026-12-02;-4500');
    expect(postingCsv(head, postingsOf([second, first]))).toBe(csv);
    const json = JSON.parse(postingJson(head, lines)) as { totals: unknown; lines: Array<{ amount: string }> };
    expect(json.totals).toEqual({ lines: 6, netOre: 142_850, vatOre: 35_463 });
    expect(json.lines.map((l) => l.amount)).toEqual(['1.00', '0.25', '1462.50', '-45.00', '10.00', '354.38']);
  });

  it('writes øre as kroner exactly', () => {
    expect([0, 5, -5, 182_813, -100_000_000_000].map(oreAsDecimal)).toEqual(['0.00', '0.05', '-0.05', '1828.13', '-1000000000.00']);
  });
});
