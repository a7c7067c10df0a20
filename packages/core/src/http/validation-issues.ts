import type { ValidationIssue } from './http-error.js';
import { clip } from './json-body.js';

// A 422 answer stays small whatever the request: at most this many issues, then one "… and more" entry
// (validation stops there), each issue's texts cut short, and the whole list under a byte budget.
const MAX_ISSUES = 20;
const MAX_MSG_CHARS = 300;
const MAX_LOC_SEGMENT_CHARS = 64;
const MAX_LOC_SEGMENTS = 16;
const MAX_DETAIL_BYTES = 60 * 1024;
// An echoed `input` whose JSON is longer than this is cut to this many characters.
const MAX_ECHO_CHARS = 256;

/**
 * The issues of one request, in pydantic v2's item shape (`type, loc, msg, input`). Past 20 issues it
 * only notes that there were more, and `stopped` tells the caller to stop checking.
 *
 * @example
 * const issues = new IssueList();
 * issues.add(['body', 'top_k'], 'Input should be a valid integer', 'int_type', [1]);
 * if (issues.count > 0) throw new HttpError(422, issues.detail('body'));
 */
export class IssueList {
  private readonly issues: ValidationIssue[] = [];
  stopped = false;

  get count(): number {
    return this.issues.length;
  }

  /** Notes one issue; `input` is the offending value (echoed as pydantic does, cut short when long). */
  add(loc: (string | number)[], msg: string, type: string, input: unknown): void {
    if (this.issues.length >= MAX_ISSUES) {
      this.stopped = true;
      return;
    }
    const shortLoc = loc.length > MAX_LOC_SEGMENTS ? [...loc.slice(0, MAX_LOC_SEGMENTS - 1), '…'] : loc;
    this.issues.push({
      type,
      loc: shortLoc.map((part) => (typeof part === 'string' ? clip(part, MAX_LOC_SEGMENT_CHARS) : part)),
      msg: clip(msg, MAX_MSG_CHARS),
      input: echoOf(input),
    });
  }

  /** The list to answer with, ending with the "… and more" entry when checking stopped early. */
  detail(location: string): ValidationIssue[] {
    const detail = [...this.issues];
    let stopped = this.stopped;
    // Each issue is already short; this only guards odd schemas (escaped names) against a large answer.
    while (detail.length > 1 && utf8Length(JSON.stringify(detail)) > MAX_DETAIL_BYTES) {
      detail.pop();
      stopped = true;
    }
    if (stopped) {
      detail.push({
        type: 'too_many_errors',
        loc: [location],
        msg: `… and more: validation stopped after the first ${detail.length} issues`,
      });
    }
    return detail;
  }
}

/**
 * What a 422 item echoes of the offending value: the value itself, as pydantic does, unless its JSON is
 * longer than 256 characters — then a string is cut to 256 characters and a list or object becomes the
 * first 256 characters of its JSON text, both ending with `…`. Only the start of a large value is read.
 *
 * @example
 * echoOf(5); // 5
 * echoOf('x'.repeat(10_000)).length; // 256
 */
export function echoOf(value: unknown): unknown {
  const start = jsonStart(value, MAX_ECHO_CHARS);
  if (start === undefined) return value;
  return clip(typeof value === 'string' ? value : start, MAX_ECHO_CHARS);
}

/** The JSON text of `value` cut after `limit` characters, or undefined when all of it fits. */
function jsonStart(value: unknown, limit: number): string | undefined {
  let text = '';
  const write = (part: unknown): boolean => {
    if (Array.isArray(part)) {
      text += '[';
      for (let index = 0; index < part.length; index++) {
        if (index > 0) text += ',';
        if (!write(part[index])) return false;
      }
      text += ']';
    } else if (typeof part === 'object' && part !== null) {
      text += '{';
      let first = true;
      for (const key of Object.keys(part)) {
        text += `${first ? '' : ','}${JSON.stringify(clip(key, limit + 1))}:`;
        first = false;
        if (!write((part as Record<string, unknown>)[key])) return false;
      }
      text += '}';
    } else {
      // A long string is cut before it is escaped: only its start can be shown.
      const shown = typeof part === 'string' && part.length > limit ? part.slice(0, limit + 1) : part;
      text += JSON.stringify(shown) ?? 'null';
    }
    return text.length <= limit;
  };
  return write(value) ? undefined : text;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
