import fc from 'fast-check';
import { checkJsonBody, JsonBodyError, MAX_JSON_DEPTH } from './json-body';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const refusal = (text: string, maxDepth?: number): string | null => {
  try {
    checkJsonBody(bytes(text), maxDepth);
    return null;
  } catch (error) {
    if (!(error instanceof JsonBodyError)) throw error;
    return error.type;
  }
};

// The nesting of a parsed JSON value: 0 for a scalar, 1 for [1] or {"a":1}.
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value !== null && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

// Every key and string of a JSON value (JSON.stringify escapes their lone surrogates as \\uXXXX).
function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, v]) => [key, ...textsOf(v)]);
  return [];
}

describe('checkJsonBody', () => {
  it('refuses nesting deeper than the limit, also in a body of half a million arrays', () => {
    expect(refusal(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).toBeNull();
    expect(refusal(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)).toBe('entity.too.deep');
    expect(refusal(`{"a":${'{"a":'.repeat(500_000)}1${'}'.repeat(500_001)}`)).toBe('entity.too.deep');
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(refusal(`{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`)).toBeNull();
  });

  it('refuses escapes of lone surrogates and accepts pairs', () => {
    expect(refusal('{"email":"\\ud800"}')).toBe('entity.text.malformed');
    expect(refusal('{"email":"\\uDC00x"}')).toBe('entity.text.malformed');
    expect(refusal('{"email":"\\ud800\\n"}')).toBe('entity.text.malformed');
    expect(refusal('{"email":"\\ud83d\\ude00 \\u00e6"}')).toBeNull();
    expect(refusal('{"email":"😀 æ \\\\ud800"}')).toBeNull();
  });

  it('agrees with the parser on any JSON value: refused exactly when deeper than the limit or holding a lone surrogate', () => {
    const runs = 2000;
    // any code point, and now and then half of a surrogate pair on its own
    const character = fc.oneof({ weight: 9, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff') });
    let withLoneSurrogates = 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8, stringUnit: character }), fc.integer({ min: 0, max: 6 }), (value, limit) => {
        const text = JSON.stringify(value);
        const loneSurrogate = textsOf(value).some((s) => !/^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/.test(s));
        const expected = depthOf(value) > limit ? 'entity.too.deep' : loneSurrogate ? 'entity.text.malformed' : null;
        if (loneSurrogate) withLoneSurrogates++;
        const got = refusal(text, limit);
        if (expected === 'entity.too.deep' && loneSurrogate) expect(got).not.toBeNull();
        else expect(got).toBe(expected);
      }),
      { numRuns: runs },
    );
    expect(withLoneSurrogates).toBeGreaterThan(0);
    process.stdout.write(`property "checkJsonBody agrees with the parsed value": ${runs} cases tried (${withLoneSurrogates} with lone surrogates)\n`);
  });
});
