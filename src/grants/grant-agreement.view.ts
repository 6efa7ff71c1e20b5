import type { DocumentLanguage, GrantAgreementTexts, GrantAgreementView } from '../documents/grant-agreement.document';
import type { AgreementTerms } from '../suppliers/agreement-terms';
import type { MentorType, RuleSetValues, ServiceLevelBand } from '../rules/rule-set';
import { serviceLevelBand } from '../rules/rule-set';
import { daysBetween, type CalendarDate } from '../common/time/calendar-date';
import { latestPeriodEnd } from './grant.rules';
import { maskCprNumbers } from './personal-data.rules';
import { formatMinutes } from '../common/web/format';

/** The issuing municipality as printed on every written agreement: kept in this one place. */
export const MUNICIPALITY = {
  name: 'Gribskov Kommune',
  jobCentre: 'Jobcenter Gribskov',
  address: 'Rådhusvej 3, 3200 Helsinge',
  contact: 'jobcenter@gribskov.dk · 72 49 60 00',
} as const;

const MENTOR_TYPE_LABELS_DA: Record<MentorType, string> = {
  retention: 'Fastholdelsesmentor',
  company: 'Virksomhedsmentor',
  holistic: 'Helhedsorienteret mentor',
  discharge: 'Udskrivningskoordinator',
  release: 'Udslusningskoordinator',
};

const MONTHS_DA = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];

/** `2026-01-05` → `5. januar 2026`. */
export function danishDate(date: CalendarDate): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${day}. ${MONTHS_DA[month - 1]} ${year}`;
}

/** 150 → `2 timer 30 minutter`; 60 → `1 time`; 45 → `45 minutter`. */
export function danishHours(minutes: number): string {
  return formatMinutes(minutes, { as: 'words' });
}

function bandText(band: ServiceLevelBand | null, level: number): string {
  if (!band) return `Niveau ${level}`;
  const from = band.minMinutesExclusive ? `over ${danishHours(band.minMinutesExclusive)}` : 'op til';
  const to = band.maxMinutes === null ? '' : band.minMinutesExclusive ? ` og op til ${danishHours(band.maxMinutes)}` : ` ${danishHours(band.maxMinutes)}`;
  return `Niveau ${level} (${from}${to} om ugen)`;
}

/** `6 måneder` when the period is a whole number of months (2026-01-05..2026-07-04), else the days. */
export function danishPeriod(start: CalendarDate, end: CalendarDate): string {
  for (let months = 1; months <= 24; months++) {
    if (latestPeriodEnd(start, months) === end) return `${months} ${months === 1 ? 'måned' : 'måneder'}`;
  }
  const days = daysBetween(start, end) + 1;
  return `${days} ${days === 1 ? 'dag' : 'dage'}`;
}

export interface GrantAgreementData {
  reference: string;
  issuedOn: CalendarDate;
  citizen: { name: string; maskedCpr: string; caseNumber: string };
  agreement: AgreementTerms;
  mentorType: MentorType;
  serviceLevel: number;
  minutesPerWeek: number;
  start: CalendarDate;
  end: CalendarDate;
  goal: string;
  tasks: string;
  mentor: { name: string; phone: string | null; email: string | null };
  complaintGuidance: string | null;
  firstFollowUp: CalendarDate | null;
  ruleSet: RuleSetValues;
  /** Not yet approved by a team leader: the agreement is marked as a draft. */
  draft?: boolean;
  /** The day the terms above took effect, when the grant has been amended (they are the version in force). */
  versionSince?: CalendarDate;
  /** Every version of the grant's terms, oldest first, with what changed: the history annex. */
  history?: Array<{ from: CalendarDate; change: string }>;
}

/**
 * The view model of the written agreement (Danish), from a grant's values; pure. The agreement goes to the
 * citizen, the supplier and the mentor: a CPR number in a text stored before the check at input is masked.
 */
export function grantAgreementView(data: GrantAgreementData, texts: GrantAgreementTexts, lang: DocumentLanguage = 'da'): GrantAgreementView {
  const weeks = data.ruleSet.followUpIntervalWeeks;
  return {
    reference: data.reference,
    issuedDate: danishDate(data.issuedOn),
    municipality: { ...MUNICIPALITY },
    citizen: { ...data.citizen, caseNumber: maskCprNumbers(data.citizen.caseNumber) },
    supplier: { name: data.agreement.supplierName, cvr: data.agreement.supplierCvr },
    agreement: { reference: data.agreement.reference, title: data.agreement.title, kindLabel: data.agreement.kind === 'framework' ? 'Rammeaftale' : 'Partnerskabsaftale' },
    mentorTypeLabel: MENTOR_TYPE_LABELS_DA[data.mentorType],
    legalBasis: data.ruleSet.legalBasis[data.mentorType],
    serviceLevel: bandText(serviceLevelBand(data.ruleSet, data.serviceLevel), data.serviceLevel),
    hoursPerWeekText: danishHours(data.minutesPerWeek),
    periodText: danishPeriod(data.start, data.end),
    start: danishDate(data.start),
    end: danishDate(data.end),
    goal: maskCprNumbers(data.goal),
    tasks: maskCprNumbers(data.tasks),
    mentor: { name: maskCprNumbers(data.mentor.name), phone: optionalText(data.mentor.phone), email: optionalText(data.mentor.email) },
    followUpText: data.firstFollowUp
      ? `Jobcenteret følger op hver ${weeks}. uge, første gang senest ${danishDate(data.firstFollowUp)}.`
      : `Jobcenteret følger op hver ${weeks}. uge og evaluerer forløbet inden det slutter.`,
    complaintGuidance: optionalText(data.complaintGuidance),
    lang,
    texts,
    ...(data.draft ? { draftNotice: texts.draft } : {}),
    ...(data.versionSince ? { versionSince: danishDate(data.versionSince) } : {}),
    ...(data.history && data.history.length > 1 ? { history: data.history.map((v): [string, string] => [danishDate(v.from), maskCprNumbers(v.change)]) } : {}),
  };
}

function optionalText(text: string | null): string | undefined {
  return text === null ? undefined : maskCprNumbers(text);
}
