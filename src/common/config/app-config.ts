import { createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { ROLES, type Role } from '../actor';
import { isCalendarDate, type CalendarDate } from '../time/calendar-date';
import { municipalityOf } from '../municipalities';

/** The injection token of the AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

export type RunMode = 'all' | 'api' | 'worker';

export interface AppConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly port: number;
  /** Absent: the app runs on an embedded PostgreSQL (PGlite) under dataDir. */
  readonly databaseUrl: string | null;
  /** Absent: queued jobs run in-process through the same processor code. */
  readonly redisUrl: string | null;
  readonly dataDir: string;
  readonly sessionSecret: string;
  /** 32-byte key for AES-256-GCM encryption of CPR numbers. */
  readonly cprEncryptionKey: Buffer;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly sessionTtlHours: number;
  /** A session unused this long is ended; use extends it. */
  readonly sessionIdleMinutes: number;
  /** Failed sign-ins per minute per client address and e-mail. */
  readonly loginRateLimitPerMinute: number;
  /** Failed sign-ins per minute per client address, whatever the e-mail. */
  readonly loginAddressLimitPerMinute: number;
  /** Failed sign-ins per minute for the whole deployment (all processes, when Redis is configured). */
  readonly loginGlobalLimitPerMinute: number;
  /** Password hashes one process computes at once. */
  readonly loginHashConcurrency: number;
  /** Sign-ins one process lets wait for a hash; more are answered 503 at once. */
  readonly loginHashQueue: number;
  /**
   * Express `trust proxy`: which hops may set X-Forwarded-For. False (the default) takes the
   * connection's address, so a client cannot pick its own address by sending the header.
   */
  readonly trustProxy: TrustProxy;
  readonly bodyLimitBytes: number;
  readonly cookieSecure: boolean;
  readonly publicUrl: string;
  /** Redis key prefix of the queues; api and workers of one deployment share it. */
  readonly queuePrefix: string;
  /** How long a worker holds a job before another may take it over (a killed worker's job resumes after this). */
  readonly queueLockMs: number;
  /** Jobs one worker process runs at a time (they mostly wait on the database). */
  readonly queueConcurrency: number;
  readonly oidc: OidcProviderConfig | null;
  readonly saml: SamlProviderConfig | null;
  /** Roles whose local (password) sign-in needs a second factor (TOTP). */
  readonly twoFactorRoles: readonly Role[];
  /**
   * The portal's "today" when it must not follow the wall clock: a training
   * environment or a test suite pinned to one business day. Refused in production.
   */
  readonly businessDate: CalendarDate | null;
  /** The mail server (`smtp://` or `smtps://`, user and password in the URL); absent: mails stay in the outbox table. */
  readonly smtpUrl: string | null;
  /** The sender of the portal's mails: an address, optionally with a name (`Mentorportalen <noreply@kommune.dk>`). */
  readonly mailFrom: string;
  /**
   * The buyer (the municipality) as the sender of business responses: its name and GLN (EAN location number;
   * BUYER_GLN, by default the first of BUYER_GLNS) and its CVR number (BUYER_CVR, 8 digits with a modulus-11 check),
   * which a self-billing invoice names as the buyer.
   */
  readonly buyer: { readonly name: string; readonly gln: string; readonly cvr: string };
  /**
   * The municipality's location numbers (EAN/GLN, 13 digits with a GS1 check digit) e-invoices are addressed to
   * (BUYER_GLNS, comma-separated); an e-invoice to another buyer endpoint is refused.
   */
  readonly buyerEndpoints: readonly string[];
  /**
   * This municipality's three-digit code in the municipality register (MUNICIPALITY_CODE, e.g. 840), which the
   * comparison with other municipalities sets the portal's own figures beside; null when not set.
   */
  readonly municipalityCode: string | null;
}

/** False, a number of proxy hops, or the proxies' addresses, subnets or Express names (loopback, linklocal, uniquelocal). */
export type TrustProxy = false | number | readonly string[];

