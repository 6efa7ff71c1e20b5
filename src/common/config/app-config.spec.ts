import { ConfigError, generateDemoSecrets, loadConfig } from './app-config';

const prodSecrets = {
  DATABASE_URL: 'postgres://app@db:5432/mentor',
  SESSION_SECRET: 'x'.repeat(32),
  CPR_ENCRYPTION_KEY: '0'.repeat(64),
};

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses defaults in embedded demo mode with generated secrets', () => {
    const secrets = generateDemoSecrets();
    const config = loadConfig({}, secrets);
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeNull();
    expect(config.redisUrl).toBeNull();
    expect(config.dataDir).toBe('./data');
    expect(config.sessionSecret).toBe(secrets.sessionSecret);
    expect(config.cprEncryptionKey).toHaveLength(32);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.oidc).toBeNull();
  });

  it('keeps mails in the outbox without SMTP_URL and refuses a mail server address it cannot use, naming the variable', () => {
    const config = loadConfig({ ...prodSecrets });
    expect(config.smtpUrl).toBeNull();
    expect(config.mailFrom).toBe('Mentorportalen <noreply@localhost>');
    expect(loadConfig({ ...prodSecrets, SMTP_URL: 'smtp://portal:hemmelig@mail.kommune.dk:587', MAIL_FROM: 'Jobcenter <mentor@kommune.dk>' })).toMatchObject({
      smtpUrl: 'smtp://portal:hemmelig@mail.kommune.dk:587',
      mailFrom: 'Jobcenter <mentor@kommune.dk>',
    });
    expect(loadConfig({ ...prodSecrets, PUBLIC_URL: 'https://mentor.kommune.dk' }).mailFrom).toBe('Mentorportalen <noreply@mentor.kommune.dk>');
    for (const bad of ['not a url', 'http://mail.kommune.dk', 'smtp://']) {
      const error = errorOf(() => loadConfig({ ...prodSecrets, SMTP_URL: bad }));
      expect(error.variable).toBe('SMTP_URL');
    }
    // The password in the address is never repeated.
    expect(errorOf(() => loadConfig({ ...prodSecrets, SMTP_URL: 'imap://u:hemmelig@mail' })).message).not.toContain('hemmelig');
    expect(errorOf(() => loadConfig({ ...prodSecrets, MAIL_FROM: 'noreply' })).variable).toBe('MAIL_FROM');
    expect(errorOf(() => loadConfig({ ...prodSecrets, MAIL_FROM: 'A <b>' })).variable).toBe('MAIL_FROM');
  });

  it('pins the business day only outside production, and only to a real date', () => {
    expect(loadConfig({ ...prodSecrets }).businessDate).toBeNull();
    expect(loadConfig({ ...prodSecrets, NODE_ENV: 'test', BUSINESS_DATE: '2026-11-25' }).businessDate).toBe('2026-11-25');
    expect(errorOf(() => loadConfig({ ...prodSecrets, BUSINESS_DATE: '2026-02-30' })).message).toBe(
      'Configuration error: BUSINESS_DATE must be a date YYYY-MM-DD (got "2026-02-30")',
    );
    expect(errorOf(() => loadConfig({ ...prodSecrets, NODE_ENV: 'production', BUSINESS_DATE: '2026-11-25' })).variable).toBe('BUSINESS_DATE');
  });

  it('addresses e-invoices to the demo location number unless BUYER_GLNS names the municipality’s, each with a valid check digit', () => {
    expect(loadConfig({ ...prodSecrets }).buyerEndpoints).toEqual(['5798000000001']);
    expect(loadConfig({ ...prodSecrets, BUYER_GLNS: '5790001234560, 5798000000001' }).buyerEndpoints).toEqual(['5790001234560', '5798000000001']);
    expect(errorOf(() => loadConfig({ ...prodSecrets, BUYER_GLNS: '5798000000002' })).variable).toBe('BUYER_GLNS');
    expect(errorOf(() => loadConfig({ ...prodSecrets, BUYER_GLNS: '12345' })).variable).toBe('BUYER_GLNS');
  });

  it('knows this municipality by MUNICIPALITY_CODE, one of the 98 codes, or not at all', () => {
    expect(loadConfig({ ...prodSecrets }).municipalityCode).toBeNull();
    expect(loadConfig({ ...prodSecrets, MUNICIPALITY_CODE: '840' }).municipalityCode).toBe('840');
    expect(loadConfig({ ...prodSecrets, MUNICIPALITY_CODE: '0751' }).municipalityCode).toBe('751');
    expect(errorOf(() => loadConfig({ ...prodSecrets, MUNICIPALITY_CODE: '411' })).variable).toBe('MUNICIPALITY_CODE');
    expect(errorOf(() => loadConfig({ ...prodSecrets, MUNICIPALITY_CODE: 'Rebild' })).variable).toBe('MUNICIPALITY_CODE');
  });

  it('names the buyer of a self-billing invoice by BUYER_NAME, BUYER_GLN and BUYER_CVR, the CVR with a valid modulus-11 check', () => {
    expect(loadConfig({ ...prodSecrets }).buyer).toEqual({ name: 'Jobcentret', gln: '5798000000001', cvr: '29189730' });
    expect(loadConfig({ ...prodSecrets, BUYER_NAME: 'Gribskov Kommune', BUYER_GLN: '5790001234560', BUYER_CVR: '29143471' }).buyer).toEqual({ name: 'Gribskov Kommune', gln: '5790001234560', cvr: '29143471' });
    expect(errorOf(() => loadConfig({ ...prodSecrets, BUYER_CVR: '29143472' })).message).toBe('Configuration error: BUYER_CVR must be a CVR number: 8 digits with a valid modulus-11 check (got "29143472")');
    expect(errorOf(() => loadConfig({ ...prodSecrets, BUYER_CVR: '2914347' })).variable).toBe('BUYER_CVR');
    expect(errorOf(() => loadConfig({ ...prodSecrets, BUYER_CVR: '09143471' })).variable).toBe('BUYER_CVR');
  });

  it('reads a full production environment', () => {
    const config = loadConfig({ ...prodSecrets, NODE_ENV: 'production', PORT: '8080', REDIS_URL: 'redis://cache:6379', LOG_LEVEL: 'warn' });
    expect(config.port).toBe(8080);
    expect(config.redisUrl).toBe('redis://cache:6379');
    expect(config.cookieSecure).toBe(true);
    expect(config.logLevel).toBe('warn');
    expect(config.cprEncryptionKey.equals(Buffer.alloc(32))).toBe(true);
  });

  it('requires secrets when DATABASE_URL is set, even if demo secrets exist', () => {
    const error = errorOf(() => loadConfig({ DATABASE_URL: prodSecrets.DATABASE_URL }, generateDemoSecrets()));
    expect(error.variable).toBe('SESSION_SECRET');
    expect(error.message).toBe('Configuration error: SESSION_SECRET is required when DATABASE_URL is set');
  });

  it('refuses the embedded database in production', () => {
    expect(errorOf(() => loadConfig({ NODE_ENV: 'production' }, generateDemoSecrets())).variable).toBe('DATABASE_URL');
  });

  it.each([
    ['PORT', 'abc', 'must be a whole number (got "abc")'],
    ['PORT', '70000', 'must be between 1 and 65535 (got 70000)'],
    ['DATABASE_URL', 'mysql://x', 'must use postgres:// or postgresql://'],
    ['DATABASE_URL', 'not a url', 'must be a valid URL'],
    ['REDIS_URL', 'http://x', 'must use redis:// or rediss://'],
    ['LOG_LEVEL', 'loud', 'must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    ['COOKIE_SECURE', 'yes', 'must be true or false (got "yes")'],
    ['SESSION_SECRET', 'short', 'must be at least 32 characters'],
    ['CPR_ENCRYPTION_KEY', 'abcd', 'must be 32 bytes, given as 64 hex digits or base64'],
    ['CPR_ENCRYPTION_KEY', 'z'.repeat(64), 'must be 32 bytes, given as 64 hex digits or base64'],
  ])('rejects %s=%s naming the variable', (variable, value, rule) => {
    const error = errorOf(() => loadConfig({ ...prodSecrets, [variable]: value }));
    expect(error.variable).toBe(variable);
    expect(error.message).toBe(`Configuration error: ${variable} ${rule}`);
  });

  it('accepts a base64 key of exactly 32 bytes', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ ...prodSecrets, CPR_ENCRYPTION_KEY: key }).cprEncryptionKey[0]).toBe(7);
  });

  it('configures a federated provider only when it is complete', () => {
    expect(errorOf(() => loadConfig({ ...prodSecrets, OIDC_ISSUER: 'https://broker.example/' })).variable).toBe('OIDC_CLIENT_ID');
    const config = loadConfig({ ...prodSecrets, OIDC_ISSUER: 'https://broker.example/', OIDC_CLIENT_ID: 'portal', OIDC_CLIENT_SECRET: 's' });
    expect(config.oidc).toEqual({
      kind: 'oidc',
      issuer: 'https://broker.example/',
      clientId: 'portal',
      clientSecret: 's',
      displayName: 'MitID Erhverv',
      scopes: 'openid email',
      subjectClaim: 'sub',
      cvrClaim: 'https://data.gov.dk/model/core/eid/professional/cvr',
      emailClaim: 'email',
    });
    expect(config.saml).toBeNull();
    expect(errorOf(() => loadConfig({ ...prodSecrets, NODE_ENV: 'production', OIDC_ISSUER: 'http://broker.example/', OIDC_CLIENT_ID: 'portal', OIDC_CLIENT_SECRET: 's' })).message).toBe(
      'Configuration error: OIDC_ISSUER must use https:// when NODE_ENV=production',
    );
  });

  it('reads the SAML provider with its group-to-role map, staff roles only', () => {
    const cert = Buffer.alloc(300, 7).toString('base64');
    const saml = { ...prodSecrets, SAML_ENTRY_POINT: 'https://idp.example/sso', SAML_CLIENT_ID: 'https://portal.example/saml', SAML_IDP_CERT: `-----BEGIN CERTIFICATE-----\n${cert}\n-----END CERTIFICATE-----` };
    expect(loadConfig({ ...saml, SAML_ROLE_MAP: 'GG Okonomi=finance; GG-Admin=admin' }).saml).toMatchObject({
      entryPoint: 'https://idp.example/sso',
      entityId: 'https://portal.example/saml',
      idpCerts: [cert],
      idpIssuer: null,
      roleMap: [
        { group: 'GG Okonomi', role: 'finance' },
        { group: 'GG-Admin', role: 'admin' },
      ],
    });
    expect(errorOf(() => loadConfig({ ...saml, SAML_ROLE_MAP: 'GG-Lev=supplier' })).variable).toBe('SAML_ROLE_MAP');
    expect(errorOf(() => loadConfig({ ...saml, SAML_IDP_CERT: 'not a certificate' })).variable).toBe('SAML_IDP_CERT');
  });

  it('asks admin and finance for a second factor outside the embedded demo, unless told otherwise', () => {
    expect(loadConfig({ ...prodSecrets }).twoFactorRoles).toEqual(['admin', 'finance']);
    expect(loadConfig({}, { sessionSecret: 'x'.repeat(32), cprEncryptionKey: Buffer.alloc(32).toString('base64') }).twoFactorRoles).toEqual([]);
    expect(loadConfig({ ...prodSecrets, TWO_FACTOR_ROLES: 'none' }).twoFactorRoles).toEqual([]);
    expect(loadConfig({ ...prodSecrets, TWO_FACTOR_ROLES: 'admin,finance,procurement' }).twoFactorRoles).toEqual(['admin', 'finance', 'procurement']);
    expect(errorOf(() => loadConfig({ ...prodSecrets, TWO_FACTOR_ROLES: 'boss' })).variable).toBe('TWO_FACTOR_ROLES');
  });

  it('trusts no proxy unless told, so X-Forwarded-For cannot choose the client address', () => {
    expect(loadConfig({ ...prodSecrets }).trustProxy).toBe(false);
    expect(loadConfig({ ...prodSecrets, TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ ...prodSecrets, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...prodSecrets, TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
    expect(errorOf(() => loadConfig({ ...prodSecrets, TRUST_PROXY: 'true' })).message).toBe(
      'Configuration error: TRUST_PROXY must be false, a number of proxy hops, or a comma-separated list of proxy addresses, subnets, loopback, linklocal or uniquelocal (got "true")',
    );
    expect(errorOf(() => loadConfig({ ...prodSecrets, TRUST_PROXY: '10.0.0.0/33' })).variable).toBe('TRUST_PROXY');
    expect(errorOf(() => loadConfig({ ...prodSecrets, TRUST_PROXY: '0' })).message).toBe('Configuration error: TRUST_PROXY must be between 1 and 10 (got 0)');
  });

  it('reads the sign-in budgets, the hash limit and the idle timeout with their defaults', () => {
    const config = loadConfig({ ...prodSecrets });
    expect([config.sessionIdleMinutes, config.loginRateLimitPerMinute, config.loginAddressLimitPerMinute, config.loginGlobalLimitPerMinute, config.loginHashConcurrency, config.loginHashQueue]).toEqual([
      30, 10, 30, 600, 2, 32,
    ]);
    expect(errorOf(() => loadConfig({ ...prodSecrets, SESSION_IDLE_MINUTES: '1' })).message).toBe('Configuration error: SESSION_IDLE_MINUTES must be between 2 and 1440 (got 1)');
    expect(errorOf(() => loadConfig({ ...prodSecrets, LOGIN_HASH_CONCURRENCY: '0' })).variable).toBe('LOGIN_HASH_CONCURRENCY');
  });
});
