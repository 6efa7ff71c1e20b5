import { type CalendarDate, type CalendarMonth, weeksInRange } from '../common/time/calendar-date';
import { formatHundredths, formatKroner, formatMinutes as minutesText } from '../common/web/format';
import type { DocumentLanguage } from '../documents/grant-agreement.document';
import { fillText, type StatementTexts, type StatementView, type StatementViewLine } from '../documents/statement.document';
import { MUNICIPALITY } from '../grants/grant-agreement.view';
import type { HoursAnnexRow, Statement, StatementLine } from './statement.rules';

/** 90 → '1:30', 7 → '0:07', -15 → '-0:15': hours and minutes, as the statement's hour columns show them. */
export function hoursAndMinutes(minutes: number): string {
  return minutesText(minutes, { as: 'clock' });
}

/** Whole minutes with thousands grouped the language's way: 12345 → '12.345' (da) or '12,345' (en). */
export function formatMinutes(minutes: number, lang: DocumentLanguage): string {
  return minutesText(minutes, { as: 'count', language: lang });
}

/** '2026-03' → 'marts 2026' / 'March 2026'. */
export function monthText(month: CalendarMonth, texts: StatementTexts): string {
  return `${texts.months[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** '2026-05-02' → '2. maj 2026' / '2 May 2026'. */
export function longDate(date: CalendarDate, texts: StatementTexts): string {
  return fillText(texts.dateFormat, { day: String(Number(date.slice(8, 10))), month: texts.months[Number(date.slice(5, 7)) - 1], year: date.slice(0, 4) });
}

function vatRate(basisPoints: number, lang: DocumentLanguage): string {
  const percent = formatHundredths(basisPoints);
  return lang === 'da' ? percent : percent.replace(',', '.');
}

function source(line: StatementLine, texts: StatementTexts): string {
  const reference = line.invoiceNumber ?? (line.kind === 'delivery' ? texts.labels.selfBilled : '');
  return line.kind === 'credit' ? `${texts.labels.credit} ${reference}`.trim() : reference;
}

// One column per ISO week the month touches, after a column for credits of earlier months when there are any.
function annexColumns(statement: Statement, texts: StatementTexts): { headers: string[]; hoursOf: (row: HoursAnnexRow) => string[] } {
  const weeks = weeksInRange(statement.from, statement.to);
  const earlier = statement.hoursAnnex.some((row) => row.earlierMinutes !== null);
  const headers = [...(earlier ? [texts.labels.earlier] : []), ...weeks.map((week) => fillText(texts.labels.week, { week: String(Number(week.slice(6))) }))];
  const hoursOf = (row: HoursAnnexRow): string[] => {
    const byWeek = new Map(row.weeks.map(({ week, minutes }) => [week, minutes]));
    const cell = (minutes: number | null | undefined): string => (minutes === null || minutes === undefined ? '' : hoursAndMinutes(minutes));
    return [...(earlier ? [cell(row.earlierMinutes)] : []), ...weeks.map((week) => cell(byWeek.get(week)))];
  };
  return { headers, hoursOf };
}

/**
 * The statement's view model: every number formatted in the document's language. `number` is the
 * statement number once final, or null for a draft.
 */
export function statementView(statement: Statement, number: string | null, texts: StatementTexts, lang: DocumentLanguage, options: { internal?: boolean } = {}): StatementView {
  const kroner = (ore: number): string => formatKroner(ore, lang);
  const code = (accountCode: string | null): string => accountCode ?? texts.labels.noAccountCode;
  const annex = annexColumns(statement, texts);
  return {
    number,
    issuer: { ...MUNICIPALITY },
    supplier: { name: statement.supplier.name, cvr: statement.supplier.cvr },
    month: monthText(statement.month, texts),
    issuedDate: longDate(statement.issuedOn, texts),
    dueDate: longDate(statement.dueOn, texts),
    selfBilled: statement.selfBilled,
    internal: options.internal ?? false,
    groups: statement.groups.map((group) => ({
      grantReference: group.grantReference,
      mentorType: texts.mentorTypes[group.mentorType],
      accountCode: code(group.accountCode),
      lines: group.lines.map(
        (line): StatementViewLine => ({ date: line.date, source: source(line, texts), minutes: formatMinutes(line.minutes, lang), amount: kroner(line.netOre) }),
      ),
      minutes: formatMinutes(group.minutes, lang),
      amount: kroner(group.netOre),
    })),
    annexWeeks: annex.headers,
    annex: statement.hoursAnnex.map((row) => ({
      grantReference: row.grantReference,
      sessions: row.credits > 0 ? `${row.sessions} (${row.credits})` : String(row.sessions),
      weekHours: annex.hoursOf(row),
      hours: hoursAndMinutes(row.minutes),
      amount: kroner(row.netOre),
    })),
    net: kroner(statement.totals.netOre),
    vat: statement.vat.map((rate) => ({ rate: vatRate(rate.vatBasisPoints, lang), net: kroner(rate.netOre), amount: kroner(rate.vatOre) })),
    total: kroner(statement.totals.totalOre),
    hours: hoursAndMinutes(statement.totals.minutes),
    accounts: statement.accounts.map((account) => ({ code: code(account.accountCode), amount: kroner(account.netOre) })),
    lang,
    texts,
  };
}
