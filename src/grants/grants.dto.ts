import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsCalendarDateField as IsCalendarDate } from '../common/time/calendar-date.validator';
import { MENTOR_TYPES, TARGET_GROUPS, type MentorType, type TargetGroup } from '../rules/rule-set';
import { GRANT_STATUSES, TASK_STATES, type GrantStatus, type TaskState } from './grant.rules';
import { EARLY_END_REASONS, type EarlyEndReason } from '../rules/course-rule-set';

export { GRANT_STATUSES, type GrantStatus };
// active_offer: transition to an active offer (LBA §§ 92/94); education_started: ordinary education begun (Copenhagen 000).
export const OUTCOMES = ['job', 'education', 'education_started', 'active_offer', 'other_benefit', 'still_on_benefit', 'moved', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export { TASK_STATES, type TaskState };

// ---- citizens ----

export class CreateCitizenDto {
  @ApiProperty({ example: '010203-1234', description: 'CPR number, DDMMYY-SSSS or DDMMYYSSSS; stored encrypted, never shown again in full' })
  @IsString()
  @MaxLength(20)
  cpr: string;

  @ApiProperty({ example: 'Mette Hansen' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ example: '2026-04711' }) @IsString() @MinLength(1) @MaxLength(60) caseNumber: string;
  @ApiProperty({ enum: TARGET_GROUPS }) @IsIn(TARGET_GROUPS) targetGroup: TargetGroup;
}

export class ChangeTargetGroupDto {
  @ApiProperty({ enum: TARGET_GROUPS }) @IsIn(TARGET_GROUPS) targetGroup: TargetGroup;
  @ApiProperty({ format: 'date', example: '2026-12-01', description: 'The day the target group takes effect; a grant starting on or after it (until the next change) is judged by it' })
  @IsCalendarDate()
  effectiveFrom: string;
}

export class TargetGroupEntryDto {
  @ApiProperty({ enum: TARGET_GROUPS }) targetGroup: TargetGroup;
  @ApiProperty({ format: 'date', description: 'In force from this day until the next entry; the first entry from 2000-01-01' }) effectiveFrom: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) recordedBy: string | null;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export class CitizenTargetGroupsDto {
  @ApiProperty({ enum: TARGET_GROUPS, description: 'In force today' }) current: TargetGroup;
  @ApiProperty({ type: [TargetGroupEntryDto] }) history: TargetGroupEntryDto[];
  @ApiProperty({ type: [String], description: 'The references of the grants not yet approved that took the new target group at their start' }) grantsRetargeted: string[];
}

export class CitizenQueryDto {
  @ApiPropertyOptional({ description: 'Exact lookup by CPR number (through a keyed hash)' }) @IsOptional() @IsString() @MaxLength(20) cpr?: string;
  @ApiPropertyOptional({ description: 'Part of the name or case number' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) q?: string;
  @ApiPropertyOptional({ default: 100, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class CitizenDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '010203-XXXX' }) maskedCpr: string;
  @ApiProperty() name: string;
  @ApiProperty() caseNumber: string;
  @ApiProperty({ enum: TARGET_GROUPS }) targetGroup: TargetGroup;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

// ---- grants ----

export class CreateGrantDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() citizenId: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() agreementId: string;
  @ApiProperty({ enum: MENTOR_TYPES }) @IsIn(MENTOR_TYPES) mentorType: MentorType;
  @ApiProperty({ example: 1, description: 'Service level; its band of minutes per week is in the rule set' }) @IsInt() @Min(1) @Max(9) serviceLevel: number;
  @ApiProperty({ example: 120 }) @IsInt() @Min(1) @Max(10080) minutesPerWeek: number;
  @ApiProperty({ example: '2026-01-05', format: 'date' }) @IsCalendarDate() start: string;
  @ApiProperty({ example: '2026-06-30', format: 'date' }) @IsCalendarDate() end: string;
  // Mandatory contents of the written agreement: a text of blanks would leave it without them.
  @ApiProperty({ description: 'Seen by the supplier: no CPR number, no name of the citizen' }) @IsString() @MinLength(1) @MaxLength(4000) @Matches(/\S/, { message: 'goal must not be blank' }) goal: string;
  @ApiProperty({ description: 'Seen by the supplier: no CPR number, no name of the citizen' }) @IsString() @MinLength(1) @MaxLength(4000) @Matches(/\S/, { message: 'tasks must not be blank' }) tasks: string;
  // stored trimmed, so it needs a character besides blanks
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) @Matches(/\S/, { message: 'mentorName must not be blank' }) mentorName: string;
  @ApiPropertyOptional({ description: 'Phone or e-mail of the mentor is required' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(40) mentorPhone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(200) mentorEmail?: string;
  @ApiPropertyOptional({ description: 'Replaces the standard complaint guidance in the written agreement' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(4000) complaintGuidance?: string;
  @ApiPropertyOptional({ description: 'Required when a company grant has more minutes a week than its partnership agreement’s (partnership_minutes_reason); the team leader reads it on the proposal' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(2000) @Matches(/\S/, { message: 'excessReason must not be blank' }) excessReason?: string;
  @ApiPropertyOptional({ format: 'date', description: 'A discharge coordinator: the day of discharge from the psychiatric ward (the grant starts at most 3 months before it and lasts at least 6 months)' })
  @IsOptional()
  @IsCalendarDate()
  dischargeDate?: string;
  @ApiPropertyOptional({ format: 'date', description: 'A single parent with an education order: the day of enrolment (support from it for 6 months in all)' })
  @IsOptional()
  @IsCalendarDate()
  enrolmentDate?: string;
}

export class ExtendGrantDto {
  @ApiProperty({ example: '2026-12-31', format: 'date' }) @IsCalendarDate() newEnd: string;
}

export class EndGrantDto {
  @ApiProperty({ enum: OUTCOMES, description: 'active_offer: transition to an active offer (LBA §§ 92/94)' }) @IsIn(OUTCOMES) outcome: Outcome;
  @ApiProperty({ format: 'date' }) @IsCalendarDate() endedOn: string;
  @ApiPropertyOptional({
    enum: EARLY_END_REASONS,
    description: 'Required when the grant ends before its period’s last day: one of the reasons its mentor type allows (a holistic course: ready_for_active_offer, with the outcome active_offer, or left_target_group); 422 end_reason_required / end_reason_for_mentor_type otherwise',
  })
  @IsOptional()
  @IsIn(EARLY_END_REASONS)
  reason?: EarlyEndReason;
}

/** A grant's course: the facts its eligibility was judged by, the reason it ended early, and the chain of holistic periods. */
export class GrantCourseDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The holistic period this one follows' }) previousGrantId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The holistic period that follows this one' }) nextGrantId: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) dischargeDate: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) enrolmentDate: string | null;
  @ApiProperty({ enum: EARLY_END_REASONS, nullable: true }) endReason: EarlyEndReason | null;
  @ApiProperty({ enum: EARLY_END_REASONS, isArray: true, description: 'The reasons this grant may end early, under the rule set in force on its start' }) earlyEndReasons: EarlyEndReason[];
  @ApiProperty({ enum: ['needed', 'active_offer', 'next_period'], nullable: true, description: 'A holistic period asks for its successor: an active offer or a next period (needed until one answers it)' })
  successor: 'needed' | 'active_offer' | 'next_period' | null;
}

export class ApproveGrantDto {
  @ApiPropertyOptional({ format: 'date', description: 'The day the grant is active from: its start or later, not after today unless that is its start; by default the later of its start and today. No invoice line before it is payable' })
  @IsOptional()
  @IsCalendarDate()
  activeFrom?: string;
}

export class SendBackGrantDto {
  @ApiProperty({ description: 'Why the proposal goes back to the caseworker; staff only', example: 'Timetallet er ikke begrundet i målet' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;
}

/** A grant sent back, proposed again: the terms left out stay as they were, and every term is checked again. */
export class ProposeGrantDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(9) serviceLevel?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(10080) minutesPerWeek?: number;
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsCalendarDate() end?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(4000) @Matches(/\S/, { message: 'goal must not be blank' }) goal?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(4000) @Matches(/\S/, { message: 'tasks must not be blank' }) tasks?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) @Matches(/\S/, { message: 'mentorName must not be blank' }) mentorName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(40) mentorPhone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(200) mentorEmail?: string;
  @ApiPropertyOptional({ description: 'Why a company grant needs more minutes a week than its partnership agreement’s (partnership_minutes_reason)' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(2000) @Matches(/\S/, { message: 'excessReason must not be blank' }) excessReason?: string;
}

export class GrantQueryDto {
  @ApiPropertyOptional({ enum: GRANT_STATUSES }) @IsOptional() @IsIn(GRANT_STATUSES) status?: GrantStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() supplierId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() agreementId?: string;
  @ApiPropertyOptional({ enum: MENTOR_TYPES }) @IsOptional() @IsIn(MENTOR_TYPES) mentorType?: MentorType;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(9) serviceLevel?: number;
  @ApiPropertyOptional({ example: 'MS-2026-000123' }) @IsOptional() @Matches(/^MS-\d{4}-\d{6}$/) reference?: string;
  @ApiPropertyOptional({ format: 'date', description: 'Grants whose period includes this date' }) @IsOptional() @IsCalendarDate() activeOn?: string;
  @ApiPropertyOptional({ description: 'Keyset cursor: the nextCursor of the previous page' }) @IsOptional() @Matches(/^MS-\d{4}-\d{6}$/) after?: string;
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class DueTaskQueryDto {
  @ApiPropertyOptional({ default: 50, maximum: 200, description: 'How many tasks, from the first' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class MentorDto {
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
}

export class DueTaskDto {
  @ApiProperty({ enum: ['follow_up', 'evaluation'] }) kind: 'follow_up' | 'evaluation';
  @ApiProperty({ format: 'date' }) due: string;
  @ApiProperty({ enum: TASK_STATES, description: 'done: closed by a follow-up or evaluation the caseworker held, or the evaluation of an ended grant; overdue: before today (Copenhagen)' }) state: TaskState;
  @ApiPropertyOptional({ format: 'date', description: 'The day the follow-up or evaluation that closed it was held' }) heldOn?: string;
}

/** The grant's visitation: its latest proposal, its approval, and its latest sending back with the reason. */
export class VisitationDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) proposedBy: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) proposedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) approvedBy: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) approvedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) sentBackBy: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) sentBackAt: string | null;
  @ApiProperty({ nullable: true, type: String }) sentBackReason: string | null;
}

/** What a supplier user sees of a grant: no citizen name, CPR number or case number. */
export class SupplierGrantDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'MS-2026-000123' }) reference: string;
  @ApiProperty({ format: 'uuid' }) agreementId: string;
  @ApiProperty({ enum: MENTOR_TYPES }) mentorType: MentorType;
  @ApiProperty() serviceLevel: number;
  @ApiProperty() minutesPerWeek: number;
  @ApiProperty({ format: 'date' }) start: string;
  @ApiProperty({ format: 'date' }) end: string;
  @ApiProperty() goal: string;
  @ApiProperty() tasks: string;
  @ApiProperty({ type: MentorDto }) mentor: MentorDto;
  @ApiProperty({ enum: GRANT_STATUSES, description: 'proposed and sent_back: not yet approved by a team leader, and not payable' }) status: GrantStatus;
  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'The day the approved grant is active from; no invoice line before it is payable' }) activeFrom: string | null;
  @ApiProperty({ type: [DueTaskDto], description: 'Only on GET /grants/:id' }) dueTasks?: DueTaskDto[];
}

