import { Logger } from 'nestjs-pino';
import { cprNumbersIn, logSweep } from './support/log-sweep';
import { startTestApp, type TestApp } from './support/test-app';

describe('the log sweep every integration file runs under', () => {
  it('recognises CPR numbers with and without the dash, and leaves other numbers alone', () => {
    expect(cprNumbersIn('{"msg":"citizen 070382-1234 and 2112951987 and 300699 4321","url":"/api/v1/citizens?cpr=1511641234"}')).toEqual(['070382-1234', '2112951987', '300699 4321', '1511641234']);
    // not a day and month, part of a longer number, a UUID, an amount in øre
    expect(cprNumbersIn('1234567890 00000012345678901 3b210225-5726-43cb-af7c-4406526abc22 162ae9bc-d8fd-48fd-9f4d-e2307312923e amountOre 4500000000')).toEqual([]);
  });

  describe('with an app at debug level', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ redis: false });
    });
    afterAll(async () => {
      await t.close();
    });

    it('sees the app log at debug level, and catches a CPR number written to it', async () => {
      const sweep = logSweep();
      const before = sweep.lines;
      await t.http.get('/api/v1/auth/me').expect(401);
      expect(t.config.logLevel).toBe('debug');
      expect(sweep.lines).toBeGreaterThan(before);

      t.app.get(Logger).log('a careless line about 070382-1234');
      // The app's logger scrubs it: nothing for the sweep to report.
      expect(sweep.offending).toEqual([]);
      // Written past the logger, the sweep catches it (and this test takes it back so it does not fail).
      process.stdout.write('{"level":"info","msg":"raw 070382-1234"}\n');
      expect(sweep.offending.splice(0)).toEqual(['070382-1234 in {"level":"info","msg":"raw 070382-1234"}']);
    });
  });
});