/** Supplier sign-in through a MitID Erhverv broker over OpenID Connect (authorization code flow with PKCE). */
export interface OidcProviderConfig {
  readonly kind: 'oidc';
  readonly displayName: string;
  /** Issuer URL; the provider's endpoints are discovered from it. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Space-separated scopes asked for. */
  readonly scopes: string;
  /** ID-token claims: the person's stable identifier, the company's CVR number, the e-mail. */
  readonly subjectClaim: string;
  readonly cvrClaim: string;
  readonly emailClaim: string;
}

/** Staff sign-in through the municipalities' shared access control over SAML 2.0 (this portal is the SP). */
export interface SamlProviderConfig {
  readonly kind: 'saml';
  readonly displayName: string;
  /** The IdP's single sign-on URL (HTTP-Redirect binding). */
  readonly entryPoint: string;
  /** This portal's entity ID: the audience an assertion must name. */
  readonly entityId: string;
  /** The IdP's signing certificates (PEM bodies); an assertion must be signed with one of them. */
  readonly idpCerts: readonly string[];
  /** The IdP's entity ID; when set, an assertion of another issuer is refused. */
  readonly idpIssuer: string | null;
  readonly emailAttribute: string;
  readonly nameAttribute: string;
  readonly groupAttribute: string;
  /** Group → portal role, first match wins. Empty: only users an admin provisioned sign in, with their own role. */
  readonly roleMap: ReadonlyArray<{ readonly group: string; readonly role: Exclude<Role, 'supplier'> }>;
}

