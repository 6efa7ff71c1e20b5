import type { MentorType, TargetGroup } from './rule-set';

/**
 * The rule-set values of a grant's course beyond its terms (Copenhagen 000, 001; Gribskov 004): the lawful reasons
 * to end a course early per mentor type, who may be granted which mentor type, and when a grant counts as silent.
 * Dated with the rest of the rule set; a version stored before these values existed takes the defaults below.
 */

/** Why a course ends before its period does. */
export const EARLY_END_REASONS = [
  'ready_for_active_offer', // klar til et ret og pligt-tilbud (LBA §§ 92/94), which the job centre offers
  'left_target_group', // ikke længere i målgruppen for kontant-, uddannelses- eller integrationsydelse
  'goal_reached', // målet er nået
  'job_or_education', // ordinært job eller uddannelse
  'citizen_moved', // fraflyttet kommunen
  'citizen_declined', // borgeren ønsker ikke støtten
  'support_not_needed', // støtten er ikke længere nødvendig
] as const;
export type EarlyEndReason = (typeof EARLY_END_REASONS)[number];

export interface EligibilityRules {
  /** The target groups a mentor type is granted to; a mentor type not named here is granted to any. */
  targetGroupsByMentorType: Partial<Record<MentorType, TargetGroup[]>>;
  /** A discharge coordinator may start this many months before the discharge date … */
  dischargeLeadMonths: number;
  /** … and the support lasts at least this many months in all. */
  dischargeMinMonths: number;
  /** Single parents on education benefit with an education order: support from enrolment … */
  educationOrderTargetGroups: TargetGroup[];
  /** … for this many months in all. */
  educationOrderMonths: number;
}

/** A grant whose mentor must meet the citizen every `contactEveryWeeks` weeks is silent after `weeks` weeks without a session. */
export interface SilentGrantRule {
  contactEveryWeeks: number;
  weeks: number;
}

export interface CourseRuleValues {
  /**
   * The reasons a course of a mentor type may end early, where the law limits them: a holistic course only when the
   * citizen is ready for an active offer or has left the target group (000, 001); it needs one of them. A mentor type
   * not named ends early for any reason of EARLY_END_REASONS, the reason then optional.
   */
  earlyEndReasons: Partial<Record<MentorType, EarlyEndReason[]>>;
  eligibility: EligibilityRules;
  silentGrantWeeks: SilentGrantRule[];
}

export const COURSE_RULE_DEFAULTS: CourseRuleValues = {
  earlyEndReasons: {
    // "Tilbuddet kan kun afbrydes, hvis borgeren ikke længere er i målgruppen … eller … er klar til at deltage i et ret og pligt-tilbud" (000).
    holistic: ['ready_for_active_offer', 'left_target_group'],
  },
  eligibility: {
    // Activity-ready cash, education and integration benefit (000, 001: "aktivitetsparate kontant- og uddannelseshjælpsmodtagere samt integrationsydelsesmodtagere").
    targetGroupsByMentorType: { holistic: ['activity_ready_cash_benefit', 'education_benefit_activity_ready', 'integration_benefit_activity_ready'] },
    dischargeLeadMonths: 3,
    dischargeMinMonths: 6,
    educationOrderTargetGroups: ['single_parent_education_order'],
    educationOrderMonths: 6,
  },
  silentGrantWeeks: [
    { contactEveryWeeks: 1, weeks: 2 },
    { contactEveryWeeks: 2, weeks: 3 },
  ],
};

/** The keys a stored version may lack: it was entered before they existed and takes the defaults. */
export const COURSE_RULE_KEYS = Object.keys(COURSE_RULE_DEFAULTS) as Array<keyof CourseRuleValues>;
