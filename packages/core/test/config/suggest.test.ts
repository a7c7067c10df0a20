import { describe, expect, it } from 'vitest';
import { editDistance, suggestKey } from '../../src/config/suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps', () => {
    expect(editDistance('stream', 'stream')).toBe(0);
    expect(editDistance('strem', 'stream')).toBe(1);
    expect(editDistance('streams', 'stream')).toBe(1);
    expect(editDistance('stroam', 'stream')).toBe(1);
    expect(editDistance('tiemout', 'timeout')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('suggestKey', () => {
  const flowKeys = ['flow_content', 'stream', 'description', 'timeout', 'input_schema'];

  it('suggests the closest key within distance 2', () => {
    expect(suggestKey('strem', flowKeys)).toBe('stream');
    expect(suggestKey('descripton', flowKeys)).toBe('description');
    expect(suggestKey('input_shema', flowKeys)).toBe('input_schema');
    expect(suggestKey('timout', flowKeys)).toBe('timeout');
  });

  it('suggests across case, underscore and dash differences at any distance', () => {
    expect(suggestKey('flowContent', flowKeys)).toBe('flow_content');
    expect(suggestKey('INPUT-SCHEMA', flowKeys)).toBe('input_schema');
  });

  it('says nothing when nothing is close, or the key is too short to judge', () => {
    expect(suggestKey('model', flowKeys)).toBeUndefined();
    expect(suggestKey('x', ['mcp', 'cmd'])).toBeUndefined();
    expect(suggestKey('ab', ['cd'])).toBeUndefined();
  });
});
