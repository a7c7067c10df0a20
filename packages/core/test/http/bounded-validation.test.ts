// A 422 answer stays small and cheap whatever the request: at most 20 issues, then one "… and more"
// entry, and validation stops walking a list once the cap is reached.
import { afterEach, describe, expect, it } from 'vitest';
import type { InputFieldConfig } from '../../src/config/config-types.js';
import { HttpError, type ValidationIssue } from '../../src/http/http-error.js';
import { validateFlowInput } from '../../src/http/input-validation.js';
import { closer } from '../models/helpers/backends.js';
import { startFlowServer } from '../models/helpers/flow-server.js';

const LIMIT_422 = 64 * 1024;
const LONG_NAME = `field_${'n'.repeat(10_000)}`;
const LONG_ENUM = Array.from({ length: 1000 }, (_, index) => `value-${index}-${'e'.repeat(100)}`);

const servers = closer();
afterEach(() => servers.closeAll());

async function serve(inputSchema: Record<string, unknown>): Promise<string> {
  const config = {
    llm: { default: { backend: 'mock' } },
    flow: { tagged: { flow_content: 'ChatOp()', input_schema: inputSchema } },
  };
  return servers.add(await startFlowServer({ config, env: {} })).url;
}

async function postRaw(url: string, body: string) {
  const response = await fetch(`${url}/tagged`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, bytes: bytes.length, text: bytes.toString('utf8') };
}

function issuesOf(text: string): ValidationIssue[] {
  return (JSON.parse(text) as { detail: ValidationIssue[] }).detail;
}

function thrownIssues(run: () => unknown): ValidationIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    return (error as HttpError).detail as ValidationIssue[];
  }
  throw new Error('expected a 422');
}

const tagsSchema = { tags: { type: 'array', items: { type: 'string' } } } as unknown as Record<
  string,
  InputFieldConfig
>;

describe('a 422 over a real socket', () => {
  it('a 1 MB list of wrong items answers 20 issues and one "… and more" entry, under 64 KB', async () => {
    const url = await serve(tagsSchema);
    const body = `{"tags":[${Array(500_000).fill('1').join(',')}]}`;
    expect(body.length).toBeGreaterThan(999_000);
    const reply = await postRaw(url, body);
    expect(reply.status).toBe(422);
    expect(reply.bytes).toBeLessThan(LIMIT_422);
    const issues = issuesOf(reply.text);
    expect(issues).toHaveLength(21);
    expect(issues.slice(0, 20)).toEqual(
      Array.from({ length: 20 }, (_, index) => ({
        type: 'string_type',
        loc: ['body', 'tags', index],
        msg: 'Input should be a valid string',
        input: 1,
      })),
    );
    expect(issues[20]).toEqual({
      type: 'too_many_errors',
      loc: ['body'],
      msg: '… and more: validation stopped after the first 20 issues',
    });
  });

  it('a long field name and a long enum are cut short: the answer stays under 64 KB', async () => {
    const url = await serve({
      [LONG_NAME]: { type: 'array', items: { type: 'string', enum: LONG_ENUM } },
    });
    const reply = await postRaw(url, JSON.stringify({ [LONG_NAME]: Array(1000).fill('nope') }));
    expect(reply.status).toBe(422);
    expect(reply.bytes).toBeLessThan(LIMIT_422);
    const issues = issuesOf(reply.text);
    expect(issues).toHaveLength(21);
    expect(issues[0]).toMatchObject({ type: 'enum', loc: ['body', expect.stringMatching(/^field_n+…$/), 0] });
    expect(issues[0]!.msg).toMatch(/^Input should be 'value-0-e+', .*…$/);
    expect(issues.at(-1)?.type).toBe('too_many_errors');
  });

  it('invalid JSON quotes at most a short reason', async () => {
    const url = await serve(tagsSchema);
    const reply = await postRaw(url, `{"tags":${'x'.repeat(100_000)}}`);
    expect(reply.status).toBe(400);
    expect(reply.bytes).toBeLessThan(400);
    expect(reply.text).toMatch(/^\{"detail":"the body is not valid JSON: /);
  });
});

describe('validateFlowInput', () => {
  it('stops walking a list at the first issue past the cap', () => {
    let reads = 0;
    const items = new Proxy(Array(100_000).fill(1), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const issues = thrownIssues(() => validateFlowInput(tagsSchema, { tags: items }, 'body'));
    expect(issues).toHaveLength(21);
    expect(reads).toBe(21);
  });

  it('exactly 20 issues are all listed, with no "… and more" entry', () => {
    const issues = thrownIssues(() => validateFlowInput(tagsSchema, { tags: Array(20).fill(1) }, 'query'));
    expect(issues).toHaveLength(20);
    expect(issues.every((issue) => issue.type === 'string_type')).toBe(true);
  });

  it('nested lists: the cap counts every level, and loc names the item', () => {
    const schema = {
      grid: { type: 'array', items: { type: 'array', items: { type: 'integer' } } },
    } as unknown as Record<string, InputFieldConfig>;
    const issues = thrownIssues(() =>
      validateFlowInput(schema, { grid: Array(100).fill(['a', 'b', 'c']) }, 'body'),
    );
    expect(issues).toHaveLength(21);
    expect(issues[3]).toEqual({
      type: 'int_parsing',
      loc: ['body', 'grid', 1, 0],
      msg: 'Input should be a valid integer, unable to parse string as an integer',
      input: 'a',
    });
  });
});
