import type { BillingRunDto } from './billing-runs.service';
import type { StatementSummaryDto } from './statements.service';
import { formatKroner } from '../common/web/format';
import type { Language } from '../common/web/page-context';
import { formatHours, formatTimestamp } from '../common/web/finance-view';

/** View models of the month-close pages: billing runs and statements, øre in kroner, minutes in hours. Pure. */

const PENDING_RUN = new Set<BillingRunDto['status']>(['queued', 'running']);

export function billingRunView(run: BillingRunDto) {
  return {
    ...run,
    pending: PENDING_RUN.has(run.status),
    created: formatTimestamp(run.createdAt),
    started: formatTimestamp(run.startedAt),
    finished: formatTimestamp(run.finishedAt),
  };
}

export function statementViews(statements: StatementSummaryDto[], lang: Language) {
  const kr = (ore: number) => formatKroner(ore, lang);
  return statements.map((statement) => ({
    id: statement.id,
    supplierName: statement.supplierName,
    month: statement.month,
    status: statement.status,
    number: statement.number,
    selfBilled: statement.selfBilled,
    internal: statement.internal,
    issuedOn: statement.issuedOn,
    dueOn: statement.dueOn,
    hours: formatHours(statement.minutes, lang),
    net: kr(statement.netOre),
    vat: kr(statement.vatOre),
    total: kr(statement.totalOre),
    paidOn: statement.paidOn,
    // A final self-billing statement is also issued as a self-billed e-invoice.
    selfBilledDocument: statement.selfBilled && !statement.internal && statement.status !== 'draft',
  }));
}
