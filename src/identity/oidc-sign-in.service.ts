import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { DataSource } from 'typeorm';
import type { AppConfig, OidcProviderConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { FederatedRequestStore } from './federated-request.store';

/** How long a started sign-in waits for the provider's answer. */
const REQUEST_LIFETIME_SECONDS = 600;

/** The verified answer of the provider: the ID token and its claims as this portal reads them. */
export interface OidcAnswer {
  subject: string | null;
  cvr: string | null;
  email: string | null;
  idToken: string;
  next: string;
}

/** Why an answer was refused, for the audit log (the browser is told only that the sign-in failed). */
export class OidcRefusal extends Error {
  constructor(readonly reason: 'no_request' | 'provider_error' | 'invalid_response' | 'provider_unreachable') {
    super(reason);
  }
}

export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';

/**
 * Supplier sign-in through a MitID Erhverv broker with openid-client: the authorization code flow with PKCE
 * (S256), state and nonce. The provider's endpoints and keys are discovered from OIDC_ISSUER at first use (and
 * again after a failure). What a started sign-in must be checked against is kept server-side under the hash of
 * a random handle that only the browser's cookie holds, and is used once.
 */
@Injectable()
export class OidcSignInService {
  private readonly logger = new Logger('OidcSignIn');
  private discovered: Promise<oidc.Configuration> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly requests: FederatedRequestStore,
  ) {}

  get provider(): OidcProviderConfig | null {
    return this.config.oidc;
  }

  get redirectUri(): string {
    return new URL(OIDC_CALLBACK_PATH, this.config.publicUrl).toString();
  }

  /** Starts a sign-in: the handle for the browser's cookie and the provider's authorization URL. */
  async start(next: string): Promise<{ handle: string; url: string }> {
    const provider = this.required();
    const configuration = await this.configuration();
    const handle = randomBytes(32).toString('base64url');
    const request = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier(), next };
    await this.dataSource.transaction(async (manager) => {
      await this.requests.prune(manager);
      await this.requests.insertOidc(manager, handleId(handle), request, REQUEST_LIFETIME_SECONDS);
    });
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: provider.scopes,
      state: request.state,
      nonce: request.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(request.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { handle, url: url.toString() };
  }

  /**
   * Checks the provider's answer at the callback against the started sign-in of this browser: the state,
   * then the code exchanged with the PKCE verifier, the ID token's signature, issuer, audience, expiry and
   * nonce (openid-client). Throws OidcRefusal with the reason.
   */
  async finish(handle: string | undefined, callbackUrl: URL): Promise<OidcAnswer> {
    const provider = this.required();
    const request = handle && handle.length <= 100 ? await this.requests.consumeOidc(this.dataSource.manager, handleId(handle)) : null;
    if (!request) throw new OidcRefusal('no_request');
    if (callbackUrl.searchParams.has('error')) throw new OidcRefusal('provider_error');
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(await this.configuration(), callbackUrl, { pkceCodeVerifier: request.codeVerifier, expectedState: request.state, expectedNonce: request.nonce, idTokenExpected: true }, { redirect_uri: this.redirectUri });
    } catch (error) {
      this.logger.warn(`OpenID Connect answer refused: ${error instanceof Error ? error.message : String(error)}`);
      throw new OidcRefusal('invalid_response');
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new OidcRefusal('invalid_response');
    const text = (name: string) => (typeof claims[name] === 'string' || typeof claims[name] === 'number' ? String(claims[name]) : null);
    return { subject: text(provider.subjectClaim), cvr: text(provider.cvrClaim), email: text(provider.emailClaim)?.trim().toLowerCase() ?? null, idToken: tokens.id_token, next: request.next };
  }

  /** The provider's end-session URL for a signed-out session, or null when the provider has none. */
  async endSessionUrl(idToken: string | null): Promise<string | null> {
    if (!this.config.oidc) return null;
    try {
      const configuration = await this.configuration();
      if (!configuration.serverMetadata().end_session_endpoint) return null;
      return oidc
        .buildEndSessionUrl(configuration, {
          ...(idToken ? { id_token_hint: idToken } : {}),
          client_id: this.config.oidc.clientId,
          post_logout_redirect_uri: new URL('/login', this.config.publicUrl).toString(),
        })
        .toString();
    } catch {
      return null;
    }
  }

  /** Whether the provider answers its discovery document now (the admin page's status). */
  async reachable(): Promise<boolean> {
    if (!this.config.oidc) return false;
    try {
      this.discovered = null;
      await this.configuration();
      return true;
    } catch {
      return false;
    }
  }

  private configuration(): Promise<oidc.Configuration> {
    const provider = this.required();
    this.discovered ??= oidc
      .discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret, undefined, {
        timeout: 5,
        // Plain http only for an issuer configured so (a provider on this machine in tests); production refuses it at start.
        ...(new URL(provider.issuer).protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        this.discovered = null;
        this.logger.warn(`OpenID Connect discovery at ${provider.issuer} failed: ${error instanceof Error ? error.message : String(error)}`);
        throw new OidcRefusal('provider_unreachable');
      });
    return this.discovered;
  }

  private required(): OidcProviderConfig {
    if (!this.config.oidc) throw new OidcRefusal('provider_unreachable');
    return this.config.oidc;
  }
}

function handleId(handle: string): string {
  return createHash('sha256').update(`oidc:${handle}`).digest('hex');
}