/** What staff see of a grant: the citizen by name and masked CPR number. */
export class GrantDto extends SupplierGrantDto {
  @ApiProperty({ format: 'uuid' }) citizenId: string;
  @ApiProperty() citizenName: string;
  @ApiProperty({ example: '010203-XXXX' }) maskedCpr: string;
  @ApiProperty() caseNumber: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ format: 'date' }) originalEnd: string;
  @ApiProperty() extensionsUsed: number;
  @ApiProperty({ enum: TARGET_GROUPS, description: 'Frozen at the grant’s start' }) targetGroupAtStart: TargetGroup;
  @ApiProperty({ nullable: true, type: String }) complaintGuidance: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why a company grant has more minutes a week than its partnership agreement’s' }) excessReason: string | null;
  @ApiProperty({ enum: OUTCOMES, nullable: true }) outcome: Outcome | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) endedOn: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdBy: string | null;
  @ApiProperty({ type: VisitationDto }) visitation: VisitationDto;
  @ApiPropertyOptional({ type: GrantCourseDto, description: 'Only on GET /grants/:id' }) course?: GrantCourseDto;
}

export class GrantPageDto {
  @ApiProperty({ description: 'GrantDto for staff, SupplierGrantDto for a supplier user', type: [GrantDto] }) items: Array<GrantDto | SupplierGrantDto>;
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `after` for the next page' }) nextCursor: string | null;
}

export class DueTaskItemDto extends DueTaskDto {
  @ApiProperty({ format: 'uuid' }) grantId: string;
  @ApiProperty() reference: string;
  @ApiProperty() citizenName: string;
  @ApiProperty() caseNumber: string;
}

// ---- progress reports ----

export class CreateProgressReportDto {
  @ApiProperty({ format: 'date', description: 'One of the grant’s follow-up dates' }) @IsCalendarDate() dueDate: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(4000) progress: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(4000) hoursUsedFor: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(4000) deliverySummary: string;
}

export class ProgressReportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) grantId: string;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty() progress: string;
  @ApiProperty() hoursUsedFor: string;
  @ApiProperty() deliverySummary: string;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
  @ApiProperty({ description: 'Submitted after the due date' }) late: boolean;
}
