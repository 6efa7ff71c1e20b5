import type { Finding } from './finding';

/** A week of a grant without the minimum contact, as an invoice's findings name it (ISO week '2026-W42'). */
export interface ContactGap {
  grantReference: string;
  week: string;
}

const WEEK = /^\d{4}-W\d{2}$/;

/**
 * The contact gaps an invoice's findings name, once each: minimum_contact_missing on the invoice (its grant in
 * the finding) and on its lines (the line's grant when the finding names none). Pure; the invoices module
 * stores them with the findings so that reports read rows, not findings.
 */
export function contactGaps(invoiceFindings: readonly Finding[], lines: ReadonlyArray<{ grantReference: string; findings: readonly Finding[] }>): ContactGap[] {
  const gaps = new Map<string, ContactGap>();
  const add = (finding: Finding, lineReference: string | null) => {
    if (finding.code !== 'minimum_contact_missing') return;
    const values = finding.values;
    const week = values.week;
    const grantReference = typeof values.grantReference === 'string' ? values.grantReference : lineReference;
    if (typeof week !== 'string' || !WEEK.test(week) || grantReference === null) return;
    gaps.set(`${grantReference}|${week}`, { grantReference, week });
  };
  for (const finding of invoiceFindings) add(finding, null);
  for (const line of lines) for (const finding of line.findings) add(finding, line.grantReference);
  return [...gaps.values()];
}
