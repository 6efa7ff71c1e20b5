import { Body, Controller, Get, Next, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import type { Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, CurrentUser, Roles, Scope } from '../common/auth/auth.decorators';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import { CommonErrorCode } from '../common/errors/common.errors';
import { DomainException } from '../common/errors/domain.exception';
import { isRefusal, localizedErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues } from '../common/i18n/messages';
import { templatesDir } from '../common/web/view-engine';
import { GRANT_MESSAGE_KINDS, type GrantMessageKind } from '../common/notifications/notification-events';
import { isCalendarDate } from '../common/time/calendar-date';
import { formatTimestamp } from '../common/web/finance-view';
import { pageContext } from '../common/web/page-context';
import { Page } from '../common/web/page.decorator';
import { DelegationsService } from './delegations.service';
import { GrantMessagesService } from './grant-messages.service';
import { MAIL_STATUSES, type MailStatus } from './mail-outbox.store';
import { MailOutboxService } from './mail-outbox.service';
import { DELIVERIES, type Delivery } from './notification-catalogue';
import { NotificationsService } from './notifications.service';
import { QueueDashboard } from './queue-dashboard';

type Form = Record<string, unknown>;
const PAGE = 50;

/** The notification page of every user (list, preferences, deputies), grant messages from the grant pages, and admin's outbox and queues. */
@ApiExcludeController()
@Controller()
export class NotificationsPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly notifications: NotificationsService,
    private readonly delegations: DelegationsService,
    private readonly messages: GrantMessagesService,
    private readonly outbox: MailOutboxService,
    private readonly queues: QueueDashboard,
  ) {}

  @Get('notifications')
  async page(@Req() request: Request, @Res() response: Response, @CurrentUser() user: AuthenticatedUser, @Query('notice') notice?: string, @Query('before') before?: string): Promise<void> {
    await this.render(request, response, user, { notice: NOTICES[notice ?? ''], before: typeof before === 'string' && /^[0-9a-f-]{36}$/.test(before) ? before : null });
  }

  @Post('notifications/read-all')
  async readAll(@Res() response: Response, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.notifications.markAllRead(user);
    response.redirect(303, '/notifications');
  }

  @Post('notifications/:id/read')
  async read(@Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.notifications.markRead(user, id);
    response.redirect(303, '/notifications');
  }

  @Post('notifications/preferences')
  async savePreferences(@Req() request: Request, @Res() response: Response, @Body() body: Form, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor): Promise<void> {
    const choices = Object.entries(body ?? {})
      .filter(([key]) => key.startsWith('pref:'))
      .map(([key, value]) => ({ type: key.slice('pref:'.length), delivery: (DELIVERIES as readonly unknown[]).includes(value) ? (value as Delivery) : ('immediately' as Delivery) }));
    await this.orError(request, response, user, () => this.notifications.setPreferences(user, choices, actor), '/notifications?notice=saved');
  }

  @Post('notifications/delegations')
  @Roles('finance', 'team_leader', 'admin')
  async delegate(@Req() request: Request, @Res() response: Response, @Body() body: Form, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor): Promise<void> {
    await this.orError(
      request,
      response,
      user,
      () => {
        const [deputyUserId, validFrom, validTo] = [body.deputyUserId, body.validFrom, body.validTo].map((v) => (typeof v === 'string' ? v : ''));
        if (!/^[0-9a-f-]{36}$/.test(deputyUserId) || !isCalendarDate(validFrom) || !isCalendarDate(validTo)) {
          throw DomainException.rule('The form has invalid fields', [{ field: 'deputyUserId', rule: CommonErrorCode.Required, message: 'choose a deputy and a period' }]);
        }
        return this.delegations.create(user, { deputyUserId, validFrom, validTo }, actor);
      },
      '/notifications?notice=delegated',
    );
  }

  @Post('notifications/delegations/:id/end')
  @Roles('finance', 'team_leader', 'admin')
  async endDelegation(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor): Promise<void> {
    await this.orError(request, response, user, () => this.delegations.end(user, id, actor), '/notifications?notice=delegation_ended');
  }

  // ---- a grant's messages, written from the grant pages ----

  @Post('grants/:id/messages')
  @Roles('caseworker')
  async staffMessage(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @CurrentUser() user: AuthenticatedUser, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    await this.postMessage(request, response, `/grants/${id}`, id, body, user, scope, actor);
  }

  @Post('supplier/grants/:id/messages')
  @Roles('supplier')
  async supplierMessage(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @CurrentUser() user: AuthenticatedUser, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    await this.postMessage(request, response, `/supplier/grants/${id}`, id, body, user, scope, actor);
  }

  // ---- admin ----

  @Get('admin/outbox')
  @Roles('admin')
  @Page('pages/admin/outbox')
  async outboxPage(@Query('status') status?: string, @Query('before') before?: string, @Query('notice') notice?: string) {
    const filter = (MAIL_STATUSES as readonly string[]).includes(status ?? '') ? (status as MailStatus) : null;
    const mails = await this.outbox.list({ status: filter, before: typeof before === 'string' && /^[0-9a-f-]{36}$/.test(before) ? before : null, limit: PAGE });
    return {
      title: 'outbox.heading',
      sending: this.outbox.sending,
      notice: notice === 'retried' ? 'outbox.retried' : undefined,
      statuses: MAIL_STATUSES.map((value) => ({ value, selected: value === filter })),
      mails: mails.map((mail) => ({ ...mail, createdAt: formatTimestamp(mail.createdAt.toISOString()), failed: mail.status === 'failed' })),
      nextBefore: mails.length === PAGE ? mails[mails.length - 1].id : null,
      status: filter,
    };
  }

  @Post('admin/outbox/:id/retry')
  @Roles('admin')
  async retryMail(@Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.outbox.retry(id, actor);
    response.redirect(303, '/admin/outbox?notice=retried');
  }

  /** With Redis, the read-only @bull-board dashboard; without, a plain list of the in-process queues. */
  @Get('admin/queues')
  @Roles('admin')
  async queuesPage(@Req() request: Request, @Res() response: Response, @Next() next: NextFunction): Promise<void> {
    if (this.queues.onRedis) return this.queues.serve(request, response, next);
    const queues = await this.queues.overview();
    response.render('pages/admin/queues', { ...pageContext(request), title: 'queues.heading', queues });
  }

  @Get('admin/queues/*path')
  @Roles('admin')
  queuesAsset(@Req() request: Request, @Res() response: Response, @Next() next: NextFunction): void {
    if (!this.queues.onRedis) throw DomainException.notFound('Page');
    this.queues.serve(request, response, next);
  }

  private async postMessage(request: Request, response: Response, back: string, grantId: string, body: Form, user: AuthenticatedUser, scope: AccessScope, actor: Actor): Promise<void> {
    const kind = (GRANT_MESSAGE_KINDS as readonly unknown[]).includes(body.kind) ? (body.kind as GrantMessageKind) : 'question';
    const sessionDate = typeof body.sessionDate === 'string' && body.sessionDate !== '' ? body.sessionDate : undefined;
    const text = typeof body.body === 'string' ? body.body : '';
    try {
      if (sessionDate !== undefined && !isCalendarDate(sessionDate)) throw DomainException.rule('The form has invalid fields', [{ field: 'sessionDate', rule: CommonErrorCode.CalendarDate, message: 'sessionDate must be a date YYYY-MM-DD' }]);
      if (text.trim() === '') throw DomainException.rule('The form has invalid fields', [{ field: 'body', rule: CommonErrorCode.Required, message: 'write a message' }]);
      if (text.length > 4000) throw DomainException.rule('The form has invalid fields', [{ field: 'body', rule: CommonErrorCode.MaxLength, message: 'a message has at most 4000 characters' }]);
      await this.messages.post(grantId, { kind, sessionDate, body: text }, user, scope, actor);
      response.redirect(303, `${back}?notice=message_sent#messages`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const failure = localizedErrorBody(error, this.catalogues, pageContext(request).lang);
      response.status(failure.statusCode).render('pages/grants/message-error', { ...pageContext(request), title: 'messages.heading', error: failure, back: `${back}#messages` });
    }
  }

  private async orError(request: Request, response: Response, user: AuthenticatedUser, action: () => Promise<unknown>, success: string): Promise<void> {
    try {
      await action();
      response.redirect(303, success);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const failure = localizedErrorBody(error, this.catalogues, pageContext(request).lang);
      await this.render(request, response, user, { error: failure, before: null }, failure.statusCode);
    }
  }

  private async render(request: Request, response: Response, user: AuthenticatedUser, extra: { notice?: string; error?: unknown; before: string | null }, status = 200): Promise<void> {
    const [list, preferences, delegations, candidates, mails] = await Promise.all([
      this.notifications.list(user, { unreadOnly: false, before: extra.before, limit: PAGE }, pageContext(request).lang),
      this.notifications.preferences(user),
      user.role === 'finance' || user.role === 'team_leader' || user.role === 'admin' ? this.delegations.list(user) : Promise.resolve([]),
      this.delegations.candidates(user),
      this.outbox.showsOwnMails ? this.notifications.ownMails(user.id) : Promise.resolve([]),
    ]);
    response.status(status).render('pages/notifications', {
      ...pageContext(request),
      unreadNotifications: list.unread,
      title: 'notifications.heading',
      notice: extra.notice,
      error: extra.error,
      unread: list.unread,
      items: list.items.map((item) => ({ ...item, createdAt: formatTimestamp(item.createdAt.toISOString()) })),
      nextBefore: list.nextBefore,
      preferences: preferences.map((p) => ({ ...p, options: DELIVERIES.filter((d) => d !== 'off' || p.required === null).map((value) => ({ value, selected: value === p.delivery })) })),
      canDelegate: candidates.length > 0,
      candidates,
      delegations: delegations.map((d) => ({ ...d, active: d.endedAt === null })),
      showMails: this.outbox.showsOwnMails,
      mails: mails.map((mail) => ({ ...mail, createdAt: formatTimestamp(mail.createdAt.toISOString()) })),
    });
  }
}

const NOTICES: Record<string, string | undefined> = {
  saved: 'notifications.preferences_saved',
  delegated: 'delegations.created',
  delegation_ended: 'delegations.ended',
};
