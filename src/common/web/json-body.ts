/**
 * Checks of a JSON request body's bytes before it is parsed (body-parser's `verify`), each a 400:
 * - nesting deeper than MAX_JSON_DEPTH (type entity.too.deep): a body of 1 MiB can nest half a million
 *   arrays, and the recursion of class-transformer and class-validator would exhaust the stack;
 * - a \u escape of a lone surrogate (type entity.text.malformed): not text (I-JSON, RFC 7493), and
 *   validators that encode the string (IsEmail) throw on it.
 * One pass over the bytes; '[', '{', '"' and '\' are single bytes in UTF-8, never part of another character.
 */
export const MAX_JSON_DEPTH = 64;

export class JsonBodyError extends Error {
  readonly status = 400;

  constructor(
    readonly type: 'entity.too.deep' | 'entity.text.malformed',
    message: string,
    readonly limit?: number,
  ) {
    super(message);
    this.name = 'JsonBodyError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function hexAt(body: Uint8Array, at: number): number {
  let value = 0;
  for (let i = at; i < at + 4; i++) {
    const c = body[i];
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

const malformed = (): JsonBodyError => new JsonBodyError('entity.text.malformed', 'The request body holds a \\u escape of a lone surrogate, which is not text');

/** Throws a JsonBodyError when the body nests deeper than maxDepth or escapes a lone surrogate; malformed JSON is left to the parser. */
export function checkJsonBody(body: Uint8Array, maxDepth = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  // the previous character of the string was an escaped high surrogate, which a low one must follow
  let awaitingLow = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === BACKSLASH && body[i + 1] === 0x75) {
        const code = hexAt(body, i + 2);
        const high = code >= 0xd800 && code <= 0xdbff;
        const low = code >= 0xdc00 && code <= 0xdfff;
        if (awaitingLow !== low) throw malformed();
        awaitingLow = high;
        i += 5;
        continue;
      }
      if (awaitingLow) throw malformed();
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > maxDepth) throw new JsonBodyError('entity.too.deep', `The request body nests deeper than ${maxDepth} levels`, maxDepth);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}
