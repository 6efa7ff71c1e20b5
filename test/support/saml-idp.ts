import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';

/**
 * A SAML 2.0 identity provider for the tests: it signs real assertions (xml-crypto, RSA-SHA256, exclusive
 * c14n) with a test key, the way ADFS or an Entra ID federation does, and can be told to get them wrong.
 */
export const IDP_KEY = readFileSync(join(__dirname, 'saml', 'idp-signing.key'), 'utf8');
export const IDP_CERT = readFileSync(join(__dirname, 'saml', 'idp-signing.crt'), 'utf8');
export const IDP_ENTITY_ID = 'https://adgang.kommune.test/adfs/services/trust';
export const IDP_SSO_URL = 'http://127.0.0.1:9/adfs/ls/';
export const GROUPS = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups';
export const EMAIL = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
export const NAME = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';

export interface AssertionSpec {
  inResponseTo: string;
  nameId: string;
  audience: string;
  recipient: string;
  destination?: string;
  attributes?: Record<string, string[]>;
  /** Seconds from now; negative for the past. */
  notBefore?: number;
  notOnOrAfter?: number;
  assertionId?: string;
  issuer?: string;
  /** Another private key: a signature the portal does not trust. */
  signingKey?: string;
}

const iso = (secondsFromNow: number) => new Date(Date.now() + secondsFromNow * 1000).toISOString();
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The ID of the AuthnRequest in the portal's redirect to the IdP (HTTP-Redirect binding: deflated, base64). */
export function authnRequestId(location: string): string {
  const xml = inflateRawSync(Buffer.from(new URL(location).searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  return /\sID="([^"]+)"/.exec(xml)![1];
}

/** The signed assertion alone (XML), for tests that build their own response around it. */
export function signedAssertion(spec: AssertionSpec): { xml: string; id: string } {
  const id = spec.assertionId ?? `_${randomBytes(16).toString('hex')}`;
  const attributes = Object.entries(spec.attributes ?? {})
    .map(([name, values]) => `<saml:Attribute Name="${escape(name)}">${values.map((value) => `<saml:AttributeValue>${escape(value)}</saml:AttributeValue>`).join('')}</saml:Attribute>`)
    .join('');
  const assertion =
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(0)}">` +
    `<saml:Issuer>${escape(spec.issuer ?? IDP_ENTITY_ID)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${escape(spec.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${spec.inResponseTo}" NotOnOrAfter="${iso(spec.notOnOrAfter ?? 300)}" Recipient="${escape(spec.recipient)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(spec.notBefore ?? -60)}" NotOnOrAfter="${iso(spec.notOnOrAfter ?? 300)}"><saml:AudienceRestriction><saml:Audience>${escape(spec.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(-5)}" SessionIndex="${id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
    `</saml:Assertion>`;
  const signer = new SignedXml({
    privateKey: spec.signingKey ?? IDP_KEY,
    publicCert: spec.signingKey ? undefined : IDP_CERT,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  signer.addReference({
    xpath: `//*[local-name(.)='Assertion' and @ID='${id}']`,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  signer.computeSignature(assertion, { prefix: 'ds', location: { reference: `//*[local-name(.)='Issuer']`, action: 'after' } });
  return { xml: signer.getSignedXml(), id };
}

/** A Response around one or more assertions (XML). */
export function responseXml(spec: { inResponseTo: string; destination: string; body: string }): string {
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_${randomBytes(16).toString('hex')}" Version="2.0" IssueInstant="${iso(0)}" Destination="${escape(spec.destination)}" InResponseTo="${spec.inResponseTo}">` +
    `<saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    spec.body +
    `</samlp:Response>`
  );
}

/** The base64 SAMLResponse the IdP's auto-submitting form POSTs to the assertion consumer service. */
export function samlResponse(spec: AssertionSpec): string {
  return Buffer.from(responseXml({ inResponseTo: spec.inResponseTo, destination: spec.destination ?? spec.recipient, body: signedAssertion(spec).xml })).toString('base64');
}
