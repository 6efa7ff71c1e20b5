import { DEFAULT_RULE_SET } from '../rules/rule-set';
import { checkEligibility, type EligibilityInput } from './eligibility.rules';

const rules = DEFAULT_RULE_SET.values.eligibility;
const base: EligibilityInput = { rules, mentorType: 'retention', targetGroup: 'sickness_benefit', start: '2026-03-01', end: '2026-08-31', dischargeDate: null, enrolmentDate: null };

describe('eligibility by mentor type and target group', () => {
  it('a holistic mentor only for activity-ready cash, education and integration benefit', () => {
    for (const targetGroup of ['activity_ready_cash_benefit', 'education_benefit_activity_ready', 'integration_benefit_activity_ready'] as const) {
      expect(checkEligibility({ ...base, mentorType: 'holistic', targetGroup })).toEqual([]);
    }
    expect(checkEligibility({ ...base, mentorType: 'holistic', targetGroup: 'job_ready_cash_benefit' })).toEqual([
      expect.objectContaining({ field: 'mentorType', rule: 'eligible_target_group', values: expect.objectContaining({ targetGroup: 'job_ready_cash_benefit', start: '2026-03-01' }) }),
    ]);
    expect(checkEligibility(base)).toEqual([]);
  });

  it('a discharge coordinator starts at most 3 months before the discharge date: 2026-06-15 → from 2026-03-15', () => {
    const discharge = { ...base, mentorType: 'discharge' as const, dischargeDate: '2026-06-15' };
    expect(checkEligibility({ ...discharge, start: '2026-03-15', end: '2026-09-14' })).toEqual([]);
    expect(checkEligibility({ ...discharge, start: '2026-03-14', end: '2026-09-13' })).toEqual([
      expect.objectContaining({ field: 'start', rule: 'discharge_start_window', values: expect.objectContaining({ earliestStart: '2026-03-15' }) }),
    ]);
    expect(checkEligibility({ ...discharge, dischargeDate: null })).toEqual([expect.objectContaining({ field: 'dischargeDate', rule: 'discharge_date_required' })]);
  });

  it('a discharge coordinator lasts at least 6 months in all: from 2026-03-15 to 2026-09-14 at least', () => {
    const discharge = { ...base, mentorType: 'discharge' as const, dischargeDate: '2026-06-15', start: '2026-03-15' };
    expect(checkEligibility({ ...discharge, end: '2026-09-13' })).toEqual([expect.objectContaining({ field: 'end', rule: 'discharge_min_length', values: expect.objectContaining({ earliestEnd: '2026-09-14' }) })]);
  });

  it('a single parent with an education order from enrolment for 6 months: enrolled 2026-08-10 → to 2027-02-09', () => {
    const single = { ...base, targetGroup: 'single_parent_education_order' as const, enrolmentDate: '2026-08-10' };
    expect(checkEligibility({ ...single, start: '2026-08-10', end: '2027-02-09' })).toEqual([]);
    expect(checkEligibility({ ...single, start: '2026-08-09', end: '2027-02-10' })).toEqual([
      expect.objectContaining({ field: 'start', rule: 'education_order_from_enrolment' }),
      expect.objectContaining({ field: 'end', rule: 'education_order_length', values: expect.objectContaining({ latestEnd: '2027-02-09' }) }),
    ]);
    expect(checkEligibility({ ...single, enrolmentDate: null })).toEqual([expect.objectContaining({ field: 'enrolmentDate', rule: 'enrolment_date_required' })]);
  });
});
