// The public API of every published package, as built — the root and every subpath export
// (`@flowllm/core/ops`, …): a committed snapshot catches accidental changes, and every public symbol
// must carry API docs (a JSDoc comment with an @example).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ApiSurface, apiSurface, declaredExports, docIssues, entryPoints } from '../src/api-surface.js';
import { PACKAGING_DIR, publicPackages } from '../src/workspace.js';

const SNAPSHOT = join(PACKAGING_DIR, 'api', 'public-api.json');
const UPDATE = Boolean(process.env.FLOWLLM_UPDATE_API);
const HOW_TO_UPDATE =
  'If the change is intended, update the snapshot with `pnpm --filter @flowllm/packaging api:update` ' +
  '(after `npx turbo run build`), commit api/public-api.json, and add a changeset (`pnpm changeset`): ' +
  'a removed or renamed export is a breaking change.';

function diff(name: string, kind: string, expected: string[], actual: string[]): string[] {
  const lines: string[] = [];
  for (const entry of actual) if (!expected.includes(entry)) lines.push(`  + ${name} ${kind} ${entry}`);
  for (const entry of expected) if (!actual.includes(entry)) lines.push(`  - ${name} ${kind} ${entry}`);
  return lines;
}

describe('the public API', () => {
  const entries = publicPackages().flatMap(entryPoints);

  it('matches the committed snapshot (api/public-api.json)', () => {
    const actual: Record<string, ApiSurface> = {};
    for (const entry of entries) actual[entry.name] = apiSurface(entry);
    if (UPDATE || !existsSync(SNAPSHOT)) {
      writeFileSync(SNAPSHOT, `${JSON.stringify(actual, null, 2)}\n`);
      if (!UPDATE) throw new Error(`${SNAPSHOT} did not exist and was written: review and commit it.`);
      return;
    }
    const expected = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Record<string, ApiSurface>;
    const changes: string[] = [];
    for (const name of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      const before = expected[name] ?? { runtime: [], types: [] };
      const after = actual[name] ?? { runtime: [], types: [] };
      changes.push(...diff(name, 'export', before.runtime, after.runtime));
      changes.push(...diff(name, 'type', before.types, after.types));
    }
    if (changes.length > 0) {
      throw new Error(
        `The public API changed (+ added, - removed):\n${changes.join('\n')}\n${HOW_TO_UPDATE}`,
      );
    }
  });

  it('covers every subpath export of @flowllm/core', () => {
    expect(entries.map((entry) => entry.name).filter((name) => name.startsWith('@flowllm/core'))).toEqual([
      '@flowllm/core',
      '@flowllm/core/ops',
      '@flowllm/core/models',
      '@flowllm/core/sse',
      '@flowllm/core/adapter',
      '@flowllm/core/protocols',
    ]);
  });

  it.each(entries.map((entry) => [entry.name, entry] as const))(
    '%s: the declarations export exactly what the built JavaScript exports at run time',
    (_name, entry) => {
      expect(declaredExports(entry).values).toEqual(apiSurface(entry).runtime);
    },
  );

  it.each(entries.map((entry) => [entry.name, entry] as const))(
    '%s: every export has JSDoc with an @example; options document each key and its @default',
    (_name, entry) => {
      const issues = docIssues(entry).map((issue) => `${issue.symbol}: ${issue.problem}`);
      expect(issues, `API docs missing in ${entry.name} (add them in src/, then rebuild)`).toEqual([]);
    },
  );
});
