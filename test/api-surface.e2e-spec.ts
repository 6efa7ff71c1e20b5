import { ANSWER_ERROR_CODES, DETAIL_ERROR_CODES, ERROR_CATALOGUE_TAGS, errorCodesOf } from '../src/error-codes';
import { appRoutes, concretePath } from './support/routes';
import { startTestApp, type TestApp } from './support/test-app';

/** API routes anyone may call. Everything else under /api must answer 401 without a sign-in. */
const PUBLIC_API_ROUTES = new Set(['POST /api/v1/auth/login', 'GET /api/docs-json']);

describe('the API surface', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers 401 in the error shape on every non-public API route without a sign-in', async () => {
    const routes = appRoutes(t.app).filter((route) => route.path.startsWith('/api/v1/') && !PUBLIC_API_ROUTES.has(`${route.method} ${route.path}`));
    expect(routes.length).toBeGreaterThanOrEqual(8);
    for (const route of routes) {
      const response = await t.http[route.method.toLowerCase() as 'get'](concretePath(route.path)).send({});
      expect({ route: `${route.method} ${route.path}`, status: response.status, body: response.body }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
        body: { statusCode: 401, error: 'Unauthorized', message: 'Sign in to use this resource', details: [] },
      });
    }
  });

  it('documents every API route in OpenAPI, with its error answers in the one shape', async () => {
    const document = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>;
      components: { schemas: Record<string, unknown> };
    };
    const documented = new Set(Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)));
    const served = appRoutes(t.app).filter((route) => route.path.startsWith('/api/v1/') || route.path === '/health');
    for (const route of served) expect(documented).toContain(`${route.method} ${route.path}`);
    expect(document.components.schemas.ErrorBodyDto).toBeDefined();
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (status.startsWith('4')) expect({ at: `${method} ${path} ${status}`, ref: response.content?.['application/json']?.schema.$ref }).toEqual({ at: `${method} ${path} ${status}`, ref: '#/components/schemas/ErrorBodyDto' });
        }
      }
    }
  });

  it('lists every error code of every module catalogue in OpenAPI', async () => {
    const document = (await t.http.get('/api/docs-json').expect(200)).body as {
      components: { schemas: { ErrorDetailDto: { properties: { rule: { enum?: string[] } } } } };
      tags: Array<{ name: string; 'x-error-codes'?: string[] }>;
      'x-error-codes': Record<string, string[]>;
    };
    expect(document.components.schemas.ErrorDetailDto.properties.rule.enum).toEqual([...DETAIL_ERROR_CODES]);
    expect(document.components.schemas.ErrorDetailDto.properties.rule.enum).toEqual(expect.arrayContaining(['hours_in_band', 'calendar_month', 'invoice_number_format', 'claim_stale', 'isInt']));
    expect(document['x-error-codes'].grants).toEqual(errorCodesOf('grants'));
    expect(document['x-error-codes'].common).toContain('date_out_of_range');
    expect(document['x-error-codes'].answer).toEqual([...ANSWER_ERROR_CODES]);
    for (const [catalogue, tags] of Object.entries(ERROR_CATALOGUE_TAGS)) {
      for (const tag of tags) expect({ tag, codes: document.tags.find((t) => t.name === tag)?.['x-error-codes'] }).toEqual({ tag, codes: errorCodesOf(catalogue as keyof typeof ERROR_CATALOGUE_TAGS) });
    }
  });

  it('serves the OpenAPI page', async () => {
    const response = await t.http.get('/api/docs').redirects(1).expect(200);
    expect(response.text).toContain('swagger');
  });
});
