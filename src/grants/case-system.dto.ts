import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCalendarDateField as IsCalendarDate } from '../common/time/calendar-date.validator';
import { TARGET_GROUPS, type TargetGroup } from '../rules/rule-set';
import { CitizenDto, CitizenTargetGroupsDto } from './grants.dto';

/** What the job centre's case system (Momentum, Fasit) pushes about a citizen, keyed by the case number in the path. */
export class CaseSystemCitizenPushDto {
  @ApiPropertyOptional({ example: '010203-1234', description: 'Required the first time (the citizen is registered); later it must be the same person’s. Stored encrypted, never shown again in full' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  cpr?: string;

  @ApiProperty({ example: 'Mette Hansen' }) @IsString() @MinLength(1) @MaxLength(200) @Matches(/\S/, { message: 'name must not be blank' }) name: string;

  // Checked by the service, so that an unknown group answers 422 target_group_known naming it.
  @ApiProperty({ enum: TARGET_GROUPS, example: 'activity_ready_cash_benefit' }) @IsString() @MaxLength(60) targetGroup: TargetGroup;

  @ApiPropertyOptional({ format: 'date', example: '2026-12-01', description: 'The day the target group takes effect; today when left out. A registration takes it as the first' })
  @IsOptional()
  @IsCalendarDate()
  effectiveFrom?: string;
}

export class CaseSystemCitizenDto {
  @ApiProperty({ type: CitizenDto }) citizen: CitizenDto;
  @ApiProperty({ description: 'The citizen was registered by this push' }) created: boolean;
  @ApiProperty({ description: 'Anything was stored; false when the push repeats what is known (the same push twice changes nothing the second time)' }) changed: boolean;
  @ApiProperty({ type: CitizenTargetGroupsDto }) targetGroups: CitizenTargetGroupsDto;
}