export type FederatedProviderConfig = OidcProviderConfig | SamlProviderConfig;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    rule: string,
  ) {
    super(`Configuration error: ${variable} ${rule}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Secrets the embedded demo mode may generate and keep in DATA_DIR. */
export interface DemoSecrets {
  sessionSecret: string;
  cprEncryptionKey: string;
}

export function generateDemoSecrets(): DemoSecrets {
  return {
    sessionSecret: randomBytes(32).toString('base64url'),
    cprEncryptionKey: randomBytes(32).toString('base64'),
  };
}

/**
 * Reads and validates the environment once at boot. A bad value stops the
 * start with a message naming the variable. Secrets have no defaults except in
 * embedded demo mode (no DATABASE_URL), where the caller passes generated ones.
 */
export function loadConfig(env: Env, demoSecrets?: DemoSecrets): AppConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const databaseUrl = optionalUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = optionalUrl(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const embedded = databaseUrl === null;
  if (embedded && nodeEnv === 'production') {
    throw new ConfigError('DATABASE_URL', 'is required when NODE_ENV=production (the embedded database is for demos)');
  }
  const fallback = embedded ? demoSecrets : undefined;

  const sessionSecret = secret(env, 'SESSION_SECRET', fallback?.sessionSecret);
  if (sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters');
  }
  const port = integer(env, 'PORT', 3000, 1, 65535);
  const publicUrl = optionalUrl(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  return {
    nodeEnv,
    port,
    databaseUrl,
    redisUrl,
    dataDir: nonEmpty(env, 'DATA_DIR', './data'),
    sessionSecret,
    cprEncryptionKey: key32(env, 'CPR_ENCRYPTION_KEY', fallback?.cprEncryptionKey),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    sessionTtlHours: integer(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30),
    // At least 2: last use is written at most once a minute (auth.service.ts).
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 30, 2, 24 * 60),
    loginRateLimitPerMinute: integer(env, 'LOGIN_RATE_LIMIT', 10, 1, 10_000),
    loginAddressLimitPerMinute: integer(env, 'LOGIN_ADDRESS_LIMIT', 30, 1, 100_000),
    loginGlobalLimitPerMinute: integer(env, 'LOGIN_GLOBAL_LIMIT', 600, 1, 1_000_000),
    loginHashConcurrency: integer(env, 'LOGIN_HASH_CONCURRENCY', 2, 1, 64),
    loginHashQueue: integer(env, 'LOGIN_HASH_QUEUE', 32, 0, 10_000),
    trustProxy: trustProxy(env),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
    cookieSecure: boolean(env, 'COOKIE_SECURE', nodeEnv === 'production'),
    publicUrl,
    queuePrefix: nonEmpty(env, 'QUEUE_PREFIX', 'mentorportal'),
    queueLockMs: integer(env, 'QUEUE_LOCK_MS', 30_000, 1_000, 600_000),
    queueConcurrency: integer(env, 'QUEUE_CONCURRENCY', 2, 1, 64),
    oidc: oidcProvider(env, nodeEnv),
    saml: samlProvider(env, nodeEnv),
    // The embedded demo keeps its documented password sign-ins; a real deployment asks admin and finance for a code.
    twoFactorRoles: roleList(env, 'TWO_FACTOR_ROLES', embedded ? [] : ['admin', 'finance']),
    businessDate: businessDate(env, nodeEnv),
    smtpUrl: smtpUrl(env),
    mailFrom: mailFrom(env, publicUrl),
    buyer: { name: nonEmpty(env, 'BUYER_NAME', 'Jobcentret'), gln: gln(env, 'BUYER_GLN', buyerGlns(env)[0]), cvr: cvr(env, 'BUYER_CVR', DEFAULT_BUYER_CVR) },
    buyerEndpoints: buyerGlns(env),
    municipalityCode: municipalityCode(env),
  };
}

/** One of the 98 municipalities' codes, or null when unset. */
function municipalityCode(env: Env): string | null {
  const value = raw(env, 'MUNICIPALITY_CODE');
  if (value === undefined) return null;
  const municipality = municipalityOf(value);
  if (municipality === null || !/^\d{3,4}$/.test(value.trim())) throw new ConfigError('MUNICIPALITY_CODE', `must be the three-digit code of a Danish municipality, e.g. 840 (got "${value}")`);
  return municipality.code;
}

/** A GLN (13 digits, GS1 check digit). */
function gln(env: Env, name: string, fallback: string): string {
  const value = raw(env, name) ?? fallback;
  if (!isGln(value)) throw new ConfigError(name, `must be a GLN: 13 digits with a valid GS1 check digit (got "${value}")`);
  return value;
}

/** A CVR number (8 digits, no leading 0, modulus-11 check). */
function cvr(env: Env, name: string, fallback: string): string {
  const value = raw(env, name) ?? fallback;
  if (!isCvr(value)) throw new ConfigError(name, `must be a CVR number: 8 digits with a valid modulus-11 check (got "${value}")`);
  return value;
}

/** A stable fingerprint of a key, for logs that must prove which key is loaded. */
export function keyFingerprint(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function nonEmpty(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new ConfigError(name, `must be a whole number (got "${value}")`);
  const parsed = Number(value);
  if (parsed < min || parsed > max) throw new ConfigError(name, `must be between ${min} and ${max} (got ${parsed})`);
  return parsed;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(name, `must be true or false (got "${value}")`);
}

function optionalUrl(env: Env, name: string, protocols: string[]): string | null {
  const value = raw(env, name);
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, 'must be a valid URL');
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must use ${protocols.map((p) => p.replace(':', '://')).join(' or ')}`);
  }
  return value;
}

function secret(env: Env, name: string, fallback: string | undefined): string {
  const value = raw(env, name) ?? fallback;
  if (value === undefined) throw new ConfigError(name, 'is required when DATABASE_URL is set');
  return value;
}

function key32(env: Env, name: string, fallback: string | undefined): Buffer {
  const value = secret(env, name, fallback);
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(value) && key.toString('base64') !== value)) {
    throw new ConfigError(name, 'must be 32 bytes, given as 64 hex digits or base64');
  }
  return key;
}

function required(env: Env, name: string, because: string): string {
  const value = raw(env, name);
  if (value === undefined) throw new ConfigError(name, `is required when ${because} is set`);
  return value;
}

