import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { CurrentActor, CurrentUser } from '../common/auth/auth.decorators';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { MarkedReadDto, NotificationListDto, NotificationQueryDto, PreferenceViewDto, SetPreferencesDto } from './notifications.dto';
import { NotificationsService } from './notifications.service';

/** Every signed-in user's own notifications and how they want them. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s notifications, newest first, with the unread count' })
  @ApiOkResponse({ type: NotificationListDto })
  @ApiErrors(422)
  async list(@Query() query: NotificationQueryDto, @CurrentUser() user: AuthenticatedUser, @Req() request: Request): Promise<NotificationListDto> {
    // In the language asked for (?lang=, the language cookie), else the user's own.
    const page = await this.notifications.list(user, { unreadOnly: query.unread ?? false, before: query.before ?? null, limit: query.limit ?? 50 }, request.locale ?? user.language);
    return { ...page, items: page.items.map((item) => ({ ...item, createdAt: item.createdAt.toISOString() })) };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Marks all the caller’s notifications read' })
  @ApiOkResponse({ type: MarkedReadDto })
  async readAll(@CurrentUser() user: AuthenticatedUser): Promise<MarkedReadDto> {
    return { marked: await this.notifications.markAllRead(user) };
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Marks one of the caller’s notifications read (another user’s is not found)' })
  @ApiNoContentResponse()
  @ApiErrors(404)
  async read(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.notifications.markRead(user, id);
  }

  @Get('preferences')
  @ApiOperation({ summary: 'For each event the caller’s role is told of: at once, a daily digest, or off (not for what law or the payment term requires)' })
  @ApiOkResponse({ type: [PreferenceViewDto] })
  preferences(@CurrentUser() user: AuthenticatedUser): Promise<PreferenceViewDto[]> {
    return this.notifications.preferences(user);
  }

  @Put('preferences')
  @ApiOperation({ summary: 'Sets how the caller is told of the events named' })
  @ApiOkResponse({ type: [PreferenceViewDto] })
  @ApiErrors(422)
  setPreferences(@Body() body: SetPreferencesDto, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor): Promise<PreferenceViewDto[]> {
    return this.notifications.setPreferences(user, body.preferences, actor);
  }
}
