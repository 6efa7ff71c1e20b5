import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsCalendarDateField } from '../common/time/calendar-date.validator';
import { MENTOR_TYPES, type MentorType } from '../rules/rule-set';
import { ceilingUsePercent } from './ceiling.rules';
import { AGREEMENT_KINDS, COMMITMENT_PERIODS, type Agreement, type AgreementKind, type AgreementRate, type AgreementStatus, type CommitmentPeriod, type PriceCap } from './agreement.entity';
import { DOCUMENT_KINDS, type DocumentKind } from './agreement-records.store';

const AGREEMENT_STATUSES: readonly AgreementStatus[] = ['in_force', 'terminated'];
import type { AgreementWithUse } from './agreements.service';

const MAX_ORE = Number.MAX_SAFE_INTEGER;
// A price per hour of at most 1 billion kr.: a day of 1440 minutes of it is still a safe integer of øre.
const MAX_RATE_ORE = 1_000_000_000_00;
// Reference and title are stored trimmed (String.prototype.trim, which also takes U+FEFF): they need a character besides.
const NOT_BLANK = /\S/;

export class RateDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agreementId: string;
  @ApiProperty({ enum: MENTOR_TYPES }) mentorType: MentorType;
  @ApiProperty({ example: 1 }) serviceLevel: number;
  @ApiProperty({ format: 'date', example: '2026-01-01' }) validFrom: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) validTo: string | null;
  @ApiProperty({ description: 'Price per hour excl. VAT in øre', example: 25000 }) rateOre: number;

  static from(r: AgreementRate): RateDto {
    return { id: r.id, agreementId: r.agreementId, mentorType: r.mentorType, serviceLevel: r.serviceLevel, validFrom: r.validFrom, validTo: r.validTo, rateOre: r.rateOre };
  }
}

export class AgreementDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ enum: AGREEMENT_KINDS }) kind: AgreementKind;
  @ApiProperty({ example: 'RA-2026-01' }) reference: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ format: 'date' }) validTo: string;
  @ApiProperty() extensionOptions: number;
  @ApiProperty() extensionMonths: number;
  @ApiProperty() extensionsUsed: number;
  @ApiProperty({ enum: MENTOR_TYPES, isArray: true }) mentorTypes: MentorType[];
  @ApiProperty({ example: 2500, description: 'VAT rate in basis points (2500 = 25 %)' }) vatRateBasisPoints: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Framework only: the ceiling in øre' }) ceilingOre: number | null;
  @ApiProperty({ nullable: true, type: Number }) defaultMinutesPerWeek: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Partnership: the agreed price per hour in øre' }) defaultRateOre: number | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ enum: AGREEMENT_STATUSES, description: 'terminated: ended before its term on terminatedOn' }) status: AgreementStatus;
  @ApiProperty({ format: 'date', nullable: true, type: String }) terminatedOn: string | null;
  @ApiProperty({ nullable: true, type: String }) terminationReason: string | null;
  @ApiProperty({ nullable: true, type: String }) contactName: string | null;
  @ApiProperty({ nullable: true, type: String }) contactEmail: string | null;
  @ApiProperty({ nullable: true, type: String }) contactPhone: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'A committed volume: minutes per commitment period' }) committedMinutes: number | null;
  @ApiProperty({ enum: COMMITMENT_PERIODS, nullable: true }) commitmentPeriod: CommitmentPeriod | null;

  static from(a: Agreement): AgreementDto {
    return {
      id: a.id,
      supplierId: a.supplierId,
      kind: a.kind,
      reference: a.reference,
      title: a.title,
      validFrom: a.validFrom,
      validTo: a.validTo,
      extensionOptions: a.extensionOptions,
      extensionMonths: a.extensionMonths,
      extensionsUsed: a.extensionsUsed,
      mentorTypes: a.mentorTypes,
      vatRateBasisPoints: a.vatRateBasisPoints,
      ceilingOre: a.ceilingOre,
      defaultMinutesPerWeek: a.defaultMinutesPerWeek,
      defaultRateOre: a.defaultRateOre,
      active: a.active,
      status: a.status,
      terminatedOn: a.terminatedOn,
      terminationReason: a.terminationReason,
      contactName: a.contactName,
      contactEmail: a.contactEmail,
      contactPhone: a.contactPhone,
      committedMinutes: a.committedMinutes,
      commitmentPeriod: a.commitmentPeriod,
    };
  }
}

