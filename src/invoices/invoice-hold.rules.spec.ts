import type { Finding } from './finding';
import {
  ANSWER_TRANSITIONS,
  HOLD_TRANSITIONS,
  answerProblem,
  answerTransitionProblem,
  canAnswer,
  holdIsDue,
  holdProblem,
  holdTransitionProblem,
  isHoldable,
  resolutionProblem,
} from './invoice-hold.rules';
import { INVOICE_STATUSES, invoiceTransitionProblem } from './invoice-lifecycle.rules';

const overWeek: Finding = { code: 'week_over_grant', severity: 'error', field: 'lines[2].minutes', values: { week: '2026-W41', minutes: 75, grantedMinutes: 60, overMinutes: 15 } };

describe('holdProblem', () => {
  it('takes a release date the day after today', () => {
    expect(holdProblem('2026-11-26', '2026-11-25')).toBeNull();
  });

  it('takes a release date across a year end and a leap day', () => {
    expect(holdProblem('2027-01-01', '2026-12-31')).toBeNull();
    expect(holdProblem('2028-02-29', '2028-02-28')).toBeNull();
  });

  it('refuses today and every earlier day, naming the field, the rule and both dates', () => {
    expect(holdProblem('2026-11-25', '2026-11-25')).toEqual({
      field: 'releaseOn',
      rule: 'release_after_today',
      message: 'the release date 2026-11-25 must lie after today (2026-11-25)',
      values: { releaseOn: '2026-11-25', today: '2026-11-25' },
    });
    expect(holdProblem('2026-11-24', '2026-11-25')).toMatchObject({ rule: 'release_after_today', values: { releaseOn: '2026-11-24', today: '2026-11-25' } });
    expect(holdProblem('2025-12-31', '2026-01-01')).toMatchObject({ rule: 'release_after_today' });
  });
});

describe('holdIsDue', () => {
  it('is due on its release date and after, not the day before', () => {
    expect(holdIsDue('2026-12-15', '2026-12-14')).toBe(false);
    expect(holdIsDue('2026-12-15', '2026-12-15')).toBe(true);
    expect(holdIsDue('2026-12-15', '2027-01-02')).toBe(true);
  });

  it('counts a leap day as a day of its own', () => {
    expect(holdIsDue('2028-03-01', '2028-02-29')).toBe(false);
    expect(holdIsDue('2028-02-29', '2028-02-29')).toBe(true);
  });
});

describe('which invoices can be held and answered', () => {
  it('holds an invoice awaiting approval, approved or partly approved; nothing else', () => {
    expect(INVOICE_STATUSES.filter(isHoldable)).toEqual(['validated', 'approved', 'partly_approved']);
  });

  it('lets the supplier answer findings while the invoice awaits approval or is held', () => {
    expect(INVOICE_STATUSES.filter(canAnswer)).toEqual(['validated', 'held']);
  });

  it('holds and releases through the invoice transition table, finance only; the system releases too', () => {
    for (const from of ['validated', 'approved', 'partly_approved'] as const) {
      expect(invoiceTransitionProblem(from, 'held', 'finance')).toBeNull();
      expect(invoiceTransitionProblem(from, 'held', 'supplier')).toEqual({ field: 'status', rule: 'invoice_transition_role', message: `supplier may not move a invoice from ${from} to held`, values: { from, to: 'held', role: 'supplier' } });
      expect(invoiceTransitionProblem('held', from, 'system')).toBeNull();
      expect(invoiceTransitionProblem('held', from, 'finance')).toBeNull();
    }
    expect(invoiceTransitionProblem('held', 'held', 'finance')).toMatchObject({ rule: 'invoice_transition', values: { from: 'held', to: 'held' } });
    expect(invoiceTransitionProblem('billed', 'held', 'finance')).toMatchObject({ rule: 'invoice_transition', values: { from: 'billed', to: 'held' } });
    expect(invoiceTransitionProblem('rejected', 'held', 'finance')).toMatchObject({ rule: 'invoice_transition', values: { from: 'rejected', to: 'held' } });
    expect(invoiceTransitionProblem('held', 'billed', 'system')).toMatchObject({ rule: 'invoice_transition', values: { from: 'held', to: 'billed' } });
    expect(invoiceTransitionProblem('held', 'rejected', 'finance')).toMatchObject({ rule: 'invoice_transition', values: { from: 'held', to: 'rejected' } });
  });
});