function providerUrl(env: Env, name: string, nodeEnv: AppConfig['nodeEnv']): string | null {
  const value = optionalUrl(env, name, ['https:', 'http:']);
  if (value !== null && nodeEnv === 'production' && new URL(value).protocol !== 'https:') throw new ConfigError(name, 'must use https:// when NODE_ENV=production');
  return value;
}

function oidcProvider(env: Env, nodeEnv: AppConfig['nodeEnv']): OidcProviderConfig | null {
  const issuer = providerUrl(env, 'OIDC_ISSUER', nodeEnv);
  if (issuer === null) return null;
  const scopes = nonEmpty(env, 'OIDC_SCOPES', 'openid email');
  if (!scopes.split(/\s+/).includes('openid')) throw new ConfigError('OIDC_SCOPES', `must include openid (got "${scopes}")`);
  return {
    kind: 'oidc',
    displayName: nonEmpty(env, 'OIDC_DISPLAY_NAME', 'MitID Erhverv'),
    issuer,
    clientId: required(env, 'OIDC_CLIENT_ID', 'OIDC_ISSUER'),
    clientSecret: required(env, 'OIDC_CLIENT_SECRET', 'OIDC_ISSUER'),
    scopes,
    subjectClaim: nonEmpty(env, 'OIDC_SUBJECT_CLAIM', 'sub'),
    cvrClaim: nonEmpty(env, 'OIDC_CVR_CLAIM', 'https://data.gov.dk/model/core/eid/professional/cvr'),
    emailClaim: nonEmpty(env, 'OIDC_EMAIL_CLAIM', 'email'),
  };
}

