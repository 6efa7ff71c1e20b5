import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { ApiScopes, CurrentActor, Roles } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { CaseSystemCitizenDto, CaseSystemCitizenPushDto } from './case-system.dto';
import { CaseSystemService } from './case-system.service';

/** The job centre's case system pushes its citizens here with an API token of a service account with case-system:write. */
@ApiTags('citizens')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors(401, 403)
@Controller('api/v1/integrations/case-system')
export class CaseSystemController {
  constructor(private readonly caseSystem: CaseSystemService) {}

  @Put('citizens/:caseNumber')
  @HttpCode(200)
  @ApiScopes('case-system:write')
  @ApiOperation({
    summary:
      'Upsert a citizen by case number and record a change of target group from its day (the case system with case-system:write; admin). Idempotent: the same push again stores nothing (`changed: false`). 422 target_group_known for an unknown target group, case_system_cpr_required for a first push without CPR number; 409 case_system_cpr_mismatch when the case number is another person’s, target_group_alters_grant when the change would alter an approved grant',
  })
  @ApiParam({ name: 'caseNumber', example: '2026-04711', description: 'The case number in the case system' })
  @ApiBody({
    type: CaseSystemCitizenPushDto,
    examples: {
      register: { summary: 'First push: registers the citizen', value: { cpr: '010203-1234', name: 'Mette Hansen', targetGroup: 'activity_ready_cash_benefit' } },
      change: { summary: 'A change of target group from 1 December', value: { name: 'Mette Hansen', targetGroup: 'integration_benefit_activity_ready', effectiveFrom: '2026-12-01' } },
    },
  })
  @ApiOkResponse({ type: CaseSystemCitizenDto })
  @ApiErrors(409, 422)
  upsert(@Param('caseNumber') caseNumber: string, @Body() body: CaseSystemCitizenPushDto, @CurrentActor() actor: Actor): Promise<CaseSystemCitizenDto> {
    return this.caseSystem.upsert(caseNumber, body, actor);
  }
}
