import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { BusinessResponsesService, type BusinessResponseDto } from './business-responses.service';
import { OutboxPageDto, OutboxQueryDto } from './invoice-thread.dto';

@ApiTags('invoices')
@ApiBearerAuth()
@Roles('finance', 'admin')
@ApiErrors(401, 403)
@Controller('api/v1/business-responses')
export class BusinessResponsesController {
  constructor(private readonly responses: BusinessResponsesService) {}

  @Get()
  @ApiOperation({ summary: 'The outbox of business responses to received e-invoices: what would be sent through an access point, newest first (finance, admin)' })
  @ApiOkResponse({ type: OutboxPageDto })
  @ApiErrors(422)
  list(@Query() query: OutboxQueryDto): Promise<{ items: BusinessResponseDto[]; nextCursor: string | null }> {
    return this.responses.outbox(query.after ?? null, query.limit ?? 50);
  }
}