function samlProvider(env: Env, nodeEnv: AppConfig['nodeEnv']): SamlProviderConfig | null {
  const entryPoint = providerUrl(env, 'SAML_ENTRY_POINT', nodeEnv);
  if (entryPoint === null) return null;
  const certs = required(env, 'SAML_IDP_CERT', 'SAML_ENTRY_POINT')
    .split(/(?=-----BEGIN CERTIFICATE-----)|,/)
    .map((cert) => cert.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''))
    .filter((cert) => cert !== '');
  for (const cert of certs) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(cert) || Buffer.from(cert, 'base64').length < 200) throw new ConfigError('SAML_IDP_CERT', 'must be the IdP signing certificate(s), PEM or base64, separated by commas');
  }
  return {
    kind: 'saml',
    displayName: nonEmpty(env, 'SAML_DISPLAY_NAME', 'Fælleskommunal adgangsstyring'),
    entryPoint,
    entityId: required(env, 'SAML_CLIENT_ID', 'SAML_ENTRY_POINT'),
    idpCerts: certs,
    idpIssuer: raw(env, 'SAML_IDP_ISSUER') ?? null,
    emailAttribute: nonEmpty(env, 'SAML_EMAIL_ATTRIBUTE', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'),
    nameAttribute: nonEmpty(env, 'SAML_NAME_ATTRIBUTE', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'),
    groupAttribute: nonEmpty(env, 'SAML_GROUP_ATTRIBUTE', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'),
    roleMap: roleMap(env),
  };
}

/** `SAML_ROLE_MAP=GG-Mentor-Admin=admin;GG-Mentor-Okonomi=finance`: staff roles only. */
function roleMap(env: Env): SamlProviderConfig['roleMap'] {
  const value = raw(env, 'SAML_ROLE_MAP');
  if (value === undefined) return [];
  return value.split(';').filter((entry) => entry.trim() !== '').map((entry) => {
    const at = entry.lastIndexOf('=');
    const group = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim();
    if (at <= 0 || group === '' || !(ROLES as readonly string[]).includes(role) || role === 'supplier') {
      throw new ConfigError('SAML_ROLE_MAP', `must be group=role pairs separated by ";", the roles among admin, procurement, caseworker, finance (got "${entry.trim()}")`);
    }
    return { group, role: role as Exclude<Role, 'supplier'> };
  });
}

function roleList(env: Env, name: string, fallback: Role[]): Role[] {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (value === 'none') return [];
  const roles = value.split(',').map((role) => role.trim()).filter((role) => role !== '');
  for (const role of roles) if (!(ROLES as readonly string[]).includes(role)) throw new ConfigError(name, `must be "none" or roles among ${ROLES.join(', ')} separated by commas (got "${role}")`);
  return roles as Role[];
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function trustProxy(env: Env): TrustProxy {
  const value = raw(env, 'TRUST_PROXY');
  if (value === undefined || value === 'false') return false;
  if (/^\d+$/.test(value)) return integer(env, 'TRUST_PROXY', 0, 1, 10);
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const bitsValid = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!PROXY_NAMES.has(entry) && (family === 0 || !bitsValid || rest.length > 0)) {
      throw new ConfigError('TRUST_PROXY', `must be false, a number of proxy hops, or a comma-separated list of proxy addresses, subnets, loopback, linklocal or uniquelocal (got "${entry}")`);
    }
  }
  return entries;
}

function businessDate(env: Env, nodeEnv: AppConfig['nodeEnv']): CalendarDate | null {
  const value = raw(env, 'BUSINESS_DATE');
  if (value === undefined) return null;
  if (nodeEnv === 'production') throw new ConfigError('BUSINESS_DATE', 'is not allowed when NODE_ENV=production (the portal follows the clock there)');
  if (!isCalendarDate(value)) throw new ConfigError('BUSINESS_DATE', `must be a date YYYY-MM-DD (got "${value}")`);
  return value;
}

/** smtp:// or smtps:// with a host; the value (it may hold a password) is never repeated in the message. */
function smtpUrl(env: Env): string | null {
  const value = optionalUrl(env, 'SMTP_URL', ['smtp:', 'smtps:']);
  if (value === null) return null;
  const url = new URL(value);
  if (url.hostname === '') throw new ConfigError('SMTP_URL', 'must name the mail server (smtp://user:password@host:port)');
  return value;
}

const MAIL_ADDRESS = /^[^@\s<>"]+@[^@\s<>"]+$/;

function mailFrom(env: Env, publicUrl: string): string {
  const value = raw(env, 'MAIL_FROM');
  if (value === undefined) return `Mentorportalen <noreply@${new URL(publicUrl).hostname}>`;
  const named = /^([^<>"\r\n]{1,100}) <([^<>]+)>$/.exec(value);
  const address = named ? named[2] : value;
  if (!MAIL_ADDRESS.test(address)) throw new ConfigError('MAIL_FROM', `must be an e-mail address, optionally with a name: "Mentorportalen <noreply@kommune.dk>" (got "${value}")`);
  return value;
}

/** The demo municipality's location number, which the examples and the demo's e-invoices are addressed to. */
export const DEFAULT_BUYER_GLN = '5798000000001';

/** The demo municipality's CVR number, the buyer a self-billing invoice names unless BUYER_CVR says otherwise. */
export const DEFAULT_BUYER_CVR = '29189730';

function buyerGlns(env: Env): readonly string[] {
  const value = raw(env, 'BUYER_GLNS');
  if (value === undefined) return [DEFAULT_BUYER_GLN];
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (!isGln(entry)) throw new ConfigError('BUYER_GLNS', `must be a comma-separated list of location numbers (EAN/GLN, 13 digits with a valid check digit) (got "${entry}")`);
  }
  return entries;
}

// A GS1 location number: 13 digits, the last the check digit of the twelve before (weights 3 and 1 from the right).
function isGln(value: string): boolean {
  if (!/^\d{13}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(value[11 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(value[12]);
}

// The Central Business Register's check: weights 2, 7, 6, 5, 4, 3, 2, 1, the weighted digit sum divisible by 11.
function isCvr(value: string): boolean {
  if (!/^[1-9]\d{7}$/.test(value)) return false;
  const sum = [2, 7, 6, 5, 4, 3, 2, 1].reduce((total, weight, i) => total + weight * Number(value[i]), 0);
  return sum % 11 === 0;
}
