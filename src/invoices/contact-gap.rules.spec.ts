import { contactGaps } from './contact-gap.rules';
import type { Finding } from './finding';

const missing = (values: Finding['values']): Finding => ({ code: 'minimum_contact_missing', severity: 'warning', values });

describe('contact gaps of an invoice', () => {
  it('names each grant and week once, from the invoice and from its lines (the line’s grant when the finding names none)', () => {
    const gaps = contactGaps(
      [missing({ grantReference: 'MS-2026-000001', week: '2026-W42' }), missing({ grantReference: null, week: '2026-W43' })],
      [
        { grantReference: 'MS-2026-000001', findings: [missing({ grantReference: 'MS-2026-000001', week: '2026-W42' })] },
        { grantReference: 'MS-2026-000002', findings: [missing({ week: '2026-W44' }), { ...missing({ week: '2026-W45' }), code: 'week_over_grant' }] },
      ],
    );
    expect(gaps).toEqual([
      { grantReference: 'MS-2026-000001', week: '2026-W42' },
      { grantReference: 'MS-2026-000002', week: '2026-W44' },
    ]);
  });

  it('leaves out a finding without a well-formed week', () => {
    expect(contactGaps([], [{ grantReference: 'MS-2026-000001', findings: [missing({ week: null }), missing({ week: '2026-42' })] }])).toEqual([]);
  });
});
