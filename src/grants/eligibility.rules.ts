import type { ErrorDetail } from '../common/errors/domain.exception';
import { addMonths, compareDates, isCalendarDate, type CalendarDate } from '../common/time/calendar-date';
import type { EligibilityRules } from '../rules/course-rule-set';
import type { MentorType, TargetGroup } from '../rules/rule-set';
import { latestPeriodEnd } from './grant.rules';
import { GrantsErrorCode } from './grants.errors';

/**
 * Who may be granted which mentor type, dated in the rule set (Copenhagen 000, 001; Gribskov 004): a holistic mentor
 * only for activity-ready cash, education and integration benefit; a discharge coordinator from up to 3 months
 * before the discharge date and for at least 6 months in all; a single parent on education benefit with an
 * education order from enrolment and for 6 months in all. The target group is the one in force on the start. Pure.
 */
export interface EligibilityInput {
  rules: EligibilityRules;
  mentorType: MentorType;
  targetGroup: TargetGroup;
  start: CalendarDate;
  end: CalendarDate;
  dischargeDate: CalendarDate | null;
  enrolmentDate: CalendarDate | null;
}

export function checkEligibility(input: EligibilityInput): ErrorDetail[] {
  if (!isCalendarDate(input.start) || !isCalendarDate(input.end)) return [];
  return [...checkTargetGroup(input), ...checkDischarge(input), ...checkEducationOrder(input)];
}

function checkTargetGroup({ rules, mentorType, targetGroup, start }: EligibilityInput): ErrorDetail[] {
  const groups = rules.targetGroupsByMentorType[mentorType];
  if (groups === undefined || groups.includes(targetGroup)) return [];
  return [
    {
      field: 'mentorType',
      rule: GrantsErrorCode.EligibleTargetGroup,
      message: `mentor type ${mentorType} is granted only to the target groups ${groups.join(', ')}; the citizen's target group on ${start} is ${targetGroup}`,
      values: { mentorType, targetGroup, start, targetGroups: groups.join(', ') },
    },
  ];
}

function checkDischarge({ rules, mentorType, start, end, dischargeDate }: EligibilityInput): ErrorDetail[] {
  if (mentorType !== 'discharge') return [];
  if (dischargeDate === null) {
    return [{ field: 'dischargeDate', rule: GrantsErrorCode.DischargeDateRequired, message: 'a discharge coordinator is granted with the date of discharge from the psychiatric ward' }];
  }
  const problems: ErrorDetail[] = [];
  const earliestStart = addMonths(dischargeDate, -rules.dischargeLeadMonths);
  if (compareDates(start, earliestStart) < 0) {
    problems.push({
      field: 'start',
      rule: GrantsErrorCode.DischargeStartWindow,
      message: `a discharge coordinator starts at most ${rules.dischargeLeadMonths} months before the discharge on ${dischargeDate}, so on ${earliestStart} at the earliest, not ${start}`,
      values: { start, dischargeDate, earliestStart, months: rules.dischargeLeadMonths },
    });
  }
  const earliestEnd = latestPeriodEnd(start, rules.dischargeMinMonths);
  if (compareDates(end, earliestEnd) < 0) {
    problems.push({
      field: 'end',
      rule: GrantsErrorCode.DischargeMinLength,
      message: `a discharge coordinator supports the citizen for at least ${rules.dischargeMinMonths} months in all: from ${start} to ${earliestEnd} at least, not to ${end}`,
      values: { start, end, earliestEnd, months: rules.dischargeMinMonths },
    });
  }
  return problems;
}

function checkEducationOrder({ rules, targetGroup, start, end, enrolmentDate }: EligibilityInput): ErrorDetail[] {
  if (!rules.educationOrderTargetGroups.includes(targetGroup)) return [];
  if (enrolmentDate === null) {
    return [{ field: 'enrolmentDate', rule: GrantsErrorCode.EnrolmentDateRequired, message: 'a single parent with an education order is granted a mentor from the day of enrolment: give that day' }];
  }
  const problems: ErrorDetail[] = [];
  if (compareDates(start, enrolmentDate) < 0) {
    problems.push({
      field: 'start',
      rule: GrantsErrorCode.EducationOrderFromEnrolment,
      message: `a single parent with an education order has a mentor from the enrolment on ${enrolmentDate}, not from ${start}`,
      values: { start, enrolmentDate },
    });
  }
  const latestEnd = latestPeriodEnd(enrolmentDate, rules.educationOrderMonths);
  if (compareDates(end, latestEnd) > 0) {
    problems.push({
      field: 'end',
      rule: GrantsErrorCode.EducationOrderLength,
      message: `a single parent with an education order has a mentor for ${rules.educationOrderMonths} months in all from the enrolment on ${enrolmentDate}, so to ${latestEnd} at the latest, not ${end}`,
      values: { end, enrolmentDate, latestEnd, months: rules.educationOrderMonths },
    });
  }
  return problems;
}
