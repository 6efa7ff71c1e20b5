import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { ROLES, type Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { isRefusal, localizedErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { parseForm } from '../common/web/form';
import { pageContext } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { Page } from '../common/web/page.decorator';
import { CreateUserDto, ResetPasswordDto } from '../identity/identity.dto';
import { UsersService } from '../identity/users.service';
import { SuppliersService } from '../suppliers/suppliers.service';
import { formatTime } from './dashboard.controller';

// The users form's labels of the fields an error can name.
const USER_FIELDS: Readonly<Record<string, string>> = {
  email: 'users.email',
  displayName: 'users.name',
  role: 'users.role',
  supplierId: 'users.supplier',
  password: 'users.initial_password',
};

@ApiExcludeController()
@Roles('admin')
@Controller('admin')
export class AdminPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly users: UsersService,
    private readonly suppliers: SuppliersService,
    private readonly audit: AuditService,
  ) {}

  @Get('users')
  async usersPage(@Req() request: Request, @Res() response: Response, @Query('notice') notice?: string): Promise<void> {
    await this.renderUsers(request, response, { notice: notice === 'created' ? 'users.created' : notice === 'reset' ? 'users.password_reset' : undefined });
  }

  @Post('users')
  async createUser(@Req() request: Request, @Res() response: Response, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const form = await parseForm(CreateUserDto, body);
      await this.users.create({ ...form, supplierId: form.supplierId ?? null, password: form.password ?? null, language: form.language ?? 'da', mustChangePassword: true }, actor);
      response.redirect(303, '/admin/users?notice=created');
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const errorBody = this.errorBody(error, request);
      await this.renderUsers(request, response, { error: errorBody }, errorBody.statusCode);
    }
  }

  @Post('users/:id/reset-password')
  async resetPassword(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const form = await parseForm(ResetPasswordDto, body);
      await this.users.resetPassword(id, form.newPassword, actor);
      response.redirect(303, '/admin/users?notice=reset');
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const errorBody = this.errorBody(error, request);
      await this.renderUsers(request, response, { error: errorBody }, errorBody.statusCode);
    }
  }

  /** A refusal in the page's language, each field by the label the users form gives it. */
  private errorBody(error: unknown, request: Request): ErrorBody {
    const lang = pageContext(request).lang;
    return localizedErrorBody(error, this.catalogues, lang, { fieldLabel: (field) => (USER_FIELDS[field] === undefined ? undefined : translate(this.catalogues, lang, USER_FIELDS[field])) });
  }

  @Get('audit')
  @Page('pages/admin/audit')
  async auditPage(@Query('before') before?: string) {
    const entries = await this.audit.list({ limit: 50, before: before && /^\d{1,18}$/.test(before) ? before : undefined });
    return {
      title: 'audit.heading',
      entries: entries.map((entry) => ({ ...entry, occurredAt: formatTime(entry.occurredAt), changeText: JSON.stringify(entry.change) })),
      nextBefore: entries.length === 50 ? entries[entries.length - 1].id : null,
    };
  }

  private async renderUsers(request: Request, response: Response, extra: Record<string, unknown>, status = 200): Promise<void> {
    const [users, suppliers] = await Promise.all([this.users.list(), this.suppliers.options()]);
    response.status(status).render('pages/admin/users', {
      ...pageContext(request),
      title: 'users.heading',
      users: users.map((user) => ({ ...user, lastLoginAt: user.lastLoginAt ? formatTime(user.lastLoginAt) : null })),
      suppliers,
      roles: ROLES,
      ...extra,
    });
  }
}
