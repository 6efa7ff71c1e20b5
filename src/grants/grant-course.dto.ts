import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { IsCalendarDateField as IsCalendarDate } from '../common/time/calendar-date.validator';
import { AMENDMENT_KINDS, AMENDMENT_STATUSES, type AmendmentKind, type AmendmentStatus } from './grant-amendment.rules';
import { FOLLOW_UP_FORMS, FOLLOW_UP_KINDS, type FollowUpForm, type FollowUpKind } from './follow-up.rules';
import { MentorDto } from './grants.dto';

// ---- amendments ----

/**
 * An amendment of a grant from a day: `hours` (serviceLevel and minutesPerWeek), `mentor` (mentorName and a phone or
 * e-mail) or `goal` (goal and tasks, reset at a follow-up). Goal, tasks, mentor and reason are seen by the supplier:
 * no CPR number, no name of the citizen.
 */
export class CreateAmendmentDto {
  @ApiProperty({ enum: AMENDMENT_KINDS }) @IsIn(AMENDMENT_KINDS) kind: AmendmentKind;
  @ApiProperty({ format: 'date', example: '2026-12-07', description: 'Within the grant’s period; a change of minutes on a Monday (or the start)' }) @IsCalendarDate() effectiveFrom: string;
  @ApiProperty({ description: 'Why the grant changes; staff only' }) @IsString() @MinLength(1) @MaxLength(2000) @Matches(/\S/, { message: 'reason must not be blank' }) reason: string;
  @ApiPropertyOptional({ description: 'kind hours' }) @ValidateIf((o: CreateAmendmentDto) => o.kind === 'hours') @IsInt() @Min(1) @Max(9) serviceLevel?: number;
  @ApiPropertyOptional({ description: 'kind hours' }) @ValidateIf((o: CreateAmendmentDto) => o.kind === 'hours') @IsInt() @Min(1) @Max(10080) minutesPerWeek?: number;
  @ApiPropertyOptional({ description: 'kind mentor' }) @ValidateIf((o: CreateAmendmentDto) => o.kind === 'mentor') @IsString() @MinLength(1) @MaxLength(200) @Matches(/\S/, { message: 'mentorName must not be blank' }) mentorName?: string;
  @ApiPropertyOptional({ description: 'kind mentor: a phone or an e-mail' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(40) mentorPhone?: string;
  @ApiPropertyOptional({ description: 'kind mentor: a phone or an e-mail' }) @IsOptional() @IsEmail() @MaxLength(200) mentorEmail?: string;
  @ApiPropertyOptional({ description: 'kind goal' }) @ValidateIf((o: CreateAmendmentDto) => o.kind === 'goal') @IsString() @MinLength(1) @MaxLength(4000) @Matches(/\S/, { message: 'goal must not be blank' }) goal?: string;
  @ApiPropertyOptional({ description: 'kind goal' }) @ValidateIf((o: CreateAmendmentDto) => o.kind === 'goal') @IsString() @MinLength(1) @MaxLength(4000) @Matches(/\S/, { message: 'tasks must not be blank' }) tasks?: string;
}

export class RejectAmendmentDto {
  @ApiProperty({ description: 'Why the amendment is rejected; staff only' }) @IsString() @MinLength(1) @MaxLength(2000) @Matches(/\S/, { message: 'reason must not be blank' }) reason: string;
}

/** What the grant's supplier sees of an amendment in force: the new terms from their day, no reason. */
export class SupplierAmendmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: AMENDMENT_KINDS }) kind: AmendmentKind;
  @ApiProperty({ format: 'date' }) effectiveFrom: string;
  @ApiProperty({ enum: AMENDMENT_STATUSES }) status: AmendmentStatus;
  @ApiProperty({ nullable: true, type: Number }) serviceLevel: number | null;
  @ApiProperty({ nullable: true, type: Number }) minutesPerWeek: number | null;
  @ApiProperty({ nullable: true, type: MentorDto }) mentor: MentorDto | null;
  @ApiProperty({ nullable: true, type: String }) goal: string | null;
  @ApiProperty({ nullable: true, type: String }) tasks: string | null;
}

export class AmendmentDto extends SupplierAmendmentDto {
  @ApiProperty({ format: 'uuid' }) grantId: string;
  @ApiProperty() reason: string;
  @ApiProperty({ description: 'Whether it raised the minutes and so needed a team leader’s approval' }) needsApproval: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) decidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) rejectionReason: string | null;
}

/** The terms in force on a day: the grant's own with the approved amendments effective by then. */
export class TermsInForceDto {
  @ApiProperty({ format: 'date', description: 'The day these terms took effect' }) since: string;
  @ApiProperty() serviceLevel: number;
  @ApiProperty() minutesPerWeek: number;
  @ApiProperty({ type: MentorDto }) mentor: MentorDto;
  @ApiProperty() goal: string;
  @ApiProperty() tasks: string;
}

export class AmendmentListDto {
  @ApiProperty({ type: TermsInForceDto, description: 'The terms in force today' }) inForce: TermsInForceDto;
  @ApiProperty({ type: [AmendmentDto], description: 'Staff: every amendment; the grant’s supplier: those approved, without reasons (SupplierAmendmentDto)' }) items: Array<AmendmentDto | SupplierAmendmentDto>;
}

// ---- follow-ups ----

export class CreateFollowUpDto {
  @ApiProperty({ enum: FOLLOW_UP_KINDS, default: 'follow_up', description: 'follow_up: closes the open follow-up, the next falls due 13 weeks later; evaluation: the evaluation with the citizen before the end' })
  @IsOptional()
  @IsIn(FOLLOW_UP_KINDS)
  kind?: FollowUpKind;
  @ApiProperty({ format: 'date', description: 'The day it was held: in the grant’s period, not after today' }) @IsCalendarDate() heldOn: string;
  @ApiProperty({ enum: FOLLOW_UP_FORMS }) @IsIn(FOLLOW_UP_FORMS) form: FollowUpForm;
  @ApiProperty({ example: 'Borgeren og mentor' }) @IsString() @MinLength(1) @MaxLength(500) @Matches(/\S/, { message: 'withWhom must not be blank' }) withWhom: string;
  @ApiProperty({ description: 'Progress toward the goal; no CPR number' }) @IsString() @MinLength(1) @MaxLength(4000) @Matches(/\S/, { message: 'progress must not be blank' }) progress: string;
  @ApiProperty({ description: 'Next steps; no CPR number' }) @IsString() @MinLength(1) @MaxLength(4000) @Matches(/\S/, { message: 'nextSteps must not be blank' }) nextSteps: string;
}

export class FollowUpDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) grantId: string;
  @ApiProperty({ enum: FOLLOW_UP_KINDS }) kind: FollowUpKind;
  @ApiProperty({ format: 'date' }) heldOn: string;
  @ApiProperty({ enum: FOLLOW_UP_FORMS }) form: FollowUpForm;
  @ApiProperty() withWhom: string;
  @ApiProperty() progress: string;
  @ApiProperty() nextSteps: string;
  @ApiProperty({ nullable: true, type: String, format: 'date', description: 'The due date of the task it closed' }) taskDue: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date', description: 'When the next follow-up falls due after it' }) nextDue?: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) recordedBy: string | null;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}