export class AgreementDetailDto extends AgreementDto {
  @ApiProperty({ type: [RateDto] }) rates: RateDto[];
  @ApiProperty() consumedApprovedOre: number;
  @ApiProperty() consumedPendingOre: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Whole percent of the ceiling used by approved and pending amounts, rounded down' }) ceilingUsePercent: number | null;

  static detail(a: AgreementWithUse, rates: AgreementRate[]): AgreementDetailDto {
    return {
      ...AgreementDto.from(a),
      rates: rates.map((r) => RateDto.from(r)),
      consumedApprovedOre: a.consumedApprovedOre,
      consumedPendingOre: a.consumedPendingOre,
      ceilingUsePercent: ceilingUsePercent(a.ceilingOre, a.consumedApprovedOre + a.consumedPendingOre),
    };
  }
}

export class CreateAgreementDto {
  @ApiProperty({ enum: AGREEMENT_KINDS }) @IsIn(AGREEMENT_KINDS) kind: AgreementKind;
  @ApiProperty({ format: 'uuid' }) @IsUUID() supplierId: string;
  @ApiProperty({ example: 'RA-2026-01' }) @IsString() @MinLength(1) @MaxLength(60) @Matches(NOT_BLANK, { message: 'reference must not be blank' }) reference: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) @Matches(NOT_BLANK, { message: 'title must not be blank' }) title: string;
  @ApiProperty({ format: 'date', example: '2026-01-01' }) @IsCalendarDateField() validFrom: string;
  @ApiProperty({ format: 'date', example: '2027-12-31' }) @IsCalendarDateField() validTo: string;
  @ApiPropertyOptional({ default: 0, maximum: 10 }) @IsOptional() @IsInt() @Min(0) @Max(10) extensionOptions?: number;
  @ApiPropertyOptional({ default: 0, maximum: 60 }) @IsOptional() @IsInt() @Min(0) @Max(60) extensionMonths?: number;
  @ApiProperty({ enum: MENTOR_TYPES, isArray: true }) @IsArray() @ArrayMinSize(1) @IsIn(MENTOR_TYPES, { each: true }) mentorTypes: MentorType[];
  @ApiPropertyOptional({ default: 2500 }) @IsOptional() @IsInt() @Min(0) @Max(10000) vatRateBasisPoints?: number;
  @ApiPropertyOptional({ description: 'Framework only' }) @IsOptional() @IsInt() @Min(1) @Max(MAX_ORE) ceilingOre?: number;
  @ApiPropertyOptional({ example: 60 }) @IsOptional() @IsInt() @Min(1) @Max(10080) defaultMinutesPerWeek?: number;
  @ApiPropertyOptional({ example: 25000 }) @IsOptional() @IsInt() @Min(1) @Max(MAX_RATE_ORE) defaultRateOre?: number;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(200) contactName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsEmail({}, { message: 'contactEmail must be an e-mail address' }) @MaxLength(200) contactEmail?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(50) contactPhone?: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Committed minutes per commitment period' }) @IsOptional() @IsInt() @Min(1) @Max(1_000_000) committedMinutes?: number | null;
  @ApiPropertyOptional({ enum: COMMITMENT_PERIODS, nullable: true }) @IsOptional() @IsIn(COMMITMENT_PERIODS) commitmentPeriod?: CommitmentPeriod | null;
}

export class UpdateAgreementDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) @Matches(NOT_BLANK, { message: 'title must not be blank' }) title?: string;
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsCalendarDateField() validTo?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10) extensionOptions?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(60) extensionMonths?: number;
  @ApiPropertyOptional({ enum: MENTOR_TYPES, isArray: true }) @IsOptional() @IsArray() @ArrayMinSize(1) @IsIn(MENTOR_TYPES, { each: true }) mentorTypes?: MentorType[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10000) vatRateBasisPoints?: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) @IsOptional() @IsInt() @Min(1) @Max(MAX_ORE) ceilingOre?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) @IsOptional() @IsInt() @Min(1) @Max(10080) defaultMinutesPerWeek?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) @IsOptional() @IsInt() @Min(1) @Max(MAX_RATE_ORE) defaultRateOre?: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(200) contactName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsEmail({}, { message: 'contactEmail must be an e-mail address' }) @MaxLength(200) contactEmail?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(50) contactPhone?: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Committed minutes per commitment period' }) @IsOptional() @IsInt() @Min(1) @Max(1_000_000) committedMinutes?: number | null;
  @ApiPropertyOptional({ enum: COMMITMENT_PERIODS, nullable: true }) @IsOptional() @IsIn(COMMITMENT_PERIODS) commitmentPeriod?: CommitmentPeriod | null;
}

