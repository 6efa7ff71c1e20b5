import { Injectable } from '@nestjs/common';
import { AccessScope } from '../common/auth/access-scope';
import type { ErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, minutesPhrase, translate } from '../common/i18n/messages';
import { addDays, compareDates, type CalendarDate } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import { formatTimestamp } from '../common/web/finance-view';
import type { Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { RulesService } from '../rules/rules.service';
import { FOLLOW_UP_FORMS, FOLLOW_UP_KINDS } from './follow-up.rules';
import { FollowUpsService } from './follow-ups.service';
import { AMENDMENT_KINDS } from './grant-amendment.rules';
import { GrantAmendmentsService } from './grant-amendments.service';
import type { GrantDto } from './grants.dto';
import { GrantsService } from './grants.service';
import { maskCprNumbers } from './personal-data.rules';
import { ProgressReportsService } from './progress-reports.service';

type Form = Record<string, string>;
type FieldErrors = Record<string, string[]>;

/** One line of a grant's timeline: its day, what happened, and a detail. */
interface TimelineEntry {
  date: CalendarDate;
  what: string;
  detail: string;
}

/** What the grant page and the course page show of a grant's course: the terms in force, the timeline and the forms. */
export interface CourseFormsState {
  amendValues?: Form;
  amendError?: ErrorBody;
  amendFieldErrors?: FieldErrors;
  followValues?: Form;
  followError?: ErrorBody;
  followFieldErrors?: FieldErrors;
  decideError?: ErrorBody;
  decideId?: string;
}

/** Builds the course section of a grant's pages (Danish and English). */
@Injectable()
export class GrantCourseViews {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly amendments: GrantAmendmentsService,
    private readonly followUps: FollowUpsService,
    private readonly progressReports: ProgressReportsService,
    private readonly rules: RulesService,
    private readonly grants: GrantsService,
    private readonly clock: Clock,
  ) {}

  async view(grant: GrantDto, role: string | undefined, userId: string | undefined, lang: Language, state: CourseFormsState = {}) {
    const t = (key: string, params: Record<string, unknown> = {}) => translate(this.catalogues, lang, key, params);
    const grantRow = await this.grants.row(grant.id, AccessScope.unrestricted());
    const [history, followUps, reports, ruleSet] = await Promise.all([
      this.amendments.history(grantRow),
      this.followUps.list(grant.id),
      this.progressReports.list(grant.id, AccessScope.unrestricted()),
      this.rules.valuesInForce(this.clock.today()),
    ]);
    const hours = (minutes: number) => minutesPhrase(this.catalogues, lang, minutes);
    const describe = (a: (typeof history.amendments)[number]): string => {
      if (a.kind === 'hours') return t('course.change.hours', { level: a.serviceLevel, hours: hours(a.minutesPerWeek as number) });
      if (a.kind === 'mentor') return t('course.change.mentor', { name: maskCprNumbers(a.mentorName ?? '') });
      return t('course.change.goal', { goal: maskCprNumbers(a.goal ?? '') });
    };
    const timeline: TimelineEntry[] = [];
    const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');
    timeline.push({ date: day(grant.visitation.proposedAt ?? grant.createdAt), what: t('course.event.proposed'), detail: `${grant.start} – ${grant.originalEnd}, ${hours(grant.minutesPerWeek)}` });
    if (grant.visitation.sentBackAt) timeline.push({ date: day(grant.visitation.sentBackAt), what: t('course.event.sent_back'), detail: grant.visitation.sentBackReason ?? '' });
    if (grant.activeFrom) timeline.push({ date: grant.activeFrom, what: t('course.event.approved'), detail: t('course.event.active_from', { from: grant.activeFrom }) });
    for (const a of history.amendments) {
      timeline.push({ date: a.effectiveFrom, what: t(`course.event.amendment_${a.status}`), detail: `${describe(a)} — ${maskCprNumbers(a.reason)}` });
    }
    for (const f of followUps) timeline.push({ date: f.heldOn, what: t(`course.event.${f.kind}`), detail: `${t(`course.form.${f.form}`)}, ${f.withWhom}: ${f.progress}` });
    for (const r of reports) timeline.push({ date: day(r.submittedAt), what: t('course.event.progress_report'), detail: t('course.event.progress_report_for', { due: r.dueDate }) });
    if (grant.extensionsUsed > 0) timeline.push({ date: addDays(grant.originalEnd, 1), what: t('course.event.extended'), detail: t('course.event.extended_to', { end: grant.end }) });
    if (grant.endedOn) timeline.push({ date: grant.endedOn, what: t('course.event.ended'), detail: grant.outcome ? t(`outcome.${grant.outcome}`) : '' });
    timeline.sort((a, b) => compareDates(a.date, b.date));

    const inForce = history.inForce;
    const canChange = grant.status === 'active' && (role === 'caseworker' || role === 'admin');
    const amendValues = state.amendValues ?? {};
    const followValues = state.followValues ?? {};
    const proposed = history.amendments
      .filter((a) => a.status === 'proposed')
      .map((a) => ({ id: a.id, effectiveFrom: a.effectiveFrom, text: describe(a), reason: maskCprNumbers(a.reason), own: a.createdBy === userId, recordedAt: formatTimestamp(new Date(a.createdAt).toISOString()), error: state.decideId === a.id ? state.decideError : undefined }));
    return {
      // Texts stored before the CPR guard may hold a number: staff see them masked, as in the written agreement.
      inForce: { since: inForce.from, serviceLevel: inForce.terms.serviceLevel, hours: hours(inForce.terms.minutesPerWeek), mentorName: maskCprNumbers(inForce.terms.mentorName), mentorPhone: inForce.terms.mentorPhone && maskCprNumbers(inForce.terms.mentorPhone), mentorEmail: inForce.terms.mentorEmail && maskCprNumbers(inForce.terms.mentorEmail), goal: maskCprNumbers(inForce.terms.goal), tasks: maskCprNumbers(inForce.terms.tasks) },
      timeline,
      proposed,
      canDecide: role === 'team_leader' && grant.status === 'active',
      canChange,
      amendValues,
      amendError: state.amendError,
      amendFieldErrors: state.amendFieldErrors ?? {},
      followValues,
      followError: state.followError,
      followFieldErrors: state.followFieldErrors ?? {},
      kindOptions: AMENDMENT_KINDS.map((value) => ({ value, selected: (amendValues.kind ?? 'hours') === value })),
      levelOptions: ruleSet.serviceLevels.map((band) => ({ value: band.level, selected: amendValues.serviceLevel === String(band.level) })),
      followKindOptions: FOLLOW_UP_KINDS.map((value) => ({ value, selected: (followValues.kind ?? 'follow_up') === value })),
      formOptions: FOLLOW_UP_FORMS.map((value) => ({ value, selected: followValues.form === value })),
      today: this.clock.today(),
    };
  }
}

