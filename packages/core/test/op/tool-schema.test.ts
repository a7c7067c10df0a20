import { describe, expect, it } from 'vitest';
import { checkToolArguments } from '../../src/op/tool-arguments.js';
import { objectJsonSchema, type ToolDescription, toOpenAiTool } from '../../src/op/tool-schema.js';

const SEARCH: ToolDescription = {
  name: 'search',
  description: 'Search.',
  input_schema: {
    query: { type: 'string', description: 'terms' },
    top_k: { type: 'integer', required: false },
    mode: { enum: ['fast', 'deep'], required: false },
    tags: { type: 'array', items: { type: 'string' }, default: [] },
  },
};

describe('tool schema', () => {
  it("converts FlowLLM's field form to an OpenAI tool with a JSON Schema object", () => {
    expect(toOpenAiTool(SEARCH)).toEqual({
      type: 'function',
      function: {
        name: 'search',
        description: 'Search.',
        parameters: {
          type: 'object',
          properties: {
            query: { type: 'string', description: 'terms' },
            top_k: { type: 'integer' },
            mode: { type: 'string', enum: ['fast', 'deep'] },
            tags: { type: 'array', items: { type: 'string' }, default: [] },
          },
          required: ['query'],
        },
      },
    });
    expect(objectJsonSchema({})).toEqual({ type: 'object', properties: {}, required: [] });
  });

  it('checks arguments like a request: required fields, lax scalars, enums; extra fields kept', () => {
    expect(checkToolArguments(SEARCH, { query: 'ai', top_k: '3', extra: 1 })).toEqual({
      ok: true,
      args: { query: 'ai', top_k: 3, extra: 1 },
    });
    expect(checkToolArguments(SEARCH, { top_k: 'many', mode: 'slow', query: null })).toEqual({
      ok: false,
      problems: [
        "'query' is required",
        "'top_k': Input should be a valid integer, unable to parse string as an integer",
        `'mode' must be one of "fast", "deep"`,
      ],
    });
    expect(checkToolArguments(SEARCH, [1])).toEqual({
      ok: false,
      problems: ['the arguments must be a JSON object'],
    });
  });
});