export class AgreementQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() supplierId?: string;
  @ApiPropertyOptional({ enum: AGREEMENT_KINDS }) @IsOptional() @IsIn(AGREEMENT_KINDS) kind?: AgreementKind;
  @ApiPropertyOptional({ format: 'date', description: 'Only agreements valid on this date' }) @IsOptional() @IsCalendarDateField() activeOn?: string;
}

export class CreateRateDto {
  @ApiProperty({ enum: MENTOR_TYPES }) @IsIn(MENTOR_TYPES) mentorType: MentorType;
  @ApiProperty({ minimum: 1, maximum: 9 }) @IsInt() @Min(1) @Max(9) serviceLevel: number;
  @ApiProperty({ format: 'date' }) @IsCalendarDateField() validFrom: string;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String }) @IsOptional() @IsCalendarDateField() validTo?: string | null;
  @ApiProperty({ example: 25000 }) @IsInt() @Min(1) @Max(MAX_RATE_ORE) rateOre: number;
}

export class PriceCapDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: MENTOR_TYPES }) mentorType: MentorType;
  @ApiProperty() serviceLevel: number;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ example: 27500 }) rateOre: number;

  static from(c: PriceCap): PriceCapDto {
    return { id: c.id, mentorType: c.mentorType, serviceLevel: c.serviceLevel, validFrom: c.validFrom, rateOre: c.rateOre };
  }
}

export class CreatePriceCapDto {
  @ApiProperty({ enum: MENTOR_TYPES }) @IsIn(MENTOR_TYPES) mentorType: MentorType;
  @ApiProperty({ minimum: 1, maximum: 9 }) @IsInt() @Min(1) @Max(9) serviceLevel: number;
  @ApiProperty({ format: 'date' }) @IsCalendarDateField() validFrom: string;
  @ApiProperty({ example: 27500 }) @IsInt() @Min(1) @Max(MAX_RATE_ORE) rateOre: number;
}

export class EndRateDto {
  @ApiProperty({ format: 'date', description: 'The last day the rate applies' }) @IsCalendarDateField() validTo: string;
}

export class CorrectRateDto {
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsCalendarDateField() validFrom?: string;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String }) @IsOptional() @IsCalendarDateField() validTo?: string | null;
  @ApiPropertyOptional({ example: 25000 }) @IsOptional() @IsInt() @Min(1) @Max(MAX_RATE_ORE) rateOre?: number;
}

export class RegulationIndexDto {
  @ApiProperty({ example: '112.4', description: 'The index the rates were set at, a decimal string' }) @IsString() @MaxLength(12) base: string;
  @ApiProperty({ example: '115.9', description: 'The index at the effective date, a decimal string' }) @IsString() @MaxLength(12) current: string;
}

export class PriceRegulationDto {
  @ApiProperty({ format: 'date', example: '2027-01-01' }) @IsCalendarDateField() effectiveFrom: string;
  @ApiPropertyOptional({ example: '3.1', description: 'Percent as a decimal string with a point (never a number); give this or index' }) @IsOptional() @IsString() @MaxLength(12) percent?: string;
  @ApiPropertyOptional({ type: RegulationIndexDto, description: 'Give this or percent' }) @IsOptional() @ValidateNested() @Type(() => RegulationIndexDto) index?: RegulationIndexDto;
}

export class PriceRegulationQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: answer what the regulation would do and store nothing' }) @IsOptional() @IsIn(['true', 'false']) preview?: 'true' | 'false';
}

export class RegulationLineDto {
  @ApiProperty({ format: 'uuid' }) endingRateId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null in a preview' }) newRateId: string | null;
  @ApiProperty({ enum: MENTOR_TYPES }) mentorType: MentorType;
  @ApiProperty() serviceLevel: number;
  @ApiProperty({ example: 45000 }) oldRateOre: number;
  @ApiProperty({ format: 'date', example: '2026-12-31' }) endsOn: string;
  @ApiProperty({ example: 46395 }) newRateOre: number;
  @ApiProperty({ format: 'date', example: '2027-01-01' }) validFrom: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) validTo: string | null;
}

export class PriceRegulationResultDto {
  @ApiProperty() applied: boolean;
  @ApiProperty({ format: 'date' }) effectiveFrom: string;
  @ApiProperty({ nullable: true, type: String }) percent: string | null;
  @ApiProperty({ nullable: true, type: RegulationIndexDto }) index: RegulationIndexDto | null;
  @ApiProperty({ type: [RegulationLineDto] }) lines: RegulationLineDto[];
}

