import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A MitID Erhverv employee as the test broker knows them: the login typed on its page is the subject. */
export interface BrokerAccount {
  email: string;
  cvr: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, BrokerAccount>;
  close(): Promise<void>;
}

export const CVR_CLAIM = 'https://data.gov.dk/model/core/eid/professional/cvr';

/** A free port on loopback, for a server whose address must be known before it starts. */
export async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

async function formBody(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A real OpenID provider (oidc-provider) on loopback, standing in for the MitID Erhverv broker: one confidential
 * client for the portal, PKCE required, the CVR claim under its NemLog-in name, RP-initiated logout. Its own
 * pages (sign-in, sign-out) load nothing from elsewhere.
 */
export async function startOidcProvider(options: { portalUrl: string; port?: number }): Promise<TestOidcProvider> {
  const port = options.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'mentorportal';
  const clientSecret = randomBytes(24).toString('base64url');
  const accounts = new Map<string, BrokerAccount>();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-broker', use: 'sig', alg: 'RS256' };

  // oidc-provider tells a quick-start set-up what a production one would change (its in-memory adapter, default
  // lifetimes), once per process; that is what a test wants, so those notes are kept out of the test output.
  const quiet = (write: (...args: unknown[]) => void) => (...args: unknown[]) => (typeof args[0] === 'string' && args[0].startsWith('oidc-provider ') ? undefined : write(...args));
  /* eslint-disable no-console -- the provider writes these notes to the console itself */
  const { warn, info } = console;
  console.warn = quiet(warn);
  console.info = quiet(info);
  /* eslint-enable no-console */
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${options.portalUrl}/auth/oidc/callback`],
        post_logout_redirect_uris: [`${options.portalUrl}/login`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email'], nemlogin: [CVR_CLAIM] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = page('Log ud hos mægleren', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, log mig ud</button>`);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = page('Du er logget ud', '');
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, email: account.email, [CVR_CLAIM]: account.cvr }) };
    },
  });

  // The broker's own sign-in page: the login typed is the MitID subject; consent is given at once.
  provider.use(async (ctx, next) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(ctx.path);
    if (!match) return next();
    const req = ctx.req as IncomingMessage;
    const res = ctx.res as ServerResponse;
    const details = await provider.interactionDetails(req, res);
    ctx.respond = false;
    if (match[2] && ctx.method === 'POST') {
      const login = (await formBody(req)).get('login') ?? '';
      await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
      return;
    }
    if (details.prompt.name === 'login') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(page('MitID Erhverv (test)', `<form method="post" action="/interaction/${details.uid}/login"><label for="login">Bruger-id</label><input id="login" name="login"><button type="submit">Log ind</button></form>`));
      return;
    }
    const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  });

  const server = provider.listen(port, '127.0.0.1');
  server.once('close', () => {
    /* eslint-disable no-console */
    console.warn = warn;
    console.info = info;
    /* eslint-enable no-console */
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
