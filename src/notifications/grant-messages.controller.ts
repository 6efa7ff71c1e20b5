import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, CurrentUser, Roles, Scope } from '../common/auth/auth.decorators';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import type { GrantThreadMessage } from '../common/notifications/grant-threads';
import { GrantMessagesService } from './grant-messages.service';
import { CreateGrantMessageDto, GrantMessageDto } from './notifications.dto';

/** The thread of a grant between its caseworker and its supplier (another supplier's grant is not found). */
@ApiTags('grants')
@ApiBearerAuth()
@ApiErrors(401, 403, 404)
@Controller('api/v1/grants/:id/messages')
export class GrantMessagesController {
  constructor(private readonly messages: GrantMessagesService) {}

  @Get()
  @Roles('admin', 'caseworker', 'supplier')
  @ApiOperation({ summary: 'The grant’s messages, oldest first (caseworkers, admin and the grant’s supplier)' })
  @ApiOkResponse({ type: [GrantMessageDto] })
  list(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<GrantThreadMessage[]> {
    return this.messages.thread(id, scope);
  }

  @Post()
  @Roles('caseworker', 'supplier')
  @ApiOperation({ summary: 'Writes to the other side: a question, an answer, or a no-show or absence (by the next business day); no CPR number or citizen name' })
  @ApiCreatedResponse({ type: GrantMessageDto })
  @ApiErrors(422)
  post(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateGrantMessageDto, @CurrentUser() user: AuthenticatedUser, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<GrantThreadMessage> {
    return this.messages.post(id, body, user, scope, actor);
  }
}
