import { describe, expect, it } from 'vitest';
import { evaluateFlowProgram } from '../../src/expression/evaluate.js';
import { parseFlowExpression } from '../../src/expression/parser.js';
import { flowError, type OpShape, shapeBuilder } from './shape-builder.js';

/** The kwargs `create` received for a one-op program. */
function kwargsOf(source: string): Record<string, unknown> {
  return (evaluateFlowProgram(parseFlowExpression(source), shapeBuilder()) as OpShape).kwargs;
}

const literalValue = (literal: string): unknown => kwargsOf(`Op1Op(v=${literal})`)['v'];

describe('kwarg literals', () => {
  it('parses every literal kind, with a trailing comma', () => {
    const source = `Op1Op(s='a', d="b", i=42, n=-3, f=0.2, e=1e-3, h=.5, t=True, no=False, none=None,
      l=[1, 'a'], m={"k": 1}, empty_list=[], empty_dict={},)`;
    expect(kwargsOf(source)).toEqual({
      s: 'a',
      d: 'b',
      i: 42,
      n: -3,
      f: 0.2,
      e: 0.001,
      h: 0.5,
      t: true,
      no: false,
      none: null,
      l: [1, 'a'],
      m: { k: 1 },
      empty_list: [],
      empty_dict: {},
    });
  });

  it('keeps kwargs in source order', () => {
    expect(Object.keys(kwargsOf('Op1Op(z=1, a=2, m=3)'))).toEqual(['z', 'a', 'm']);
  });

  it('parses nested lists and dicts with trailing commas', () => {
    expect(literalValue(`{"a": [1, {"b": [None, -2.5, [],],},], "c": {"d": {"e": 'x'}},}`)).toEqual({
      a: [1, { b: [null, -2.5, []] }],
      c: { d: { e: 'x' } },
    });
  });

  it.each([
    ['0', 0],
    ['-0.5', -0.5],
    ['+7', 7],
    ['1.', 1],
    ['1.5e3', 1500],
    ['2E+2', 200],
    ['1_000_000', 1_000_000],
    ['0x1F', 31],
    ['0o17', 15],
    ['0b101', 5],
    ['-42', -42],
    ['00', 0],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('number %s is %d', (literal, expected) => {
    expect(literalValue(literal)).toBe(expected);
  });

  it('decodes Python escapes', () => {
    const literal = String.raw`'n\n t\t b\\ q\' dq\" u\u00e9 x\x41 U\U0001F600 o\101 z\0 a\a keep\d'`;
    expect(literalValue(literal)).toBe('n\n t\t b\\ q\' dq" u\u00e9 xA U\u{1F600} oA z\0 a\x07 keep\\d');
  });

  it('lets a double-quoted string hold single quotes and # unescaped', () => {
    expect(literalValue(`"it's # not a comment"`)).toBe("it's # not a comment");
  });

  it('joins adjacent strings like Python', () => {
    expect(literalValue(`'ab' "cd" 'ef'`)).toBe('abcdef');
    expect(kwargsOf(`Op1Op(v='ab'\n  'cd')`)['v']).toBe('abcd');
  });

  it('reads triple-quoted strings across lines', () => {
    expect(literalValue(`"""line one\nline 'two' "2"\n"""`)).toBe(`line one\nline 'two' "2"\n`);
    expect(literalValue(`'''a\\\nb'''`)).toBe('ab');
  });

  it('keeps backslashes in raw strings', () => {
    expect(literalValue(String.raw`r'\d+\n'`)).toBe(String.raw`\d+\n`);
    expect(literalValue(String.raw`R"a\"b"`)).toBe(String.raw`a\"b`);
  });

  it('keeps __proto__ keys as data without touching any prototype', () => {
    const kwargs = kwargsOf('Op1Op(v={"__proto__": {"polluted": 1}}, __proto__=2)');
    expect(Object.keys(kwargs)).toEqual(['v', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(kwargs, '__proto__')?.value).toBe(2);
    const v = kwargs['v'] as object;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ polluted: 1 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a repeated dict key keeps the last value, as in Python', () => {
    expect(literalValue(`{"k": 1, "k": 2}`)).toEqual({ k: 2 });
  });

  it('gives each create call its own copy of the kwargs', () => {
    const program = parseFlowExpression('Op1Op(v={"list": [1]})');
    const mutating = { ...shapeBuilder() };
    mutating.create = (name, kwargs) => {
      ((kwargs['v'] as { list: number[] }).list as number[]).push(99);
      return shapeBuilder().create(name, kwargs);
    };
    evaluateFlowProgram(program, mutating);
    const second = evaluateFlowProgram(program, mutating) as OpShape;
    expect(second.kwargs).toEqual({ v: { list: [1, 99] } });
  });
});

describe('kwarg literal errors', () => {
  it.each([
    ['Op1Op(v=0777)', 9, 'leading zeros', '0777'],
    ['Op1Op(v=1_)', 9, 'a complete number', '1_'],
    ['Op1Op(v=1e)', 9, 'digits in the exponent', '1e'],
    ['Op1Op(v=1.2.3)', 9, 'a complete number', '1.2.'],
    ['Op1Op(v=3j)', 9, 'an int or a float', '3j'],
    ['Op1Op(v=12345678901234567890)', 9, 'an integer of at most', '12345678901234567890'],
    ['Op1Op(v={1: 2})', 10, 'a string key', '1'],
    ['Op1Op(v={"k" 2})', 14, "':' after the dict key", '2'],
    ['Op1Op(v=[1 2])', 12, "',' or ']'", '2'],
    ['Op1Op(v=(1, 2))', 9, 'a literal value', '('],
    ['Op1Op(v=Op2Op())', 9, 'a literal value', 'Op2Op'],
    ['Op1Op(v=-"a")', 10, "a number after '-'", '"a"'],
    [String.raw`Op1Op(v='\x4')`, 10, '2 hex digits after \\x', String.raw`\x4'`],
    [String.raw`Op1Op(v='\u12')`, 10, '4 hex digits after \\u', String.raw`\u12'`],
    [String.raw`Op1Op(v='\N{DASH}')`, 10, 'an escape other than', '\\N'],
    [`Op1Op(v=b'x')`, 9, 'a plain string literal', 'b'],
    [`Op1Op(v=f"{x}")`, 9, 'a plain string literal', 'f'],
  ])('%s fails at column %d expecting %s', (source, column, expected, found) => {
    const error = flowError(() => parseFlowExpression(source));
    expect(error).toMatchObject({ line: 1, column, found });
    expect(error.expected).toContain(expected);
  });
});
