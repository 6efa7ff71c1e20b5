import { listView, pageRequest, searchText } from '../common/web/list-query';
import { USER_SORTS } from '../identity/user.store';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { ROLES, type Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { isRefusal, localizedErrorBody, toErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { formErrorView, type FormErrorView } from '../common/web/form-errors';
import { hasText, loadCatalogues, translate } from '../common/i18n/messages';
import { auditSentence } from '../audit/audit-text';
import { isCalendarDate } from '../common/time/calendar-date';
import { InvoicesService } from '../invoices/invoices.service';
import { parseForm } from '../common/web/form';
import { pageContext } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { Page } from '../common/web/page.decorator';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto } from '../identity/identity.dto';
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

const AUDIT_PAGE = 50;
// The kinds of record and the actions the log's filters offer.
const AUDIT_ENTITY_TYPES = ['invoice', 'grant', 'citizen', 'supplier', 'agreement', 'agreement_rate', 'statement', 'billing_run', 'refund_claim', 'budget_year', 'user', 'api_token', 'service_account', 'rule_set'];
const AUDIT_ACTIONS = [
  'invoice.received', 'invoice.validated', 'invoice.first_approval', 'invoice.approved', 'invoice.rejected',
  'grant.proposed', 'grant.created', 'grant.approved', 'grant.sent_back', 'grant.extended', 'grant.ended',
  'citizen.created', 'supplier.created', 'supplier.updated', 'agreement.created', 'agreement.updated', 'agreement_rate.created', 'agreement_rate.ended',
  'statement.finalised', 'billing_run.completed', 'refund_claim.requested', 'refund_claim.submitted', 'budget_year.saved',
  'user.created', 'user.updated', 'user.password_reset', 'user.password_changed', 'auth.login', 'auth.login_failed', 'rule_set.version_added',
];

const USER_NOTICES: Record<string, string> = { created: 'users.created', reset: 'users.password_reset', updated: 'users.updated' };
// The element ids of the users forms' fields.
const NEW_USER_IDS = { email: 'new-email', displayName: 'new-name', role: 'new-role', supplierId: 'new-supplier', password: 'new-password' } as const;
const EDIT_USER_IDS = { displayName: 'u-name', role: 'u-role', supplierId: 'u-supplier', language: 'u-language', active: 'u-active' } as const;

/** A submitted form's text fields, to show again after a refusal (never the password). */
function echo(body: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([key, value]) => typeof value === 'string' && key !== 'password' && key !== '_csrf')) as Record<string, string>;
}

