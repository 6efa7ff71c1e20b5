import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templatesDir } from '../common/web/view-engine';
import { refundClaimView } from '../refunds/refund-claim.view';
import { loadRefundClaimTexts, renderRefundClaim } from './refund-claim.document';

describe('the refund claim PDF', () => {
  it('has the letterhead of the portal’s other letters: the municipality, the period and the state', async () => {
    const claim = {
      from: '2026-10-01',
      to: '2026-10-31',
      lines: [{ year: 2026, category: 'inside_frame' as const, ratePercent: 50, accountCode: '5.68.90', expenses: 2, expenseOre: 112_500, refundOre: 56_250, cappedOffOre: 0, claimedOre: 56_250 }],
      frames: [],
      totals: { expenseOre: 112_500, refundOre: 56_250, cappedOffOre: 0, claimedOre: 56_250 },
    };
    const view = refundClaimView(claim as never, { draft: true, submittedAt: null }, loadRefundClaimTexts('da', templatesDir()), 'da');
    const dir = mkdtempSync(join(tmpdir(), 'refund-pdf-'));
    try {
      const file = join(dir, 'claim.pdf');
      writeFileSync(file, await renderRefundClaim(view, { createdAt: new Date('2026-11-02T10:00:00Z') }));
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      const lines = text.split('\n').filter((line) => line.trim() !== '');
      expect(lines[0]).toMatch(new RegExp(`^${view.sender.name}\\s+Periode\\s+2026-10-01 – 2026-10-31$`));
      expect(text).toContain(view.sender.jobCentre);
      expect(text).toMatch(/Indsendt\s+ikke indsendt/);
      expect(text.indexOf(view.sender.name)).toBeLessThan(text.indexOf('Refusionsanmodning for mentorudgifter'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
