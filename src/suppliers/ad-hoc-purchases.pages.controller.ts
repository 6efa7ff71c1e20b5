import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, CurrentUser, Roles } from '../common/auth/auth.decorators';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import { CommonErrorCode } from '../common/errors/common.errors';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { isRefusal, localizedErrorBody, toErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { formErrorView, type FormFields } from '../common/web/form-errors';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { formatKroner, parseKroner } from '../common/web/format';
import { parseForm } from '../common/web/form';
import { pageContext } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { AD_HOC_LIMIT_ORE } from './ad-hoc-purchase.rules';
import { ProposeAdHocPurchaseDto } from './ad-hoc-purchases.controller';
import { AdHocPurchasesService } from './ad-hoc-purchases.service';
import { SuppliersService } from './suppliers.service';
import { AgreementGrantsDirectory } from './agreement-grants.directory';

type FormBody = Record<string, unknown>;

const FIELDS: Record<string, string> = {
  supplierId: 'ad_hoc.supplier',
  caseNumber: 'ad_hoc.case_number',
  description: 'ad_hoc.description',
  amountKr: 'ad_hoc.amount_kr',
  amountOre: 'ad_hoc.amount_kr',
  grantReference: 'ad_hoc.grant',
  grantId: 'ad_hoc.grant',
  confirm: 'ad_hoc.confirm',
};

/** The proposal form's fields by element id, so a refusal is shown beside the field it names. */
const PROPOSE_FIELDS: FormFields = {
  ids: { supplierId: 'a-supplier', caseNumber: 'a-case', description: 'a-description', amountKr: 'a-amount', grantReference: 'a-grant' },
  aliases: { amountOre: 'amountKr', grantId: 'grantReference' },
};

const text = (body: FormBody, name: string): string => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');

/** Ad-hoc purchases (enkeltkøb): proposed by caseworkers and procurement, decided by a team leader after ticking to confirm. */
@ApiExcludeController()
@Controller('ad-hoc-purchases')
export class AdHocPurchasesPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly purchases: AdHocPurchasesService,
    private readonly suppliers: SuppliersService,
    private readonly grants: AgreementGrantsDirectory,
  ) {}

  @Get()
  @Roles('caseworker', 'team_leader', 'procurement', 'admin')
  async page(@Req() request: Request, @Res() response: Response, @CurrentUser() user: AuthenticatedUser, @Query('notice') notice?: string): Promise<void> {
    const notices: Record<string, string> = { proposed: 'ad_hoc.proposed', approved: 'ad_hoc.approved', refused: 'ad_hoc.refused' };
    await this.render(request, response, user, { notice: notice ? notices[notice] : undefined });
  }

  @Post()
  @Roles('caseworker', 'procurement', 'admin')
  async propose(@Req() request: Request, @Res() response: Response, @Body() body: unknown, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor): Promise<void> {
    const form = (body ?? {}) as FormBody;
    try {
      const amountText = text(form, 'amountKr');
      const amountOre = parseKroner(amountText);
      if (amountText !== '' && amountOre === null) {
        throw new DomainException(DomainErrorCode.InvalidInput, 'The form has invalid fields', [{ field: 'amountKr', rule: CommonErrorCode.Kroner, message: 'amountKr must be an amount in kroner, e.g. 24.000' }]);
      }
      // The grant is named by its reference on the page (MS-2026-000123).
      const reference = text(form, 'grantReference').toUpperCase();
      const grant = reference === '' ? null : await this.grants.grantOf({ reference });
      if (reference !== '' && !grant) {
        throw DomainException.rule('The grant does not exist', [{ field: 'grantReference', rule: CommonErrorCode.Exists, message: `no grant has the reference ${reference}` }]);
      }
      const command = await parseForm(ProposeAdHocPurchaseDto, { supplierId: text(form, 'supplierId'), caseNumber: text(form, 'caseNumber'), description: text(form, 'description'), amountOre: amountOre ?? undefined, ...(grant ? { grantId: grant.id } : {}) });
      await this.purchases.propose(command, actor);
      response.redirect(303, '/ad-hoc-purchases?notice=proposed');
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const errorBody = this.errorBody(error, request);
      const view = formErrorView(toErrorBody(error), errorBody, PROPOSE_FIELDS);
      await this.render(
        request,
        response,
        user,
        { error: view.error, fieldErrors: view.fieldErrors, form: { supplierId: text(form, 'supplierId'), caseNumber: text(form, 'caseNumber'), description: text(form, 'description'), amountKr: text(form, 'amountKr'), grantReference: text(form, 'grantReference') } },
        errorBody.statusCode,
      );
    }
  }

  @Post(':id/:decision')
  @Roles('team_leader')
  async decide(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Param('decision') decision: string, @Body() body: unknown, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor): Promise<void> {
    if (decision !== 'approve' && decision !== 'refuse') throw DomainException.notFound('Page');
    const form = (body ?? {}) as FormBody;
    try {
      if (text(form, 'confirm') !== 'yes') {
        throw new DomainException(DomainErrorCode.InvalidInput, 'Tick to confirm', [{ field: 'confirm', rule: CommonErrorCode.Required, message: 'tick the box to confirm the decision' }]);
      }
      await this.purchases.decide(id, decision === 'approve' ? 'approved' : 'refused', text(form, 'reason') || null, actor);
      response.redirect(303, `/ad-hoc-purchases?notice=${decision === 'approve' ? 'approved' : 'refused'}`);
    } catch (error) {
      if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
      const errorBody = this.errorBody(error, request);
      await this.render(request, response, user, { error: errorBody }, errorBody.statusCode);
    }
  }

  private errorBody(error: Parameters<typeof localizedErrorBody>[0], request: Request): ErrorBody {
    const lang = pageContext(request).lang;
    return localizedErrorBody(error, this.catalogues, lang, { heading: 'ad_hoc.error', fieldLabel: (field) => (FIELDS[field] === undefined ? undefined : translate(this.catalogues, lang, FIELDS[field])) });
  }

  private async render(request: Request, response: Response, user: AuthenticatedUser, extra: Record<string, unknown>, status = 200): Promise<void> {
    const [purchases, suppliers] = await Promise.all([this.purchases.list(AccessScope.unrestricted()), this.suppliers.options()]);
    const names = new Map(suppliers.map((s) => [s.id, s.name]));
    const form = (extra.form ?? {}) as FormBody;
    response.status(status).render('pages/procurement/ad-hoc-purchases', {
      ...pageContext(request),
      title: 'ad_hoc.heading',
      limit: formatKroner(AD_HOC_LIMIT_ORE),
      canPropose: user.role !== 'team_leader',
      canDecide: user.role === 'team_leader',
      suppliers: suppliers.map((s) => ({ ...s, selected: s.id === form.supplierId })),
      purchases: purchases.map((p) => ({
        ...p,
        supplierName: names.get(p.supplierId) ?? '–',
        amount: formatKroner(p.amountOre),
        spent: p.spentOre === null ? null : formatKroner(p.spentOre),
        left: p.leftOre === null ? null : formatKroner(p.leftOre),
        overspent: p.leftOre !== null && p.leftOre < 0,
        proposed: p.status === 'proposed',
        ownProposal: p.proposedBy === user.id,
      })),
      fieldErrors: {},
      ...extra,
      form,
    });
  }
}
