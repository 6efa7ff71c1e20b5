/**
 * Runs in every integration file (jest setupFilesAfterEnv). The apps of the suite
 * log at debug level (test-app.ts); every log line written to stdout passes
 * through here and is searched for a CPR number, and the test during which one
 * was written fails. Log lines are swallowed unless TEST_LOG_LEVEL asks to see
 * them; other output (a property test's summary) goes through.
 *
 * The sweep is installed once per worker process, on the stdout stream itself:
 * a line written while one file closes its app is reported by the next file's
 * first test rather than lost.
 */

import { cprNumbersIn } from './cpr-scan';

export { cprNumbersIn };

export interface LogSweepState {
  /** Log lines seen by this worker process. */
  lines: number;
  /** Lines holding a CPR-shaped number, not yet reported. */
  offending: string[];
}

type Write = typeof process.stdout.write;
export const STATE = Symbol.for('mentor-portal.test.log-sweep');
type SweptStream = NodeJS.WriteStream & { [STATE]?: LogSweepState };

/** Wraps stdout's write once per process and returns the sweep's state. */
export function logSweep(): LogSweepState {
  const stdout = process.stdout as SweptStream;
  const existing = stdout[STATE];
  if (existing) return existing;
  const state: LogSweepState = { lines: 0, offending: [] };
  const original = stdout.write.bind(stdout) as (text: string) => boolean;
  const showLogs = process.env.TEST_LOG_LEVEL !== undefined;
  let carry = '';
  stdout.write = ((chunk: string | Uint8Array) => {
    const lines = (carry + (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))).split('\n');
    carry = lines.pop() ?? '';
    const passOn: string[] = [];
    for (const line of lines) {
      const isLog = line.startsWith('{"level"');
      if (isLog) {
        state.lines += 1;
        const found = cprNumbersIn(line);
        if (found.length > 0) state.offending.push(`${found.join(', ')} in ${line.slice(0, 400)}`);
      }
      if (!isLog || showLogs) passOn.push(line);
    }
    return passOn.length === 0 || original(`${passOn.join('\n')}\n`);
  }) as Write;
  stdout[STATE] = state;
  return state;
}

const state = logSweep();

afterEach(() => {
  const found = state.offending.splice(0);
  if (found.length > 0) throw new Error(`A CPR number reached a log line or a mail (${found.length}):\n${found.slice(0, 20).join('\n')}`);
});
