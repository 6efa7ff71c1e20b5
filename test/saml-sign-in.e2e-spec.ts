import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { systemActor } from '../src/common/actor';
import { UsersService } from '../src/identity/users.service';
import { authnRequestId, EMAIL, GROUPS, IDP_CERT, IDP_ENTITY_ID, IDP_SSO_URL, NAME, responseXml, samlResponse, signedAssertion, type AssertionSpec } from './support/saml-idp';
import { makeSupplier, startTestApp, type TestApp } from './support/test-app';

const PUBLIC_URL = 'http://127.0.0.1:3999';
const ACS = `${PUBLIC_URL}/auth/saml/acs`;
const ENTITY_ID = 'https://mentorportal.kommune.test/saml';
const samlEnv = (extra: Record<string, string> = {}) => ({
  PUBLIC_URL,
  SAML_ENTRY_POINT: IDP_SSO_URL,
  SAML_CLIENT_ID: ENTITY_ID,
  SAML_IDP_CERT: IDP_CERT,
  SAML_IDP_ISSUER: IDP_ENTITY_ID,
  SAML_DISPLAY_NAME: 'Fælleskommunal adgangsstyring',
  ...extra,
});

/** Starts a sign-in at the portal and answers the AuthnRequest id the IdP must name. */
async function startSignIn(t: TestApp, next = '/'): Promise<string> {
  const response = await t.http.get('/auth/saml/login').query({ next }).expect(302);
  expect(response.headers.location).toMatch(new RegExp(`^${IDP_SSO_URL.replace(/[.?]/g, '\\$&')}\\?SAMLRequest=`));
  expect(new URL(response.headers.location as string).searchParams.get('RelayState')).toBe(next);
  return authnRequestId(response.headers.location as string);
}

const post = (t: TestApp, SAMLResponse: string, RelayState = '/') => t.http.post('/auth/saml/acs').type('form').send({ SAMLResponse, RelayState });
const base64 = (xml: string) => Buffer.from(xml).toString('base64');
const count = async (t: TestApp, sql: string): Promise<number> => (await t.dataSource.query(sql))[0].n as number;
const lastFailures = async (t: TestApp, n: number) =>
  (await t.dataSource.query(`SELECT change FROM audit_entry WHERE action = 'auth.login_failed' ORDER BY id DESC LIMIT $1`, [n])).map((row: { change: Record<string, unknown> }) => row.change).reverse();

