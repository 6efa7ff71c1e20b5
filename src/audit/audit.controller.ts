import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { Roles } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { AuditEntry } from './audit-entry.entity';
import { AuditService } from './audit.service';

export class AuditQueryDto {
  @ApiPropertyOptional({ example: 'user' }) @IsOptional() @IsString() @MaxLength(50) entityType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) entityId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() actorUserId?: string;
  @ApiPropertyOptional({ example: 'auth.login_failed' }) @IsOptional() @IsString() @MaxLength(100) action?: string;
  @ApiPropertyOptional({ description: 'Keyset cursor: entries older than this id' }) @IsOptional() @Matches(/^\d{1,18}$/) before?: string;
  @ApiPropertyOptional({ default: 100, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class AuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ nullable: true, type: String }) actorUserId: string | null;
  @ApiProperty({ nullable: true, type: String }) actorRole: string | null;
  @ApiProperty({ nullable: true, type: String }) actorLabel: string | null;
  @ApiProperty({ example: 'user.created' }) action: string;
  @ApiProperty() entityType: string;
  @ApiProperty({ nullable: true, type: String }) entityId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) change: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The user a deputy acted for' }) onBehalfOfLabel: string | null;

  static from(entry: AuditEntry): AuditEntryDto {
    return {
      id: entry.id,
      occurredAt: entry.occurredAt.toISOString(),
      actorUserId: entry.actorUserId,
      actorRole: entry.actorRole,
      actorLabel: entry.actorLabel,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      change: entry.change,
      ip: entry.ip,
      onBehalfOfLabel: entry.onBehalfOfLabel,
    };
  }
}

@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Who did what to which record, newest first (admin)' })
  @ApiOkResponse({ type: [AuditEntryDto] })
  @ApiErrors(401, 403, 422)
  async list(@Query() query: AuditQueryDto): Promise<AuditEntryDto[]> {
    const entries = await this.audit.list({ ...query, limit: query.limit ?? 100 });
    return entries.map((entry) => AuditEntryDto.from(entry));
  }
}
