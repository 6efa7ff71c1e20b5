import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Strategy as SamlStrategy, type Profile, type VerifyWithRequest } from '@node-saml/passport-saml';
import { ValidateInResponseTo, type CacheProvider } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import type { Request, Response } from 'express';
import passport from 'passport';
import { DataSource } from 'typeorm';
import type { AppConfig, SamlProviderConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { FederatedRequestStore } from './federated-request.store';

export const SAML_ACS_PATH = '/auth/saml/acs';
const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
/** How long a sent AuthnRequest waits for its answer. */
const REQUEST_LIFETIME_SECONDS = 600;
/** The IdP's and this portal's clocks may differ this much. */
const CLOCK_SKEW_MS = 60_000;

/** What a verified assertion says about the employee. */
export interface SamlIdentity {
  subject: string | null;
  email: string | null;
  name: string | null;
  groups: string[];
}

export type SamlRefusalReason =
  | 'invalid_signature'
  | 'wrong_audience'
  | 'wrong_recipient'
  | 'wrong_issuer'
  | 'expired'
  | 'unknown_request'
  | 'replayed'
  | 'invalid_response';

/** Why a SAML response was refused, for the audit log (the browser is told only that the sign-in failed). */
export class SamlRefusal extends Error {
  constructor(readonly reason: SamlRefusalReason) {
    super(reason);
  }
}

/**
 * Staff sign-in through the municipalities' shared access control: this portal is a SAML 2.0 service provider
 * with @node-saml/passport-saml. An assertion must be signed by the IdP's certificate (SAML_IDP_CERT); its
 * audience must be this portal's entity ID, its time window hold, and it must answer an AuthnRequest this
 * portal sent (InResponseTo, kept server-side, taken once). On top of what node-saml checks, the signed
 * assertion's SubjectConfirmationData Recipient (and the response's Destination) must be this portal's
 * assertion consumer service, the issuer the configured IdP, and an assertion id is accepted once.
 */
@Injectable()
export class SamlSignInService implements OnModuleInit {
  private readonly logger = new Logger('SamlSignIn');
  private strategy: SamlStrategy | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly requests: FederatedRequestStore,
  ) {}

  get provider(): SamlProviderConfig | null {
    return this.config.saml;
  }

  get acsUrl(): string {
    return new URL(SAML_ACS_PATH, this.config.publicUrl).toString();
  }

  onModuleInit(): void {
    const saml = this.config.saml;
    if (!saml) return;
    this.strategy = new SamlStrategy(
      {
        name: 'saml',
        entryPoint: saml.entryPoint,
        issuer: saml.entityId,
        audience: saml.entityId,
        callbackUrl: this.acsUrl,
        idpCert: saml.idpCerts.map((cert) => `-----BEGIN CERTIFICATE-----\n${cert.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`),
        ...(saml.idpIssuer ? { idpIssuer: saml.idpIssuer } : {}),
        wantAssertionsSigned: true,
        wantAuthnResponseSigned: false,
        validateInResponseTo: ValidateInResponseTo.always,
        requestIdExpirationPeriodMs: REQUEST_LIFETIME_SECONDS * 1000,
        acceptedClockSkewMs: CLOCK_SKEW_MS,
        cacheProvider: this.cacheProvider(),
        identifierFormat: null,
        disableRequestedAuthnContext: true,
        signatureAlgorithm: 'sha256',
        digestAlgorithm: 'sha256',
        passReqToCallback: true,
      },
      ((request, profile, done) => {
        this.verified(request as unknown as Request, profile).then(
          (identity) => done(null, identity as unknown as Record<string, unknown>),
          (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
        );
      }) satisfies VerifyWithRequest,
      // Single logout from the IdP is not offered: a logout request is refused.
      ((_request, _profile, done) => done(new SamlRefusal('invalid_response'))) satisfies VerifyWithRequest,
    );
    // passport-saml is typed against an older Express; the strategy is the same passport strategy.
    passport.use('saml', this.strategy as unknown as passport.Strategy);
  }

  /** The SP metadata an IdP administrator imports: entity ID, assertion consumer service, signed assertions wanted. */
  metadata(): string {
    return this.required().generateServiceProviderMetadata(null, null);
  }

  /** Sends the browser to the IdP with a fresh AuthnRequest (HTTP-Redirect); RelayState carries where to go after. */
  login(request: Request, response: Response, next: string): Promise<void> {
    this.required();
    // passport-saml takes RelayState from the query or the body; Express 5 parses the query anew on each read.
    request.body = { RelayState: next };
    return new Promise((resolve, reject) => {
      passport.authenticate('saml', { session: false }, (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()))(request, response, () => resolve());
      response.once('finish', () => resolve());
    });
  }

  /** Checks the IdP's POSTed response at the assertion consumer service; throws SamlRefusal with the reason. */
  async consume(request: Request, response: Response): Promise<SamlIdentity> {
    this.required();
    const body = request.body as Record<string, unknown> | undefined;
    // Only the HTTP-POST binding of a response: anything in the query would send passport-saml down its logout paths.
    const query = request.query as Record<string, unknown>;
    if (query.SAMLResponse !== undefined || query.SAMLRequest !== undefined) throw new SamlRefusal('invalid_response');
    if (typeof body?.SAMLResponse !== 'string' || body.SAMLResponse === '' || body.SAMLRequest !== undefined || body.SAMLResponse.length > 500_000) throw new SamlRefusal('invalid_response');
    const identity = await new Promise<SamlIdentity>((resolve, reject) => {
      passport.authenticate('saml', { session: false }, (error: unknown, user: unknown) => {
        if (error) return reject(error);
        if (!user) return reject(new SamlRefusal('invalid_response'));
        resolve(user as SamlIdentity);
      })(request, response, (error: unknown) => reject(error ?? new SamlRefusal('invalid_response')));
    }).catch(async (error: unknown) => {
      if (error instanceof SamlRefusal) throw error;
      throw new SamlRefusal(await this.reasonOf(error, body.SAMLResponse as string));
    });
    return identity;
  }

  /** Whether the IdP's sign-on URL answers now (the admin page's status): any HTTP answer counts. */
  async reachable(): Promise<boolean> {
    if (!this.config.saml) return false;
    try {
      await fetch(this.config.saml.entryPoint, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(5000) });
      return true;
    } catch {
      return false;
    }
  }

  /** After node-saml accepted the signature, audience, time window and InResponseTo: this portal's own checks. */
  private async verified(request: Request, profile: Profile | null): Promise<SamlIdentity> {
    this.required();
    const saml = this.config.saml!;
    if (!profile?.getAssertionXml) throw new SamlRefusal('invalid_response');
    const assertion = parse(profile.getAssertionXml()).documentElement;
    if (!assertion || assertion.localName !== 'Assertion' || assertion.namespaceURI !== SAML_NS) throw new SamlRefusal('invalid_response');
    const envelope = parse(Buffer.from(String((request.body as Record<string, unknown>).SAMLResponse), 'base64').toString('utf8')).documentElement;
    const destination = envelope?.getAttribute('Destination');
    if (destination && destination !== this.acsUrl) throw new SamlRefusal('wrong_recipient');
    const confirmations = children(assertion, 'Subject').flatMap((subject) => children(subject, 'SubjectConfirmation'));
    const bearer = confirmations.filter((confirmation) => confirmation.getAttribute('Method') === 'urn:oasis:names:tc:SAML:2.0:cm:bearer');
    const data = bearer.flatMap((confirmation) => children(confirmation, 'SubjectConfirmationData'));
    if (data.length === 0 || data.some((item) => item.getAttribute('Recipient') !== this.acsUrl)) throw new SamlRefusal('wrong_recipient');
    const issuer = children(assertion, 'Issuer')[0]?.textContent?.trim() ?? null;
    if (saml.idpIssuer && issuer !== saml.idpIssuer) throw new SamlRefusal('wrong_issuer');

    const assertionId = assertion.getAttribute('ID');
    const until = [...data.map((item) => item.getAttribute('NotOnOrAfter')), ...children(assertion, 'Conditions').map((item) => item.getAttribute('NotOnOrAfter'))].filter((value): value is string => !!value).map((value) => Date.parse(value)).filter(Number.isFinite);
    if (!assertionId || until.length === 0) throw new SamlRefusal('invalid_response');
    const manager = this.dataSource.manager;
    const fresh = await this.requests.recordAssertion(manager, assertionId.slice(0, 256), new Date(Math.max(...until) + CLOCK_SKEW_MS));
    const answered = typeof profile.inResponseTo === 'string' && (await this.requests.consumeSaml(manager, profile.inResponseTo));
    if (!fresh || !answered) throw new SamlRefusal('replayed');

    const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
    const values = (name: string): string[] => {
      const value = attributes[name];
      return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((item): item is string => typeof item === 'string');
    };
    return {
      subject: typeof profile.nameID === 'string' && profile.nameID.trim() !== '' ? profile.nameID.trim().slice(0, 300) : null,
      email: values(saml.emailAttribute)[0]?.trim().toLowerCase() ?? null,
      name: values(saml.nameAttribute)[0]?.trim() ?? null,
      groups: values(saml.groupAttribute),
    };
  }

  /** node-saml refuses with plain errors; their message says which check failed. */
  private async reasonOf(error: unknown, samlResponse: string): Promise<SamlRefusalReason> {
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn(`SAML response refused: ${message.slice(0, 200)}`);
    if (/signature/i.test(message)) return 'invalid_signature';
    if (/audience/i.test(message)) return 'wrong_audience';
    if (/issuer/i.test(message)) return 'wrong_issuer';
    if (/expired|NotBefore|NotOnOrAfter|subject confirmation/i.test(message)) return 'expired';
    // An assertion signed for another request of this portal, carried in an answer to a new one.
    if (/does not match subjectInResponseTo|SubjectInResponseTo is not valid/i.test(message)) return 'replayed';
    if (/InResponseTo/i.test(message)) {
      let answered: string | null | undefined;
      try {
        answered = parse(Buffer.from(samlResponse, 'base64').toString('utf8')).documentElement?.getAttribute('InResponseTo');
      } catch {
        answered = null;
      }
      return answered && (await this.wasConsumed(answered)) ? 'replayed' : 'unknown_request';
    }
    return 'invalid_response';
  }

  private async wasConsumed(requestId: string): Promise<boolean> {
    return (await this.requests.samlRequestState(this.dataSource.manager, requestId)) === 'consumed';
  }

  /** node-saml keeps the ids of the AuthnRequests it sent here: in the database, so every api process shares them. */
  private cacheProvider(): CacheProvider {
    const manager = () => this.dataSource.manager;
    return {
      saveAsync: async (key, value) => {
        await this.requests.prune(manager());
        await this.requests.insertSaml(manager(), key, REQUEST_LIFETIME_SECONDS);
        return { value, createdAt: Date.now() };
      },
      getAsync: async (key) => (await this.requests.samlRequestCreatedAt(manager(), key))?.toISOString() ?? null,
      // Taken once the assertion is accepted (verified() above), not when node-saml is done with it.
      removeAsync: (key) => Promise.resolve(key),
    };
  }

  private required(): SamlStrategy {
    if (!this.strategy) throw new SamlRefusal('invalid_response');
    return this.strategy;
  }
}

function parse(xml: string) {
  // No DTD is read by xmldom; a document that does not parse is no SAML response.
  return new DOMParser({ errorHandler: () => undefined }).parseFromString(xml, 'text/xml');
}

function children(parent: Element, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).localName === localName && [SAML_NS, PROTOCOL_NS].includes((node as Element).namespaceURI ?? '')) out.push(node as Element);
  }
  return out;
}
