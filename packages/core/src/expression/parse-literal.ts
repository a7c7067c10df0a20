import type { Literal } from './ast.js';
import type { TokenStream } from './token-stream.js';

/**
 * What a kwarg value may be; the `expected` of an error when something else is found.
 *
 * @example
 * parseFlowExpression('A(x=B())'); // throws, expected === LITERAL_EXPECTED
 */
export const LITERAL_EXPECTED =
  'a literal value (a string, a number, True, False, None, a list [...] or a dict {...})';

const NAMED_CONSTANTS = new Map<string, Literal>([
  ['True', true],
  ['False', false],
  ['None', null],
]);

/**
 * Parses one Python literal at the stream's position: the value of a keyword argument.
 * Ops, names and tuples are rejected; dict keys must be strings.
 *
 * @example
 * const stream = new TokenStream(tokenize("[1, -2.5, 'a', {'k': None}]"), src);
 * parseLiteral(stream); // [1, -2.5, 'a', { k: null }]
 */
export function parseLiteral(stream: TokenStream): Literal {
  const token = stream.peek();
  if (token.kind === 'string') return parseStringLiteral(stream);
  if (token.kind === 'number') {
    stream.next();
    return token.value;
  }
  if (token.kind === 'name') {
    const constant = NAMED_CONSTANTS.get(token.text);
    if (constant === undefined) stream.fail(token, LITERAL_EXPECTED);
    stream.next();
    return constant;
  }
  if (stream.isPunct('-') || stream.isPunct('+')) {
    stream.next();
    const number = stream.peek();
    if (number.kind !== 'number') return stream.fail(number, `a number after '${token.text}'`);
    stream.next();
    return token.text === '-' ? -number.value : number.value;
  }
  if (stream.isPunct('[')) return parseListLiteral(stream);
  if (stream.isPunct('{')) return parseDictLiteral(stream);
  if (stream.isPunct('(')) {
    stream.fail(
      token,
      LITERAL_EXPECTED,
      `tuples are not supported: expected ${LITERAL_EXPECTED} but found '('`,
    );
  }
  return stream.fail(token, LITERAL_EXPECTED);
}

/**
 * Parses one or more adjacent string tokens, concatenated as Python does (`'a' "b"` is `'ab'`).
 *
 * @example
 * parseStringLiteral(new TokenStream(tokenize(`'a' "b"`), src)); // 'ab'
 */
export function parseStringLiteral(stream: TokenStream): string {
  let value = '';
  for (let token = stream.peek(); token.kind === 'string'; token = stream.peek()) {
    value += token.value;
    stream.next();
  }
  return value;
}

/**
 * Sets `key` as an own enumerable property, so `__proto__` is stored as data and never
 * replaces the object's prototype.
 *
 * @example
 * const target = {};
 * defineEntry(target, '__proto__', 1);
 * Object.keys(target); // ['__proto__']
 */
export function defineEntry(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function parseListLiteral(stream: TokenStream): Literal[] {
  const open = stream.next();
  stream.enterNesting(open);
  const items: Literal[] = [];
  for (;;) {
    if (stream.acceptPunct(']')) break;
    items.push(parseLiteral(stream));
    if (stream.acceptPunct(',')) continue;
    stream.expectPunct(']', "',' or ']'", open);
    break;
  }
  stream.leaveNesting();
  return items;
}

function parseDictLiteral(stream: TokenStream): { [key: string]: Literal } {
  const open = stream.next();
  stream.enterNesting(open);
  const dict: { [key: string]: Literal } = {};
  for (;;) {
    if (stream.acceptPunct('}')) break;
    if (stream.peek().kind !== 'string') stream.fail(stream.peek(), "a string key or '}'");
    const key = parseStringLiteral(stream);
    stream.expectPunct(':', "':' after the dict key");
    // A repeated key keeps the last value, as in Python.
    defineEntry(dict, key, parseLiteral(stream));
    if (stream.acceptPunct(',')) continue;
    stream.expectPunct('}', "',' or '}'", open);
    break;
  }
  stream.leaveNesting();
  return dict;
}