describe('staff sign-in with SAML 2.0, groups mapped to roles', () => {
  let t: TestApp;
  const employee = (requestId: string, overrides: Partial<AssertionSpec> = {}): AssertionSpec => ({
    inResponseTo: requestId,
    nameId: 'S-1-5-21-1004-3344',
    audience: ENTITY_ID,
    recipient: ACS,
    attributes: { [EMAIL]: ['Mette.Sagsbehandler@kommune.test'], [NAME]: ['Mette Sagsbehandler'], [GROUPS]: ['GG-Alle-Ansatte', 'GG-Mentor-Sagsbehandler'] },
    ...overrides,
  });

  beforeAll(async () => {
    t = await startTestApp({ redis: false, env: samlEnv({ SAML_ROLE_MAP: 'GG-Mentor-Okonomi=finance;GG-Mentor-Sagsbehandler=caseworker' }) });
  });
  afterAll(() => t.close());

  it('offers the provider on the sign-in page', async () => {
    const page = await t.http.get('/login?next=/grants').expect(200);
    expect(page.text).toContain('<a class="button" href="/auth/saml/login?next&#x3D;%2Fgrants">Log ind med Fælleskommunal adgangsstyring</a>');
  });

  it('publishes the service provider metadata', async () => {
    const response = await t.http.get('/auth/saml/metadata').expect(200);
    expect(response.headers['content-type']).toContain('application/samlmetadata+xml');
    expect(response.text).toContain(`entityID="${ENTITY_ID}"`);
    expect(response.text).toContain(`Location="${ACS}"`);
    expect(response.text).toContain('WantAssertionsSigned="true"');
  });

  it('creates an unknown employee just in time with the role of the first mapped group, signs in, and goes where the sign-in started', async () => {
    const requestId = await startSignIn(t, '/grants');
    const response = await post(t, samlResponse(employee(requestId)), '/grants').expect(303);
    expect(response.headers.location).toBe('/grants');
    expect(String(response.headers['set-cookie'])).toMatch(/mps_session=mps_/);
    const [user] = await t.dataSource.query(`SELECT id, email, display_name, role, password_hash, external_provider, external_subject, last_login_method FROM app_user WHERE external_subject = 'S-1-5-21-1004-3344'`);
    expect(user).toMatchObject({ email: 'mette.sagsbehandler@kommune.test', display_name: 'Mette Sagsbehandler', role: 'caseworker', password_hash: null, external_provider: 'saml', last_login_method: 'saml' });
    const created = await t.dataSource.query(`SELECT actor_label, change FROM audit_entry WHERE action = 'user.created' AND entity_id = $1`, [user.id]);
    expect(created).toEqual([{ actor_label: 'system:saml', change: { email: user.email, displayName: 'Mette Sagsbehandler', role: 'caseworker', supplierId: null, via: 'saml' } }]);
  });

  it('takes the role from the groups at each sign-in', async () => {
    const requestId = await startSignIn(t);
    await post(t, samlResponse(employee(requestId, { attributes: { [EMAIL]: ['mette.sagsbehandler@kommune.test'], [GROUPS]: ['GG-Mentor-Okonomi', 'GG-Mentor-Sagsbehandler'] } }))).expect(303);
    const [user] = await t.dataSource.query(`SELECT role FROM app_user WHERE external_subject = 'S-1-5-21-1004-3344'`);
    expect(user.role).toBe('finance');
  });

  it('refuses a tampered signature, a foreign signature, a wrong audience, a wrong recipient, an expired and a replayed assertion, and a response to no request: 401, nothing created, each audited', async () => {
    const usersBefore = await count(t, `SELECT count(*)::int AS n FROM app_user`);
    const sessionsBefore = await count(t, `SELECT count(*)::int AS n FROM auth_session`);
    const newcomer = (requestId: string, overrides: Partial<AssertionSpec> = {}) =>
      employee(requestId, { nameId: 'S-1-5-21-1004-9999', attributes: { [EMAIL]: ['ny@kommune.test'], [GROUPS]: ['GG-Mentor-Okonomi'] }, ...overrides });

    // Tampered: the NameID changed after signing.
    let requestId = await startSignIn(t);
    const genuine = Buffer.from(samlResponse(newcomer(requestId)), 'base64').toString('utf8');
    await post(t, base64(genuine.replace('S-1-5-21-1004-9999', 'S-1-5-21-1004-0001'))).expect(401);
    // Signed by a key the portal does not trust.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    requestId = await startSignIn(t);
    await post(t, samlResponse(newcomer(requestId, { signingKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }))).expect(401);
    // Meant for another service provider.
    requestId = await startSignIn(t);
    await post(t, samlResponse(newcomer(requestId, { audience: 'https://andet-system.kommune.test/saml' }))).expect(401);
    // Addressed to another assertion consumer service.
    requestId = await startSignIn(t);
    await post(t, samlResponse(newcomer(requestId, { recipient: 'https://andet-system.kommune.test/acs', destination: ACS }))).expect(401);
    // Expired five minutes ago.
    requestId = await startSignIn(t);
    await post(t, samlResponse(newcomer(requestId, { notBefore: -900, notOnOrAfter: -300 }))).expect(401);
    // No request of this portal behind it (unsolicited, or a request id it never sent).
    await post(t, samlResponse(newcomer('_0123456789abcdef0123456789abcdef'))).expect(401);
    // The screen's page shows the one message.
    const page = await post(t, samlResponse(newcomer('_0123456789abcdef0123456789abcdef'))).expect(401);
    expect(page.text).toContain('Log-ind kunne ikke gennemføres');

    expect(await count(t, `SELECT count(*)::int AS n FROM app_user`)).toBe(usersBefore);
    expect(await count(t, `SELECT count(*)::int AS n FROM auth_session`)).toBe(sessionsBefore);
    expect(await lastFailures(t, 7)).toEqual([
      { provider: 'saml', reason: 'invalid_signature' },
      { provider: 'saml', reason: 'invalid_signature' },
      { provider: 'saml', reason: 'wrong_audience' },
      { provider: 'saml', reason: 'wrong_recipient' },
      { provider: 'saml', reason: 'expired' },
      { provider: 'saml', reason: 'unknown_request' },
      { provider: 'saml', reason: 'unknown_request' },
    ]);
  });

  it('accepts a response once: the same response again, or its assertion in an answer to another request, is refused and audited', async () => {
    const requestId = await startSignIn(t);
    const spec = employee(requestId);
    const signed = signedAssertion(spec);
    const response = base64(responseXml({ inResponseTo: requestId, destination: ACS, body: signed.xml }));
    await post(t, response).expect(303);
    await post(t, response).expect(401);
    const another = await startSignIn(t);
    await post(t, base64(responseXml({ inResponseTo: another, destination: ACS, body: signed.xml }))).expect(401);
    expect(await lastFailures(t, 2)).toEqual([
      { provider: 'saml', reason: 'replayed' },
      { provider: 'saml', reason: 'replayed' },
    ]);
  });

  it('refuses XML signature wrapping: a forged assertion beside or around the signed one', async () => {
    const usersBefore = await count(t, `SELECT count(*)::int AS n FROM app_user`);
    const forged = (requestId: string, signedId: string) =>
      `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${signedId}" Version="2.0" IssueInstant="${new Date().toISOString()}"><saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer>` +
      `<saml:Subject><saml:NameID>S-1-5-21-1004-0666</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${requestId}" NotOnOrAfter="${new Date(Date.now() + 300_000).toISOString()}" Recipient="${ACS}"/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions><saml:AudienceRestriction><saml:Audience>${ENTITY_ID}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AttributeStatement><saml:Attribute Name="${EMAIL}"><saml:AttributeValue>angriber@kommune.test</saml:AttributeValue></saml:Attribute><saml:Attribute Name="${GROUPS}"><saml:AttributeValue>GG-Mentor-Okonomi</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>`;

    // The forged assertion is the response's; the signed one hides in an extension, its signature moved into the forged one.
    let requestId = await startSignIn(t);
    const signed = signedAssertion(employee(requestId));
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed.xml)![0];
    const withoutSignature = signed.xml.replace(signature, '');
    const wrapped = forged(requestId, signed.id).replace('</saml:Issuer>', `</saml:Issuer>${signature}`);
    await post(t, base64(responseXml({ inResponseTo: requestId, destination: ACS, body: `<samlp:Extensions>${withoutSignature}</samlp:Extensions>${wrapped}` }))).expect(401);
    // The signed assertion first, a forged one after it.
    requestId = await startSignIn(t);
    const second = signedAssertion(employee(requestId));
    await post(t, base64(responseXml({ inResponseTo: requestId, destination: ACS, body: second.xml + forged(requestId, '_forged') }))).expect(401);
    // The forged assertion wraps the signed one.
    requestId = await startSignIn(t);
    const third = signedAssertion(employee(requestId));
    await post(t, base64(responseXml({ inResponseTo: requestId, destination: ACS, body: forged(requestId, '_forged2').replace('</saml:Issuer>', `</saml:Issuer>${third.xml}`) }))).expect(401);

    expect(await count(t, `SELECT count(*)::int AS n FROM app_user`)).toBe(usersBefore);
    expect(await count(t, `SELECT count(*)::int AS n FROM app_user WHERE email = 'angriber@kommune.test' OR external_subject = 'S-1-5-21-1004-0666'`)).toBe(0);
    const reasons = (await lastFailures(t, 3)).map((change: Record<string, unknown>) => change.reason);
    expect(reasons).toEqual(['invalid_signature', 'invalid_signature', 'invalid_signature']);
  });

  it('refuses an employee in none of the mapped groups, and a supplier user', async () => {
    let requestId = await startSignIn(t);
    await post(t, samlResponse(employee(requestId, { nameId: 'S-1-5-21-1004-5555', attributes: { [EMAIL]: ['uden.gruppe@kommune.test'], [GROUPS]: ['GG-Alle-Ansatte'] } }))).expect(401);
    expect(await count(t, `SELECT count(*)::int AS n FROM app_user WHERE email = 'uden.gruppe@kommune.test'`)).toBe(0);
    expect((await lastFailures(t, 1))[0]).toMatchObject({ provider: 'saml', reason: 'no_mapped_group', subject: 'S-1-5-21-1004-5555' });

    const supplier = await makeSupplier(t);
    await t.app.get(UsersService).create({ email: 'lev@mentorfirma.dk', displayName: 'Lev', role: 'supplier', supplierId: supplier.id, password: null, language: 'da' }, systemActor('test'));
    requestId = await startSignIn(t);
    await post(t, samlResponse(employee(requestId, { nameId: 'S-1-5-21-1004-7777', attributes: { [EMAIL]: ['lev@mentorfirma.dk'], [GROUPS]: ['GG-Mentor-Okonomi'] } }))).expect(401);
    const [linked] = await t.dataSource.query(`SELECT role, external_subject FROM app_user WHERE email = 'lev@mentorfirma.dk'`);
    expect(linked).toEqual({ role: 'supplier', external_subject: null });
    expect((await lastFailures(t, 1))[0]).toMatchObject({ provider: 'saml', reason: 'unknown_subject', subject: 'S-1-5-21-1004-7777' });
  });
});

