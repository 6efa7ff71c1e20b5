import { startTestApp, type TestApp } from './support/test-app';

describe('GET /health', () => {
  describe('with Redis', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it('reports the database and Redis up without signing in', async () => {
      const response = await t.http.get('/health').expect(200);
      expect(response.body).toEqual({ status: 'ok', database: 'up', redis: 'up' });
      expect(response.headers['retry-after']).toBeUndefined();
    });
  });

  describe('without Redis configured', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ redis: false });
    });
    afterAll(() => t.close());

    it('says Redis is not configured', async () => {
      const response = await t.http.get('/health').expect(200);
      expect(response.body).toEqual({ status: 'ok', database: 'up', redis: 'not configured' });
    });
  });

  describe('with Redis unreachable', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    });
    afterAll(() => t.close());

    it('answers 503 with Retry-After and names Redis as down, the database as up, and nothing more', async () => {
      const response = await t.http.get('/health').expect(503);
      expect(response.headers['retry-after']).toBe('30');
      expect(response.body).toEqual({ status: 'error', database: 'up', redis: 'down' });
    });
  });
});
