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
      expect(response.body.status).toBe('ok');
      expect(response.body.info.database.status).toBe('up');
      expect(response.body.info.redis).toMatchObject({ status: 'up', driver: 'bullmq' });
    });
  });

  describe('without Redis configured', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ redis: false });
    });
    afterAll(() => t.close());

    it('reports the in-process queue', async () => {
      const response = await t.http.get('/health').expect(200);
      expect(response.body.info.queue).toEqual({ status: 'up', driver: 'in-process' });
    });
  });

  describe('with Redis unreachable', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    });
    afterAll(() => t.close());

    it('answers 503 and names Redis as down, the database as up', async () => {
      const response = await t.http.get('/health').expect(503);
      expect(response.body.status).toBe('error');
      expect(response.body.info.database.status).toBe('up');
      expect(response.body.error.redis.status).toBe('down');
    });
  });
});