describe('hostile SAML responses', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ redis: false, env: samlEnv({ SAML_ROLE_MAP: 'GG-Mentor-Okonomi=finance' }) });
  });
  afterAll(() => t.close());

  it('answers random text, random base64, XML with a DTD or entities, and a logout request with 401 and the sign-in page; never a 5xx, never a user', async () => {
    const requestId = await startSignIn(t);
    const genuine = Buffer.from(samlResponse({ inResponseTo: requestId, nameId: 'S-1', audience: ENTITY_ID, recipient: ACS, attributes: { [EMAIL]: ['x@kommune.test'], [GROUPS]: ['GG-Mentor-Okonomi'] } }), 'base64').toString('utf8');
    const bodies = fc.oneof(
      fc.string({ maxLength: 200 }).map((text) => ({ SAMLResponse: text })),
      fc.uint8Array({ maxLength: 400 }).map((bytes) => ({ SAMLResponse: Buffer.from(bytes).toString('base64') })),
      fc.string({ maxLength: 40 }).map((text) => ({ SAMLResponse: base64(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "${text.replace(/"/g, '')}">]>${genuine.replace('S-1', '&x;')}`) })),
      fc.integer({ min: 0, max: genuine.length - 1 }).map((at) => ({ SAMLResponse: base64(genuine.slice(0, at)) })),
      fc.constant({ SAMLRequest: base64('<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>') }),
      fc.constant({}),
    );
    const usersBefore = await count(t, `SELECT count(*)::int AS n FROM app_user`);
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const response = await t.http.post('/auth/saml/acs').type('form').send(body);
        expect({ status: response.status, page: response.text.includes('Log-ind kunne ikke gennemføres') }).toEqual({ status: 401, page: true });
      }),
      { numRuns: 40, endOnFailure: true },
    );
    expect(await count(t, `SELECT count(*)::int AS n FROM app_user`)).toBe(usersBefore);
  });
});

