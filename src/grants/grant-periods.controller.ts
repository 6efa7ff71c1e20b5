import { Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { GRANT_STATUSES, GrantDto, OUTCOMES, type GrantStatus } from './grants.dto';
import { GrantCourseService } from './grant-course.service';
import { SilentGrantsService } from './silent-grants.service';

export class GrantPeriodDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'MS-2026-000123' }) reference: string;
  @ApiProperty({ format: 'date' }) start: string;
  @ApiProperty({ format: 'date' }) end: string;
  @ApiProperty({ enum: GRANT_STATUSES }) status: GrantStatus;
  @ApiProperty({ enum: OUTCOMES, nullable: true }) outcome: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) endedOn: string | null;
}

export class SilentGrantDto {
  @ApiProperty({ format: 'uuid' }) grantId: string;
  @ApiProperty() reference: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ format: 'date', description: 'The last session, or the day the grant became active when it has had none' }) silentSince: string;
  @ApiProperty({ format: 'date' }) flaggedOn: string;
  @ApiProperty({ description: 'The weeks without a session after which the grant counts as silent (rule set)' }) weeks: number;
  @ApiProperty() citizenName: string;
  @ApiProperty() caseNumber: string;
}

export class SilentGrantQueryDto {
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

@ApiTags('grants')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('api/v1')
export class GrantPeriodsController {
  constructor(
    private readonly course: GrantCourseService,
    private readonly silent: SilentGrantsService,
  ) {}

  @Post('grants/:id/successor-period')
  @Roles('caseworker', 'admin')
  @ApiOperation({
    summary:
      'Propose the next holistic period after this one (caseworker, admin): the same terms from the day after its end for the rule set’s period length (6 months), linked to it and proposed to a team leader. 409 successor_exists / successor_not_after_early_end, 422 successor_holistic_only',
  })
  @ApiCreatedResponse({ type: GrantDto })
  @ApiErrors(404, 409, 422)
  proposeSuccessor(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<GrantDto> {
    return this.course.proposeSuccessor(id, actor);
  }

  @Get('grants/:id/periods')
  @Roles('admin', 'procurement', 'caseworker', 'team_leader', 'finance')
  @ApiOperation({ summary: 'The chain of holistic periods through the grant, oldest first (staff)' })
  @ApiOkResponse({ type: [GrantPeriodDto] })
  @ApiErrors(404)
  periods(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<GrantPeriodDto[]> {
    return this.course.chain(id, scope);
  }

  @Get('silent-grants')
  @Roles('caseworker', 'team_leader', 'admin')
  @ApiOperation({ summary: 'Active grants with no delivered session for the rule set’s weeks, flagged by the daily job, oldest first (caseworker, team leader, admin)' })
  @ApiOkResponse({ type: [SilentGrantDto] })
  @ApiErrors(422)
  silentGrants(@Query() query: SilentGrantQueryDto): Promise<SilentGrantDto[]> {
    return this.silent.open(query.limit ?? 50);
  }
}
