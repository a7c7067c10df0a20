// Every error code is defined once (src/error-codes.ts), used, and documented in docs/errors.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { FLOWLLM_ERROR_CODES, type FlowllmErrorCode } from '../../src/error-codes.js';
import { FlowllmError } from '../../src/errors.js';
import { CORE_SRC, REPO_ROOT, sourceFiles } from '../helpers/source-files.js';

const DOC = join(REPO_ROOT, 'docs', 'errors.md');
const START = '<!-- error-codes:start (generated from packages/core/src/error-codes.ts) -->';
const END = '<!-- error-codes:end -->';
// FLOWLLM_UPDATE_DOCS=1 rewrites the table from the definition.
const UPDATE = Boolean(process.env.FLOWLLM_UPDATE_DOCS);

// A code in quotes or backticks: a string literal, or a comment naming a code (not FLOWLLM_ERROR_CODES).
const CODE_LITERAL = /['"`](FLOWLLM_[A-Z_]+)['"`]/g;
const definedCodes = Object.keys(FLOWLLM_ERROR_CODES).sort();

function renderTable(): string {
  const rows = Object.entries(FLOWLLM_ERROR_CODES).map(([code, info]) => {
    const statuses = info.statuses.length > 0 ? info.statuses.join(', ') : '— (answers no request)';
    return `| \`${code}\` | ${statuses} | ${info.meaning} |`;
  });
  return ['| code | HTTP status | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

describe('error codes', () => {
  it('docs/errors.md lists every code with its meaning and HTTP status, as defined', () => {
    const doc = readFileSync(DOC, 'utf8');
    const start = doc.indexOf(START);
    const end = doc.indexOf(END);
    expect(start, `docs/errors.md needs the markers ${START} … ${END}`).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const table = renderTable();
    if (UPDATE) {
      writeFileSync(DOC, `${doc.slice(0, start + START.length)}\n${table}\n${doc.slice(end)}`);
      return;
    }
    const documented = doc.slice(start + START.length, end).trim();
    expect(documented, 'run this test with FLOWLLM_UPDATE_DOCS=1 to regenerate the table').toBe(table);
    const documentedCodes = [...documented.matchAll(/^\| `(FLOWLLM_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documentedCodes.sort()).toEqual(definedCodes);
  });

  it('every FLOWLLM_* literal in packages/core/src is a defined code', () => {
    const used = new Map<string, string[]>();
    for (const file of sourceFiles(CORE_SRC)) {
      if (file.path === 'error-codes.ts') continue;
      for (const [, code = ''] of file.text.matchAll(CODE_LITERAL)) {
        used.set(code, [...(used.get(code) ?? []), file.path]);
      }
    }
    const undefinedCodes = [...used].filter(([code]) => !(code in FLOWLLM_ERROR_CODES));
    expect(undefinedCodes, 'add these codes to src/error-codes.ts').toEqual([]);
    const unusedCodes = definedCodes.filter((code) => !used.has(code));
    expect(unusedCodes, 'these codes are defined but nothing throws them').toEqual([]);
  });

  it('a code has a known meaning and plausible statuses', () => {
    for (const info of Object.values(FLOWLLM_ERROR_CODES)) {
      expect(info.meaning.length).toBeGreaterThan(10);
      for (const status of info.statuses) expect(status >= 400 && status < 600).toBe(true);
    }
  });

  it("types FlowllmError's code with the union; an app's own code names its type", () => {
    expectTypeOf(new FlowllmError('FLOWLLM_TIMEOUT', 'slow').code).toEqualTypeOf<FlowllmErrorCode>();
    // @ts-expect-error a code that is not defined is a compile error
    new FlowllmError('FLOWLLM_TYPO', 'x');
    const own = new FlowllmError<'MY_APP_QUOTA'>('MY_APP_QUOTA', 'quota used up', {
      expose: true,
      status: 429,
    });
    expectTypeOf(own.code).toEqualTypeOf<'MY_APP_QUOTA'>();
    expect(FlowllmError.isInstance(own) && own.code).toBe('MY_APP_QUOTA');
  });
});
