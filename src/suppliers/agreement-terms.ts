import type { CalendarDate } from '../common/time/calendar-date';
import type { MentorType } from '../rules/rule-set';

/** What the grants module needs to know of an agreement (exported by AgreementsService.termsFor). */
export interface AgreementTerms {
  id: string;
  supplierId: string;
  supplierName: string;
  supplierCvr: string;
  kind: 'framework' | 'partnership';
  reference: string;
  title: string;
  validFrom: CalendarDate;
  validTo: CalendarDate;
  mentorTypes: MentorType[];
  active: boolean;
  /** A partnership's minutes per week for a company mentor (1 hour in 004); null when it names none. */
  defaultMinutesPerWeek: number | null;
}
