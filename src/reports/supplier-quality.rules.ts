import { percentOneDecimal, ratioTwoDecimals } from './report-arithmetic.rules';
import type { ReportSupplier } from './report-supplier';

/**
 * Supplier quality beside supplier performance, per supplier and year with a trend per quarter: late progress
 * reports, findings per 100 invoiced hours, and the share of decided hours approved. Pure.
 */

export const QUALITY_DEFINITIONS = {
  lateProgressReports: 'Progress reports due in the period (by due date) that the supplier submitted after the due date',
  findingsPerHundredHours: '(errors + warnings on invoices issued in the period, invoice and lines) × 100 / invoiced hours of their sessions, two decimals, half up; null without invoiced hours',
  approvedPercent: 'Approved minutes (a partly approved line by its approved share of the amount) / minutes decided (approved, partly approved or rejected) in percent, one decimal; null when nothing is decided',
  silentGrants: 'Grants without sessions or reports for a period: not counted yet (null)',
} as const;

export interface QualityInvoiceQuarter {
  supplierId: string;
  quarter: number;
  findings: number;
  invoicedMinutes: number;
  decidedMinutes: number;
  approvedMinutes: number;
}

export interface QualityReportQuarter {
  supplierId: string;
  quarter: number;
  reports: number;
  late: number;
}

export interface QualityFigures {
  progressReports: number;
  lateProgressReports: number;
  findings: number;
  invoicedMinutes: number;
  decidedMinutes: number;
  approvedMinutes: number;
  findingsPerHundredHours: number | null;
  approvedPercent: number | null;
  /** The place for silent grants (grants with neither sessions nor reports); counted by their own rule, null until then. */
  silentGrants: number | null;
}

export interface SupplierQuality extends QualityFigures {
  supplierId: string;
  supplierName: string;
  /** Quarters 1–4 in order. */
  quarters: Array<QualityFigures & { quarter: number }>;
}

export interface SupplierQualityReport {
  year: number;
  suppliers: SupplierQuality[];
  total: QualityFigures;
}

function figures(invoices: QualityInvoiceQuarter[], reports: QualityReportQuarter[]): QualityFigures {
  const sum = <T>(rows: T[], of: (row: T) => number) => rows.reduce((total, row) => total + of(row), 0);
  const findings = sum(invoices, (r) => r.findings);
  const invoicedMinutes = sum(invoices, (r) => r.invoicedMinutes);
  const decidedMinutes = sum(invoices, (r) => r.decidedMinutes);
  const approvedMinutes = sum(invoices, (r) => r.approvedMinutes);
  return {
    progressReports: sum(reports, (r) => r.reports),
    lateProgressReports: sum(reports, (r) => r.late),
    findings,
    invoicedMinutes,
    decidedMinutes,
    approvedMinutes,
    // findings per 100 hours = findings × 100 / (minutes / 60) = findings × 6000 / minutes.
    findingsPerHundredHours: ratioTwoDecimals(findings * 6000, invoicedMinutes),
    approvedPercent: percentOneDecimal(approvedMinutes, decidedMinutes),
    silentGrants: null,
  };
}

export function supplierQuality(input: { year: number; invoices: QualityInvoiceQuarter[]; reports: QualityReportQuarter[]; suppliers: ReportSupplier[] }): SupplierQualityReport {
  const ids = [...new Set([...input.invoices.map((r) => r.supplierId), ...input.reports.map((r) => r.supplierId)])];
  const names = new Map(input.suppliers.map((s) => [s.id, s.name]));
  const suppliers = ids
    .map((supplierId): SupplierQuality => {
      const invoices = input.invoices.filter((r) => r.supplierId === supplierId);
      const reports = input.reports.filter((r) => r.supplierId === supplierId);
      return {
        supplierId,
        supplierName: names.get(supplierId) ?? supplierId,
        ...figures(invoices, reports),
        quarters: [1, 2, 3, 4].map((quarter) => ({ quarter, ...figures(invoices.filter((r) => r.quarter === quarter), reports.filter((r) => r.quarter === quarter)) })),
      };
    })
    .sort((a, b) => a.supplierName.localeCompare(b.supplierName, 'da') || a.supplierId.localeCompare(b.supplierId));
  return { year: input.year, suppliers, total: figures(input.invoices, input.reports) };
}