export class TerminateAgreementDto {
  @ApiProperty({ format: 'date', description: 'The last day the agreement applies; no grant may start after it' }) @IsCalendarDateField() terminatedOn: string;
  @ApiProperty({ example: 'Væsentlig misligholdelse af kontaktkravet' }) @IsString() @MinLength(1) @MaxLength(2000) @Matches(NOT_BLANK, { message: 'reason must not be blank' }) reason: string;
}

export class TerminateQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: check the termination and list the running grants; nothing is stored' }) @IsOptional() @IsIn(['true', 'false']) preview?: 'true' | 'false';
}

export class RunningGrantDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'MS-2026-000123' }) reference: string;
  @ApiProperty() status: string;
  @ApiProperty({ format: 'date' }) start: string;
  @ApiProperty({ format: 'date' }) end: string;
  @ApiProperty({ description: 'The grant runs past the termination date' }) endsAfterTermination: boolean;
}

export class TerminationResultDto {
  @ApiProperty() applied: boolean;
  @ApiProperty({ format: 'date' }) terminatedOn: string;
  @ApiProperty({ type: [RunningGrantDto] }) runningGrants: RunningGrantDto[];
}

export class AgreementHistoryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['edited', 'extended', 'terminated'] }) action: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What changed: each field from and to' }) change: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) actorLabel: string | null;
  @ApiProperty({ example: '2026-12-07 14:03:12', description: 'Europe/Copenhagen' }) recordedAt: string;
}

export class AgreementDocumentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agreementId: string;
  @ApiProperty({ enum: DOCUMENT_KINDS }) kind: DocumentKind;
  @ApiProperty() fileName: string;
  @ApiProperty({ example: 'application/pdf' }) contentType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty({ description: 'SHA-256 of the bytes, hex' }) sha256: string;
  @ApiProperty() uploadedAt: string;
}

export class UploadDocumentDto {
  @ApiProperty({ enum: DOCUMENT_KINDS }) @IsIn(DOCUMENT_KINDS) kind: DocumentKind;
}

export class SupervisionVisitDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agreementId: string;
  @ApiProperty({ format: 'date' }) visitedOn: string;
  @ApiProperty() findings: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) followUpOn: string | null;
  @ApiProperty() recordedAt: string;
}

export class CreateSupervisionVisitDto {
  @ApiProperty({ format: 'date' }) @IsCalendarDateField() visitedOn: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(4000) @Matches(NOT_BLANK, { message: 'findings must not be blank' }) findings: string;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String }) @IsOptional() @IsCalendarDateField() followUpOn?: string | null;
}

export class PenaltyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agreementId: string;
  @ApiProperty({ format: 'date' }) imposedOn: string;
  @ApiProperty({ example: 500000 }) amountOre: number;
  @ApiProperty() reason: string;
  @ApiProperty() recordedAt: string;
}

export class CreatePenaltyDto {
  @ApiProperty({ format: 'date' }) @IsCalendarDateField() imposedOn: string;
  @ApiProperty({ example: 500000, description: 'øre' }) @IsInt() @Min(1) @Max(MAX_ORE) amountOre: number;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) @Matches(NOT_BLANK, { message: 'reason must not be blank' }) reason: string;
}

export class CommitmentUseQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'A day of the commitment period; today when left out' }) @IsOptional() @IsCalendarDateField() on?: string;
}

export class CommitmentUseDto {
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiProperty() committedMinutes: number;
  @ApiProperty({ description: 'Minutes delivered in the period under every grant of the agreement (not rejected or credited)' }) usedMinutes: number;
  @ApiProperty() leftMinutes: number;
  @ApiProperty({ description: 'Whole percent of the commitment used, rounded down' }) percent: number;
}

export class CommitmentUseAnswerDto {
  @ApiProperty({ type: CommitmentUseDto, nullable: true, description: 'null when the agreement commits no volume' }) commitment: CommitmentUseDto | null;
}

export class AgreementKpisDto {
  @ApiProperty({ description: 'Grant-weeks counted: each ISO week of an approved grant from its first day to the last whole week before today' }) contactWeeks: number;
  @ApiProperty({ description: 'Of those, weeks with a session delivered (not rejected or credited)' }) weeksWithContact: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Whole percent, rounded down; null when no week counts' }) contactPercent: number | null;
  @ApiProperty({ description: 'Progress reports submitted plus follow-ups overdue without one' }) reportsDue: number;
  @ApiProperty({ description: 'Progress reports submitted by their due date' }) reportsOnTime: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Whole percent, rounded down; null when none was due' }) reportsOnTimePercent: number | null;
}