describe('the hold lifecycle', () => {
  it('has one transition: active → released, by finance or the system', () => {
    expect(HOLD_TRANSITIONS).toEqual([{ from: 'active', to: 'released', roles: ['finance', 'system'] }]);
    expect(holdTransitionProblem('active', 'released', 'finance')).toBeNull();
    expect(holdTransitionProblem('active', 'released', 'system')).toBeNull();
  });

  it('refuses a second release and other roles, with the codes the catalogue knows', () => {
    expect(holdTransitionProblem('released', 'released', 'finance')).toEqual({
      field: 'status',
      rule: 'invoice_hold_transition',
      message: 'a invoice hold that is released cannot become released (released is final)',
      values: { from: 'released', to: 'released' },
    });
    expect(holdTransitionProblem('active', 'released', 'supplier')).toEqual({
      field: 'status',
      rule: 'invoice_hold_transition_role',
      message: 'supplier may not move a invoice hold from active to released',
      values: { from: 'active', to: 'released', role: 'supplier' },
    });
    expect(holdTransitionProblem('active', 'released', 'admin')).toMatchObject({ rule: 'invoice_hold_transition_role' });
  });
});

describe('answers to findings', () => {
  it('takes the first answer of a line with findings', () => {
    expect(answerProblem(2, [overWeek], false)).toBeNull();
  });

  it('refuses a line that does not exist, has no findings, or is answered', () => {
    expect(answerProblem(7, null, false)).toEqual({ field: 'lineNo', rule: 'line_exists', message: 'the invoice has no line 7', values: { lineNo: 7 } });
    expect(answerProblem(1, [], false)).toEqual({ field: 'lineNo', rule: 'line_has_findings', message: 'line 1 has no findings to answer', values: { lineNo: 1 } });
    expect(answerProblem(2, [overWeek], true)).toEqual({ field: 'lineNo', rule: 'answered_once', message: 'line 2 is already answered', values: { lineNo: 2 } });
  });

  it('resolves a dispute once, by finance or by the invoice’s decision', () => {
    expect(ANSWER_TRANSITIONS).toEqual([{ from: 'disputed', to: 'resolved', roles: ['finance', 'system'] }]);
    expect(answerTransitionProblem('disputed', 'resolved', 'finance')).toBeNull();
    expect(answerTransitionProblem('disputed', 'resolved', 'system')).toBeNull();
    expect(answerTransitionProblem('disputed', 'resolved', 'supplier')).toMatchObject({ rule: 'finding_answer_transition_role', values: { from: 'disputed', to: 'resolved', role: 'supplier' } });
    expect(answerTransitionProblem('accepted', 'resolved', 'finance')).toMatchObject({ rule: 'finding_answer_transition', values: { from: 'accepted', to: 'resolved' } });
    expect(answerTransitionProblem('resolved', 'resolved', 'finance')).toMatchObject({ rule: 'finding_answer_transition', values: { from: 'resolved', to: 'resolved' } });
  });
});

describe('resolutionProblem', () => {
  const none = { replacement: false, creditNote: false };

  it('approves or rejects whatever the supplier has sent', () => {
    expect(resolutionProblem('approved', none)).toBeNull();
    expect(resolutionProblem('rejected', none)).toBeNull();
  });

  it('needs the replacement invoice for "replaced" and the credit note for "credited"', () => {
    expect(resolutionProblem('replaced', none)).toEqual({ field: 'resolution', rule: 'replacement_received', message: 'no replacement invoice referring to this invoice has been received from the supplier' });
    expect(resolutionProblem('credited', none)).toEqual({ field: 'resolution', rule: 'credit_note_received', message: 'no credit note referring to this invoice has been received from the supplier' });
    expect(resolutionProblem('replaced', { replacement: false, creditNote: true })).toMatchObject({ rule: 'replacement_received' });
    expect(resolutionProblem('credited', { replacement: true, creditNote: false })).toMatchObject({ rule: 'credit_note_received' });
    expect(resolutionProblem('replaced', { replacement: true, creditNote: false })).toBeNull();
    expect(resolutionProblem('credited', { replacement: false, creditNote: true })).toBeNull();
  });
});