describe('staff sign-in with SAML 2.0 without a group map: provisioned users only', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ redis: false, env: samlEnv() });
  });
  afterAll(() => t.close());

  it('links a provisioned staff user by e-mail at the first sign-in, keeps the role an admin gave, and refuses an unknown employee', async () => {
    await t.app.get(UsersService).create({ email: 'jens.indkob@kommune.test', displayName: 'Jens Indkøb', role: 'procurement', supplierId: null, password: null, language: 'da' }, systemActor('test'));
    let requestId = await startSignIn(t);
    await post(t, samlResponse({ inResponseTo: requestId, nameId: 'S-1-5-21-2000-1', audience: ENTITY_ID, recipient: ACS, attributes: { [EMAIL]: ['jens.indkob@kommune.test'], [GROUPS]: ['GG-Mentor-Okonomi'] } })).expect(303);
    const [user] = await t.dataSource.query(`SELECT role, external_subject FROM app_user WHERE email = 'jens.indkob@kommune.test'`);
    expect(user).toEqual({ role: 'procurement', external_subject: 'S-1-5-21-2000-1' });

    const before = await count(t, `SELECT count(*)::int AS n FROM app_user`);
    requestId = await startSignIn(t);
    await post(t, samlResponse({ inResponseTo: requestId, nameId: 'S-1-5-21-2000-2', audience: ENTITY_ID, recipient: ACS, attributes: { [EMAIL]: ['ukendt@kommune.test'] } })).expect(401);
    expect(await count(t, `SELECT count(*)::int AS n FROM app_user`)).toBe(before);
    expect((await lastFailures(t, 1))[0]).toMatchObject({ provider: 'saml', reason: 'unknown_subject', subject: 'S-1-5-21-2000-2', email: 'ukendt@kommune.test' });
  });
});
