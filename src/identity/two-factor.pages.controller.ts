import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { toString as qrSvg } from 'qrcode';
import type { Actor } from '../common/actor';
import { CurrentActor, CurrentUser, TwoFactorSetup } from '../common/auth/auth.decorators';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import { DomainException } from '../common/errors/domain.exception';
import { toErrorBody } from '../common/errors/http-exception.filter';
import { pageContext } from '../common/web/page-context';
import { TwoFactorService } from './two-factor.service';

/** /account/two-factor: set up two-factor sign-in (QR code, confirm with a code), see the recovery codes once, renew them. */
@ApiExcludeController()
@TwoFactorSetup()
@Controller('account/two-factor')
export class TwoFactorPagesController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.render(request, response, user, {});
  }

  @Post('begin')
  async begin(@Req() request: Request, @Res() response: Response, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const setup = await this.twoFactor.begin(user, actor);
      await this.render(request, response, user, { setup: { secret: setup.secret, qrSvg: await qrSvg(setup.otpauthUri, { type: 'svg', margin: 1, width: 220 }) } });
    } catch (error) {
      await this.failed(request, response, user, error);
    }
  }

  @Post('confirm')
  async confirm(@Req() request: Request, @Res() response: Response, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Body() body: Record<string, unknown>): Promise<void> {
    try {
      const codes = await this.twoFactor.confirm(user.id, user.sessionId, typeof body.code === 'string' ? body.code : '', actor, pageContext(request).lang);
      await this.render(request, response, user, { recoveryCodes: codes });
    } catch (error) {
      await this.failed(request, response, user, error);
    }
  }

  @Post('recovery-codes')
  async renew(@Req() request: Request, @Res() response: Response, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Body() body: Record<string, unknown>): Promise<void> {
    try {
      const codes = await this.twoFactor.renewRecoveryCodes(user.id, typeof body.code === 'string' ? body.code : '', actor, pageContext(request).lang);
      await this.render(request, response, user, { recoveryCodes: codes });
    } catch (error) {
      await this.failed(request, response, user, error);
    }
  }

  private async failed(request: Request, response: Response, user: AuthenticatedUser, error: unknown): Promise<void> {
    if (!(error instanceof DomainException)) throw error;
    await this.render(request, response, user, { error: toErrorBody(error) }, toErrorBody(error).statusCode);
  }

  private async render(request: Request, response: Response, user: AuthenticatedUser, model: Record<string, unknown>, status = 200): Promise<void> {
    const status2fa = await this.twoFactor.status(user.id, user.role);
    response.status(status).render('pages/two-factor', { ...pageContext(request), title: 'identity.two_factor_heading', status: status2fa, ...model });
  }
}
