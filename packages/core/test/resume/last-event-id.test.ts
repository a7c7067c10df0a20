import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/http/http-error.js';
import { parseLastEventId } from '../../src/resume/last-event-id.js';

const RUN = '0123456789abcdef0123456789abcdef';

describe('Last-Event-ID', () => {
  it('reads digits or <flow_id>:<digits>, from the header or the query', () => {
    expect(parseLastEventId('7', undefined)).toEqual({ seq: 7 });
    expect(parseLastEventId(undefined, '12')).toEqual({ seq: 12 });
    expect(parseLastEventId(`${RUN}:3`, null)).toEqual({ seq: 3, flowId: RUN });
    expect(parseLastEventId(undefined, null)).toBeUndefined();
  });

  it('takes the header over the query (a reconnecting EventSource keeps its old URL)', () => {
    expect(parseLastEventId('9', '2')).toEqual({ seq: 9 });
  });

  it('answers 400 for anything else', () => {
    for (const bad of ['', 'abc', '-1', '1.5', `${RUN}:`, 'xyz:3', '1'.repeat(16)]) {
      let caught: unknown;
      try {
        parseLastEventId(bad, undefined);
      } catch (error) {
        caught = error;
      }
      expect(caught, bad).toBeInstanceOf(HttpError);
      expect((caught as HttpError).status).toBe(400);
    }
  });
});
