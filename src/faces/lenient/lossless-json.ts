// Reading JSON numbers without losing their digits. The platform binds a JSON number to a string
// field as the digits the client wrote (`"reference": 2486791679658155992`), but JSON.parse turns
// every number into a double, which holds only about 15 significant digits exactly.
//
// Bodies are parsed by JSON.parse first (Fastify's secure parser). Only when a number turns up where
// the schema wants a string (normalize-body.ts) is the text, then known to be valid JSON free of
// `__proto__` / constructor.prototype keys, parsed again here: every number that is not a plain
// integer of at most 15 digits becomes a JsonNumber holding its source text.

/** A JSON number literal that a double would not hold as written (`2486791679658155992`, `49900.0`, `1e3`). */
export class JsonNumber {
  constructor(readonly text: string) {}
  valueOf(): number {
    return Number(this.text);
  }
  toJSON(): number {
    return Number(this.text);
  }
}

/** `0`, or an integer of 1 to 15 digits without a leading zero: JSON.parse and String() round-trip it. */
const PLAIN_INTEGER = /^(?:0|-?[1-9]\d{0,14})$/;
const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Index of the quote that closes the string opening at `open`, or -1. */
function endOfString(text: string, open: number): number {
  let k = open + 1;
  for (;;) {
    const q = text.indexOf('"', k);
    if (q === -1) return -1;
    let backslashes = 0;
    for (let b = q - 1; b > open && text.charCodeAt(b) === 92; b--) backslashes++;
    if (backslashes % 2 === 0) return q;
    k = q + 1;
  }
}

interface Frame {
  container: unknown[] | Record<string, unknown>;
  key: string | null; // null: an array
}

/**
 * Parses text that JSON.parse has already accepted. Numbers that are plain integers of up to 15
 * digits are numbers; every other number is a JsonNumber. Iterative, so nesting depth is bounded
 * by memory, not by the call stack (like V8's own JSON.parse). Objects are built like JSON.parse
 * builds them: duplicate keys keep the last value, and a `__proto__` key would be an own property.
 */
export function parseLossless(text: string): unknown {
  const n = text.length;
  let i = 0;
  const stack: Frame[] = [];

  const skipWhitespace = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };
  const readString = (): string => {
    const end = endOfString(text, i);
    if (end === -1) throw new SyntaxError('Unterminated string in JSON');
    const raw = text.slice(i + 1, end);
    const value = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
    i = end + 1;
    return value;
  };
  const readKey = (): string => {
    skipWhitespace();
    const key = readString();
    skipWhitespace();
    i++; // ':'
    return key;
  };
  const expect = (word: string) => {
    if (!text.startsWith(word, i)) throw new SyntaxError(`Unexpected token in JSON at position ${i}`);
    i += word.length;
  };

  for (;;) {
    // A value starts here.
    skipWhitespace();
    const c = text.charCodeAt(i);
    let value: unknown;
    if (c === 123 /* { */) {
      i++;
      skipWhitespace();
      if (text.charCodeAt(i) === 125 /* } */) {
        i++;
        value = {};
      } else {
        stack.push({ container: {}, key: readKey() });
        continue;
      }
    } else if (c === 91 /* [ */) {
      i++;
      skipWhitespace();
      if (text.charCodeAt(i) === 93 /* ] */) {
        i++;
        value = [];
      } else {
        stack.push({ container: [], key: null });
        continue;
      }
    } else if (c === 34 /* " */) {
      value = readString();
    } else if (c === 116 /* t */) {
      expect('true');
      value = true;
    } else if (c === 102 /* f */) {
      expect('false');
      value = false;
    } else if (c === 110 /* n */) {
      expect('null');
      value = null;
    } else {
      NUMBER_TOKEN.lastIndex = i;
      const m = NUMBER_TOKEN.exec(text);
      if (!m) throw new SyntaxError(`Unexpected token in JSON at position ${i}`);
      i += m[0].length;
      value = PLAIN_INTEGER.test(m[0]) ? Number(m[0]) : new JsonNumber(m[0]);
    }

    // Put the value into its container; close containers that end here.
    for (;;) {
      const top = stack.at(-1);
      if (!top) {
        skipWhitespace();
        if (i !== n) throw new SyntaxError(`Unexpected data after JSON at position ${i}`);
        return value;
      }
      if (top.key === null) (top.container as unknown[]).push(value);
      else setOwn(top.container as Record<string, unknown>, top.key, value);
      skipWhitespace();
      const next = text.charCodeAt(i++);
      if (next === 44 /* , */) {
        if (top.key !== null) top.key = readKey();
        break;
      }
      // `]` or `}`: the container is complete and is itself the value to place.
      stack.pop();
      value = top.container;
    }
  }
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/**
 * `value` with every JsonNumber in it turned into a plain number, for the parts of a body that no
 * schema describes. Iterative: such a part may be nested as deep as the body limit allows.
 */
export function plainNumbers(value: unknown): unknown {
  if (value instanceof JsonNumber) return Number(value.text);
  if (value === null || typeof value !== 'object') return value;
  const pending: object[] = [value];
  while (pending.length > 0) {
    const obj = pending.pop() as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      if (v instanceof JsonNumber) obj[key] = Number(v.text);
      else if (v !== null && typeof v === 'object') pending.push(v);
    }
  }
  return value;
}
