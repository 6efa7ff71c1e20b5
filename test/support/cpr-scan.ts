/**
 * DDMMYY-SSSS or DDMMYYSSSS (also with a blank) whose first six digits are a day and a month: what a CPR
 * number looks like. Not inside a longer word: a random UUID's hex (`3b210225-5726-43cb-…`) is no CPR number.
 */
const CPR_NUMBER = /(?<![\w])(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])(\d{2})[- ]?(\d{4})(?![\w])/g;

/** The CPR-shaped numbers in a text. Independent of the app's own scrubber, which it checks. */
export function cprNumbersIn(text: string): string[] {
  return [...text.matchAll(CPR_NUMBER)].map((match) => match[0]);
}

/**
 * Reports a finding to the log sweep (test/support/log-sweep.ts) of this worker process, which fails the test
 * it happens in: mails are swept as logs are.
 */
export function reportToSweep(finding: string): void {
  const state = (process.stdout as unknown as Record<symbol, { offending: string[] } | undefined>)[Symbol.for('mentor-portal.test.log-sweep')];
  if (!state) throw new Error(`the log sweep is not installed: ${finding}`);
  state.offending.push(finding);
}
