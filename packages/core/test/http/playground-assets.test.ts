// The playground's browser files (src/http/playground/browser/) are served from strings in
// src/http/playground/assets.generated.ts, so the page works from the built package and on runtimes
// without a file system. This test rebuilds that file and fails when it is stale;
// `pnpm --filter @flowllm/core run playground:update` (FLOWLLM_UPDATE_PLAYGROUND=1) writes it.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';

const BROWSER = new URL('../../src/http/playground/browser/', import.meta.url);
const GENERATED = new URL('../../src/http/playground/assets.generated.ts', import.meta.url);

/** The script's modules, each after the ones it imports: they are joined into one file in this order. */
const MODULES = [
  'dom.js',
  'sse.js',
  'schema-form.js',
  'snippets.js',
  'timeline.js',
  'run-view.js',
  'runner.js',
  'playground.js',
];

const IMPORT = /^import\s[^;]*?from\s+'\.\/([\w-]+\.js)';\n/gm;
const EXPORT = /^export (?=(?:async )?(?:function|class|const|let) )/gm;
// Comments are for the source's readers; the page ships without them (the code keeps its indentation).
const JS_COMMENT = /^\s*(?:\/\/.*|\/\*\*[\s\S]*?\*\/)\n/gm;
const CSS_COMMENT = /^\s*\/\*[\s\S]*?\*\/\n/gm;

function source(name: string): string {
  return readFileSync(new URL(name, BROWSER), 'utf8');
}

/** The modules as one script: their imports of each other dropped, `export` dropped, comments dropped. */
function bundle(): string {
  return MODULES.map((name, index) => {
    const text = source(name);
    for (const [, imported] of text.matchAll(IMPORT)) {
      if (MODULES.indexOf(imported as string) >= index)
        throw new Error(`${name} imports ${imported}, which must come before it in MODULES`);
    }
    return text.replace(IMPORT, '').replace(EXPORT, '').replace(JS_COMMENT, '');
  }).join('\n');
}

/** A template literal of `text`, so the generated file shows the page's lines as they are. */
function templateLiteral(text: string): string {
  return `\`${text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
}

function generated(): { text: string; js: string; css: string } {
  const js = bundle();
  const css = source('playground.css').replace(CSS_COMMENT, '');
  const version = createHash('sha256').update(js).update(css).digest('hex').slice(0, 12);
  const text = [
    '// Generated from ./browser/ by test/http/playground-assets.test.ts: do not edit, run',
    '// `pnpm --filter @flowllm/core run playground:update` instead.',
    '',
    '/** The playground script: the modules of ./browser/ joined into one, without comments. */',
    `export const PLAYGROUND_JS = ${templateLiteral(js)};`,
    '',
    '/** The playground style. */',
    `export const PLAYGROUND_CSS = ${templateLiteral(css)};`,
    '',
    '/** A hash of both, in their URLs, so a browser may keep them for good. */',
    `export const PLAYGROUND_VERSION = '${version}';`,
    '',
  ].join('\n');
  return { text, js, css };
}

describe('the playground assets', () => {
  it('assets.generated.ts is built from the current browser files', async () => {
    const expected = generated();
    if (process.env.FLOWLLM_UPDATE_PLAYGROUND) writeFileSync(GENERATED, expected.text);
    expect(readFileSync(GENERATED, 'utf8')).toBe(expected.text);
    // What the module exports is exactly the files' text (the escaping round-trips).
    const assets = await import('../../src/http/playground/assets.generated.js');
    expect(assets.PLAYGROUND_JS).toBe(expected.js);
    expect(assets.PLAYGROUND_CSS).toBe(expected.css);
  });

  it('the joined script parses: no module declares a name another one does', () => {
    expect(() => new Script(bundle())).not.toThrow();
    expect(bundle()).not.toMatch(/^\s*(import|export)\s/m);
  });
});
