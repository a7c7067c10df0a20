// Code samples in the docs. Every ```ts / ```js / ```html block must be preceded by a directive
// comment saying how it is tested — so no sample can slip through untested:
//
//   <!-- sample: check -->                type-checked against the packed packages
//   <!-- sample: run -->                  type-checked, compiled and run: it must exit with 0
//   <!-- sample: serve path=/api/chat --> type-checked, compiled and started; its server (whatever
//                                         port it asks for, it gets a free one) must stream the flow at
//                                         `path` in FlowLLM's framing
//   <!-- sample: config -->               (```yaml) a config that must load without errors or warnings
//   <!-- sample: wire -->                 (``` text) a stream body that must be FlowLLM's framing
//   <!-- sample: nginx -->                (```nginx) a `server` block (`listen 80`, proxying to
//                                         127.0.0.1:8002) that a real nginx runs in front of a flowllm
//                                         server: the stream must arrive chunk by chunk (or, with
//                                         `expect=buffered`, a wrong one the doc warns about: in one piece)
//
// `file=name.cts` picks the sample's file extension (e.g. a CommonJS sample). Lines after the directive,
// inside the comment, are a hidden prelude compiled before the sample (imports, an `app` to call).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './workspace.js';

export type SampleMode = 'check' | 'run' | 'serve' | 'config' | 'wire' | 'nginx';
const MODES = new Set<SampleMode>(['check', 'run', 'serve', 'config', 'wire', 'nginx']);
/** Fence languages that are code, so they must carry a directive. */
const CODE_LANGUAGES = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'cjs', 'mts', 'cts', 'html']);

export interface DocSample {
  /** The markdown file, relative to the repository root. */
  doc: string;
  /** 1-based line of the sample's first code line. */
  line: number;
  language: string;
  mode: SampleMode;
  options: Record<string, string>;
  prelude: string[];
  code: string[];
}

export interface DocProblem {
  doc: string;
  line: number;
  message: string;
}

/** The markdown files users read: the root README, docs/, and the public packages' READMEs. */
export function docFiles(publicFolders: string[]): string[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      if (entry.isDirectory()) walk(`${dir}/${entry.name}`);
      else if (entry.name.endsWith('.md')) files.push(`${dir}/${entry.name}`);
    }
  };
  walk('docs');
  for (const folder of publicFolders) files.push(`packages/${folder}/README.md`);
  return files;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w-]*)(.*)$/;

/** The samples of one markdown file, and what is wrong with its directives. */
export function extractSamples(doc: string, text: string): { samples: DocSample[]; problems: DocProblem[] } {
  const lines = text.split('\n');
  const samples: DocSample[] = [];
  const problems: DocProblem[] = [];
  let pending:
    | { line: number; mode: SampleMode; options: Record<string, string>; prelude: string[] }
    | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const directive = /^\s*<!--\s*sample:\s*(.*?)\s*(-->)?\s*$/.exec(line);
    if (directive) {
      if (pending)
        problems.push({ doc, line: pending.line, message: 'a sample directive without a code block' });
      const [mode = '', ...words] = (directive[1] ?? '').split(/\s+/);
      const options: Record<string, string> = {};
      for (const word of words) {
        const [key, ...value] = word.split('=');
        options[key ?? ''] = value.join('=');
      }
      const prelude: string[] = [];
      if (!directive[2]) {
        while (++index < lines.length && !/-->\s*$/.test(lines[index] ?? ''))
          prelude.push(lines[index] ?? '');
        if (index >= lines.length)
          problems.push({ doc, line: index, message: 'an unterminated sample directive' });
      }
      if (!MODES.has(mode as SampleMode)) {
        problems.push({ doc, line: index + 1, message: `unknown sample mode '${mode}'` });
        continue;
      }
      pending = { line: index + 1, mode: mode as SampleMode, options, prelude };
      continue;
    }
    const fence = FENCE.exec(line);
    if (!fence) {
      if (pending && line.trim() !== '') {
        problems.push({
          doc,
          line: pending.line,
          message: 'a sample directive must be followed by a code block',
        });
        pending = undefined;
      }
      continue;
    }
    const marker = fence[1] ?? '```';
    const language = (fence[2] ?? '').toLowerCase();
    const start = index + 1;
    const code: string[] = [];
    while (++index < lines.length && !(lines[index] ?? '').trimStart().startsWith(marker))
      code.push(lines[index] ?? '');
    if (pending) {
      samples.push({ ...pending, doc, line: start + 1, language, code });
      pending = undefined;
    } else if (CODE_LANGUAGES.has(language)) {
      problems.push({
        doc,
        line: start,
        message: `a \`\`\`${language} block without a <!-- sample: … --> directive: every code sample is compiled or run`,
      });
    }
  }
  if (pending) problems.push({ doc, line: pending.line, message: 'a sample directive without a code block' });
  return { samples, problems };
}

