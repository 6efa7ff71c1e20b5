import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { GRANT_MESSAGE_KINDS, type GrantMessageKind } from '../common/notifications/notification-events';
import { IsCalendarDateField as IsCalendarDate } from '../common/time/calendar-date.validator';
import { DELIVERIES, NOTIFICATION_TYPES, type Delivery } from './notification-catalogue';

export class NotificationQueryDto {
  @ApiPropertyOptional({ description: 'Only the unread ones' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
  @ApiPropertyOptional({ format: 'uuid', description: 'Keyset cursor: notifications older than this one' }) @IsOptional() @IsUUID() before?: string;
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: NOTIFICATION_TYPES }) type: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: [String] }) lines: string[];
  @ApiProperty({ example: '/supplier/invoices/5a1e2d3c-4b5a-4c6d-8e7f-901a2b3c4d5e', description: 'The page in the portal' }) link: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty() read: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Whom the reader was told for, as deputy' }) onBehalfOf: string | null;
}

export class NotificationListDto {
  @ApiProperty({ description: 'Unread notifications in all' }) unread: number;
  @ApiProperty({ type: [NotificationDto] }) items: NotificationDto[];
  @ApiProperty({ nullable: true, type: String }) nextBefore: string | null;
}

export class MarkedReadDto {
  @ApiProperty() marked: number;
}

export class PreferenceDto {
  @ApiProperty({ enum: NOTIFICATION_TYPES }) @IsIn(NOTIFICATION_TYPES) type: string;
  @ApiProperty({ enum: DELIVERIES }) @IsIn(DELIVERIES) delivery: Delivery;
}

export class PreferenceViewDto extends PreferenceDto {
  @ApiProperty({ enum: ['law', 'payment_term'], nullable: true, type: String, description: 'Why it cannot be turned off' }) required: string | null;
}

export class SetPreferencesDto {
  @ApiProperty({ type: [PreferenceDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PreferenceDto)
  preferences: PreferenceDto[];
}

export class CreateGrantMessageDto {
  @ApiProperty({ enum: GRANT_MESSAGE_KINDS, description: 'A no-show or an absence names the date of the session' }) @IsIn(GRANT_MESSAGE_KINDS) kind: GrantMessageKind;
  @ApiPropertyOptional({ format: 'date', description: 'The session missed (no_show, absence)' }) @IsOptional() @IsCalendarDate() sessionDate?: string;
  @ApiProperty({ maxLength: 4000 }) @IsString() @MinLength(1) @MaxLength(4000) @Matches(/\S/, { message: 'body must not be blank' }) body: string;
}

export class GrantMessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: GRANT_MESSAGE_KINDS }) kind: string;
  @ApiProperty({ enum: ['caseworker', 'supplier'] }) from: string;
  @ApiProperty({ description: 'The writer: a staff member by name, the supplier by its name' }) author: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) sessionDate: string | null;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CreateDelegationDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Whose work the deputy takes; the caller when left out (admin names anyone)' }) @IsOptional() @IsUUID() principalUserId?: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() deputyUserId: string;
  @ApiProperty({ format: 'date' }) @IsCalendarDate() validFrom: string;
  @ApiProperty({ format: 'date' }) @IsCalendarDate() validTo: string;
}

export class DelegationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) principalUserId: string;
  @ApiProperty() principal: string;
  @ApiProperty({ format: 'uuid' }) deputyUserId: string;
  @ApiProperty() deputy: string;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ format: 'date' }) validTo: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) endedAt: string | null;
}