@ApiExcludeController()
@Roles('admin')
@Controller('admin')
export class AdminPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly users: UsersService,
    private readonly suppliers: SuppliersService,
    private readonly audit: AuditService,
    private readonly invoices: InvoicesService,
  ) {}

  @Get('users')
  async usersPage(@Req() request: Request, @Res() response: Response, @Query('notice') notice?: string): Promise<void> {
    await this.renderUsers(request, response, { notice: notice && USER_NOTICES[notice] });
  }

  @Get('users/:id')
  async userPage(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const user = await this.users.get(id);
    await this.renderUser(request, response, id, { values: { displayName: user.displayName, role: user.role, supplierId: user.supplierId ?? '', language: user.language, active: user.active } });
  }

  /** Edit a user: name, role, supplier, language, and whether the account is active (a role change or deactivation signs the user out). */
  @Post('users/:id')
  async updateUser(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor): Promise<void> {
    const field = (name: string): string => (typeof body?.[name] === 'string' ? (body[name] as string).trim() : '');
    const values = { displayName: field('displayName'), role: field('role'), supplierId: field('supplierId'), language: field('language'), active: field('active') === 'yes' };
    try {
      const form = await parseForm(UpdateUserDto, { ...values, supplierId: values.supplierId === '' ? undefined : values.supplierId });
      await this.users.update(id, form, actor);
      response.redirect(303, '/admin/users?notice=updated');
    } catch (error) {
      if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
      const view = this.formError(error, request, EDIT_USER_IDS);
      await this.renderUser(request, response, id, { values, ...view }, view.error.statusCode);
    }
  }

  @Post('users')
  async createUser(@Req() request: Request, @Res() response: Response, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const form = await parseForm(CreateUserDto, body);
      await this.users.create({ ...form, supplierId: form.supplierId ?? null, password: form.password ?? null, language: form.language ?? 'da', mustChangePassword: true }, actor);
      response.redirect(303, '/admin/users?notice=created');
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const view = this.formError(error, request, NEW_USER_IDS);
      await this.renderUsers(request, response, { ...view, form: echo(body) }, view.error.statusCode);
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

  /** The same refusal for a form: the summary linking to the fields, and each message beside its field. */
  private formError(error: unknown, request: Request, ids: Readonly<Record<string, string>>): FormErrorView {
    return formErrorView(toErrorBody(error), this.errorBody(error, request), { ids });
  }

  private async renderUser(request: Request, response: Response, id: string, extra: Record<string, unknown>, status = 200): Promise<void> {
    const [user, suppliers] = await Promise.all([this.users.get(id), this.suppliers.options()]);
    response.status(status).render('pages/admin/user', {
      ...pageContext(request),
      title: 'users.edit_heading',
      user: { id: user.id, email: user.email, displayName: user.displayName, mustChangePassword: user.mustChangePassword, lastLoginAt: user.lastLoginAt ? formatTime(user.lastLoginAt) : null },
      suppliers,
      roles: ROLES,
      languages: ['da', 'en'],
      ...extra,
    });
  }

  /** The audit log in words, newest first, filtered by user, record, action and days. */
  @Get('audit')
  @Page('pages/admin/audit')
  async auditPage(@Req() request: Request, @Query() query: Record<string, unknown>) {
    const lang = pageContext(request).lang;
    const text = (name: string): string => (typeof query[name] === 'string' ? (query[name] as string).trim() : '');
    const filters = { user: text('user'), entityType: text('entityType'), entityId: text('entityId'), action: text('action'), from: text('from'), to: text('to') };
    const date = (value: string) => (isCalendarDate(value) ? value : undefined);
    const [entries, users] = await Promise.all([
      this.audit.list({
        limit: AUDIT_PAGE,
        before: text('before') && /^\d{1,18}$/.test(text('before')) ? text('before') : undefined,
        actorUserId: /^[0-9a-f-]{36}$/i.test(filters.user) ? filters.user : undefined,
        entityType: AUDIT_ENTITY_TYPES.includes(filters.entityType) ? filters.entityType : undefined,
        entityId: filters.entityId || undefined,
        action: AUDIT_ACTIONS.includes(filters.action) ? filters.action : undefined,
        from: date(filters.from),
        to: date(filters.to),
      }),
      this.users.list(),
    ]);
    const names = await this.recordNames(entries);
    const t = (key: string, params: Record<string, unknown> = {}) => translate(this.catalogues, lang, key, params);
    const filterQuery = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== '')).toString();
    return {
      title: 'audit.heading',
      filters,
      userOptions: users.map((user) => ({ value: user.id, label: `${user.displayName} (${user.email})`, selected: user.id === filters.user })),
      typeOptions: AUDIT_ENTITY_TYPES.map((value) => ({ value, label: t(`audit.entity.${value}`), selected: value === filters.entityType })),
      actionOptions: AUDIT_ACTIONS.map((value) => ({ value, label: t(`audit.action.${value}`), selected: value === filters.action })),
      entries: entries.map((entry) => ({
        ...entry,
        // People by their names, as the users list has them now; the entry's own label otherwise (a system, a removed user).
        occurredAt: formatTime(entry.occurredAt),
        sentence: auditSentence({ ...entry, actorLabel: (entry.actorUserId && users.find((user) => user.id === entry.actorUserId)?.displayName) || entry.actorLabel }, names.get(`${entry.entityType}:${entry.entityId}`) ?? null, t, (key) => hasText(this.catalogues, lang, key), lang),
        changeText: JSON.stringify(entry.change),
      })),
      nextQuery: entries.length === AUDIT_PAGE ? `${filterQuery ? `${filterQuery}&` : ''}before=${entries[entries.length - 1].id}` : null,
    };
  }

  /** The names of the records the entries concern, by "type:id": invoices by number, suppliers by name, users by name. */
  private async recordNames(entries: Array<{ entityType: string; entityId: string | null }>): Promise<Map<string, string>> {
    const idsOf = (type: string) => entries.flatMap((entry) => (entry.entityType === type && entry.entityId ? [entry.entityId] : []));
    const [invoices, suppliers, users] = await Promise.all([
      this.invoices.numbers(idsOf('invoice')),
      this.suppliers.names(idsOf('supplier').filter((id) => /^[0-9a-f-]{36}$/i.test(id))),
      idsOf('user').length > 0 ? this.users.list() : Promise.resolve([]),
    ]);
    const names = new Map<string, string>();
    for (const [id, number] of invoices) names.set(`invoice:${id}`, number);
    for (const [id, name] of suppliers) names.set(`supplier:${id}`, name);
    for (const user of users) names.set(`user:${user.id}`, user.displayName);
    return names;
  }

  private async renderUsers(request: Request, response: Response, extra: Record<string, unknown>, status = 200): Promise<void> {
    const query = request.method === 'GET' ? (request.query as Record<string, unknown>) : {};
    const q = searchText(query.q);
    const wanted = pageRequest(query, USER_SORTS, { limit: 100 });
    const [page, suppliers] = await Promise.all([this.users.page(q, wanted), this.suppliers.options()]);
    const users = page.items;
    // A deactivated supplier's users still show whom they work for.
    const supplierNames = await this.suppliers.names(users.flatMap((user) => (user.supplierId ? [user.supplierId] : [])));
    response.status(status).render('pages/admin/users', {
      ...pageContext(request),
      title: 'users.heading',
      users: users.map((user) => ({ ...user, supplierName: user.supplierId ? (supplierNames.get(user.supplierId) ?? null) : null, lastLoginAt: user.lastLoginAt ? formatTime(user.lastLoginAt) : null })),
      suppliers,
      roles: ROLES,
      list: listView('/admin/users', wanted, USER_SORTS, page, q),
      ...extra,
    });
  }
}
