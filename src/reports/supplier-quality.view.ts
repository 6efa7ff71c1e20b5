import type { Language } from '../common/web/page-context';
import { formatDecimal, formatHours, formatPercent } from '../common/web/finance-view';
import type { QualityFigures, SupplierQualityReport } from './supplier-quality.rules';

/** The supplier quality section of the supplier performance page, in the page's language. Pure. */
export function qualityView(report: SupplierQualityReport, lang: Language) {
  const figures = (f: QualityFigures) => ({
    lateReports: `${f.lateProgressReports} / ${f.progressReports}`,
    findings: f.findings,
    invoiced: formatHours(f.invoicedMinutes, lang),
    findingsPer100: f.findingsPerHundredHours === null ? '–' : formatDecimal(f.findingsPerHundredHours, 2, lang),
    approved: formatPercent(f.approvedPercent, lang),
    silent: f.silentGrants === null ? '–' : String(f.silentGrants),
  });
  return {
    suppliers: report.suppliers.map((s) => ({ supplierName: s.supplierName, ...figures(s), quarters: s.quarters.map((q) => ({ quarter: q.quarter, ...figures(q) })) })),
    total: figures(report.total),
  };
}