/** Every sample of every doc file, and every directive problem. */
export function allSamples(publicFolders: string[]): { samples: DocSample[]; problems: DocProblem[] } {
  const samples: DocSample[] = [];
  const problems: DocProblem[] = [];
  for (const doc of docFiles(publicFolders)) {
    const found = extractSamples(doc, readFileSync(join(ROOT, doc), 'utf8'));
    samples.push(...found.samples);
    problems.push(...found.problems);
  }
  return { samples, problems };
}

/** The file name a sample is written to in the samples project. */
export function sampleFileName(sample: DocSample): string {
  const base = `${sample.doc.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '_')}_L${sample.line}`;
  const explicit = sample.options.file ? /\.[a-z]+$/.exec(sample.options.file)?.[0] : undefined;
  if (explicit) return `${base}${explicit}`;
  if (sample.language === 'html') return `${base}.js`;
  if (['js', 'javascript', 'mjs'].includes(sample.language)) return `${base}.js`;
  if (sample.language === 'cjs') return `${base}.cjs`;
  return `${base}.ts`;
}

/**
 * The source written for a sample: the prelude, then the code. HTML samples keep only the code of their
 * `<script type="module">` elements, other lines blank, so line numbers still match the doc.
 */
export function sampleSource(sample: DocSample): string {
  let code = sample.code;
  if (sample.language === 'html') {
    let inScript = false;
    code = sample.code.map((line) => {
      if (/<script\b[^>]*type="module"[^>]*>/.test(line)) {
        inScript = !/<\/script>/.test(line);
        return '';
      }
      if (/<\/script>/.test(line)) {
        inScript = false;
        return '';
      }
      return inScript ? line : '';
    });
  }
  return [...sample.prelude, ...code].join('\n');
}

/** Maps a line of a sample's file back to its doc and line. */
export function docLine(sample: DocSample, fileLine: number): string {
  const codeLine = fileLine - sample.prelude.length;
  return codeLine >= 1
    ? `${sample.doc}:${sample.line + codeLine - 1}`
    : `${sample.doc}:${sample.line - 1} (the sample's hidden prelude, line ${fileLine})`;
}

/** GitHub's anchors of a markdown file's headings (`## A (b)` → `a-b`, repeats get `-1`, `-2`…). */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of text.split('\n')) {
    if (FENCE.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = (heading[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** Relative links in a markdown file whose target file, or heading anchor, does not exist. */
export function brokenLinks(
  doc: string,
  text: string,
  read: (path: string) => string | undefined,
): DocProblem[] {
  const problems: DocProblem[] = [];
  const lines = text.split('\n');
  let inFence = false;
  lines.forEach((line, index) => {
    if (FENCE.test(line)) inFence = !inFence;
    if (inFence) return;
    for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const [target = '', anchor] = (match[1] ?? '').split('#');
      if (/^[a-z]+:/i.test(target)) continue;
      const resolved = target ? relative(ROOT, join(ROOT, doc, '..', target)) : doc;
      const content = read(resolved);
      if (content === undefined) {
        problems.push({ doc, line: index + 1, message: `broken link to ${target}` });
      } else if (anchor && resolved.endsWith('.md') && !headingAnchors(content).has(anchor)) {
        problems.push({ doc, line: index + 1, message: `no heading for #${anchor} in ${resolved}` });
      }
    }
  });
  return problems;
}
