import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { API_SCOPE_NAMES, API_SCOPES, isApiScope } from '../common/auth/api-scopes';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { DomainException } from '../common/errors/domain.exception';
import { localizedErrorBody, toErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { formErrorView } from '../common/web/form-errors';
import { templatesDir } from '../common/web/view-engine';

// The service-account form's labels of the fields an error can name.
const ACCOUNT_FIELDS: Readonly<Record<string, string>> = { name: 'identity.account_name', description: 'identity.account_description', scopes: 'identity.scopes', validDays: 'identity.token_days' };
import { formatTimestamp } from '../common/web/finance-view';
import { parseForm } from '../common/web/form';
import { pageContext } from '../common/web/page-context';
import { CreateServiceAccountDto, IssueApiTokenDto } from './api-tokens.dto';
import { ApiTokensService, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, type IssuedApiToken } from './api-tokens.service';
import { OidcSignInService } from './oidc-sign-in.service';
import { SamlSignInService } from './saml-sign-in.service';
import { TwoFactorService } from './two-factor.service';
import { UsersService } from './users.service';

const at = (date: Date | null) => formatTimestamp(date?.toISOString() ?? null);

/** Admin's view of sign-in: who signs in how, the providers' state, and the service accounts of integrations. */
@ApiExcludeController()
@Roles('admin')
@Controller('admin')
export class SignInAdminPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly users: UsersService,
    private readonly twoFactor: TwoFactorService,
    private readonly apiTokens: ApiTokensService,
    private readonly oidc: OidcSignInService,
    private readonly saml: SamlSignInService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('sign-in')
  async signInPage(@Req() request: Request, @Res() response: Response, @Query('notice') notice?: string): Promise<void> {
    const [rows, oidcReachable, samlReachable] = await Promise.all([this.users.signInOverview(), this.oidc.reachable(), this.saml.reachable()]);
    const { oidc, saml } = this.config;
    const providers = [
      {
        name: oidc?.displayName ?? 'MitID Erhverv',
        kind: 'OpenID Connect',
        who: 'identity.admin_for_suppliers',
        configured: oidc !== null,
        reachable: oidcReachable,
        settings: oidc ? [['OIDC_ISSUER', oidc.issuer], ['OIDC_CLIENT_ID', oidc.clientId], ['OIDC_SCOPES', oidc.scopes], ['OIDC_CVR_CLAIM', oidc.cvrClaim], ['redirect_uri', this.oidc.redirectUri]] : [],
        metadata: null,
      },
      {
        name: saml?.displayName ?? 'Fælleskommunal adgangsstyring',
        kind: 'SAML 2.0',
        who: 'identity.admin_for_staff',
        configured: saml !== null,
        reachable: samlReachable,
        settings: saml
          ? [['SAML_ENTRY_POINT', saml.entryPoint], ['SAML_CLIENT_ID', saml.entityId], ['SAML_IDP_ISSUER', saml.idpIssuer ?? '–'], ['SAML_ROLE_MAP', saml.roleMap.map((entry) => `${entry.group}=${entry.role}`).join('; ') || '–'], ['ACS', this.saml.acsUrl]]
          : [],
        metadata: saml ? '/auth/saml/metadata' : null,
      },
    ];
    const users = rows.map(({ user, hasPassword, twoFactor }) => ({
      id: user.id,
      displayName: user.displayName,
      email: user.email,
      role: user.role,
      active: user.active,
      password: hasPassword,
      twoFactor,
      twoFactorMissing: hasPassword && !twoFactor && this.twoFactor.requiredFor(user.role),
      provider: user.externalProvider,
      lastLogin: user.lastLoginAt ? `${at(user.lastLoginAt)}${user.lastLoginMethod ? ` (${user.lastLoginMethod})` : ''}` : '–',
    }));
    response.render('pages/admin/sign-in', {
      ...pageContext(request),
      title: 'identity.admin_heading',
      providers,
      users,
      twoFactorRoles: this.config.twoFactorRoles.join(', ') || '–',
      notice: notice === 'reset' ? 'identity.admin_two_factor_reset' : undefined,
    });
  }

  @Post('sign-in/users/:id/reset-two-factor')
  async resetTwoFactor(@Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.users.get(id);
    await this.twoFactor.reset(id, actor);
    response.redirect(303, '/admin/sign-in?notice=reset');
  }

  @Get('service-accounts')
  async serviceAccountsPage(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.renderServiceAccounts(request, response, {});
  }

  @Post('service-accounts')
  async createAccount(@Req() request: Request, @Res() response: Response, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const scopes = ([] as unknown[]).concat(body.scopes ?? []).filter(isApiScope);
      const form = await parseForm(CreateServiceAccountDto, { name: body.name, description: body.description || undefined, scopes });
      await this.apiTokens.createAccount({ name: form.name, description: form.description ?? '', scopes: form.scopes }, actor);
      response.redirect(303, '/admin/service-accounts');
    } catch (error) {
      await this.failed(request, response, error);
    }
  }

  /** Issues a token and shows it on this answer only. */
  @Post('service-accounts/:id/tokens')
  async issue(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const form = await parseForm(IssueApiTokenDto, { serviceAccountId: id, validDays: body.validDays === undefined || body.validDays === '' ? undefined : Number(body.validDays) });
      const issued = await this.apiTokens.issue(id, form.validDays ?? DEFAULT_TOKEN_DAYS, actor);
      await this.renderServiceAccounts(request, response, { issued: this.issuedView(issued) });
    } catch (error) {
      await this.failed(request, response, error);
    }
  }

  @Post('service-accounts/tokens/:id/revoke')
  async revoke(@Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.apiTokens.revoke(id, actor);
    response.redirect(303, '/admin/service-accounts');
  }

  @Post('service-accounts/:id/active')
  async setActive(@Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor): Promise<void> {
    await this.apiTokens.updateAccount(id, { active: body.active === 'true' }, actor);
    response.redirect(303, '/admin/service-accounts');
  }

  private issuedView(issued: IssuedApiToken) {
    return { token: issued.token, expiresAt: at(issued.expiresAt) };
  }

  /** A refusal in the page's language: the summary at the top linking to the fields, each message beside its field. */
  private async failed(request: Request, response: Response, error: unknown): Promise<void> {
    if (!(error instanceof DomainException)) throw error;
    const lang = pageContext(request).lang;
    const localized = localizedErrorBody(error, this.catalogues, lang, { fieldLabel: (field) => (ACCOUNT_FIELDS[field] === undefined ? undefined : translate(this.catalogues, lang, ACCOUNT_FIELDS[field])) });
    const view = formErrorView(toErrorBody(error), localized, { ids: { name: 'account-name', description: 'account-description' } });
    await this.renderServiceAccounts(request, response, { ...view }, localized.statusCode);
  }

  private async renderServiceAccounts(request: Request, response: Response, model: Record<string, unknown>, status = 200): Promise<void> {
    const accounts = (await this.apiTokens.list()).map((account) => ({
      ...account,
      scopesText: account.scopes.join(', '),
      tokens: account.tokens.map((token) => ({
        id: token.id,
        hint: token.hint,
        createdAt: at(token.createdAt),
        expiresAt: at(token.expiresAt),
        lastUsedAt: at(token.lastUsedAt),
        revokedAt: token.revokedAt ? at(token.revokedAt) : null,
        expired: token.expiresAt.getTime() <= Date.now(),
      })),
    }));
    response.status(status).render('pages/admin/service-accounts', {
      ...pageContext(request),
      title: 'identity.service_accounts_heading',
      accounts,
      scopes: API_SCOPE_NAMES.map((name) => ({ name, description: API_SCOPES[name] })),
      defaultDays: DEFAULT_TOKEN_DAYS,
      maxDays: MAX_TOKEN_DAYS,
      ...model,
    });
  }
}
