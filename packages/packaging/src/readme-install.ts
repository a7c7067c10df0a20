// The install commands a package README tells users to run, as dependency maps for a test project.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tarballs } from './pack.js';
import type { WorkspacePackage } from './workspace.js';

export interface InstallLine {
  dev: boolean;
  /** name → range, as `npm install name@range` would record it ('latest' when no range is given) */
  packages: Record<string, string>;
}

/** Every `npm install …` line inside a ```sh block of the package's README. */
export function readmeInstallLines(pkg: WorkspacePackage): InstallLine[] {
  return installLines(readFileSync(join(pkg.dir, 'README.md'), 'utf8'));
}

/** Every `npm install …` line inside a ```sh block of a Markdown text. */
export function installLines(markdown: string): InstallLine[] {
  const lines: InstallLine[] = [];
  for (const block of markdown.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    for (const line of (block[1] ?? '').split('\n')) {
      const words = line.replace(/#.*$/, '').trim().split(/\s+/);
      if (words[0] !== 'npm' || (words[1] !== 'install' && words[1] !== 'i')) continue;
      const flags = words.slice(2).filter((word) => word.startsWith('-'));
      const packages: Record<string, string> = {};
      for (const spec of words.slice(2).filter((word) => !word.startsWith('-'))) {
        const at = spec.indexOf('@', 1);
        packages[at === -1 ? spec : spec.slice(0, at)] = at === -1 ? 'latest' : spec.slice(at + 1);
      }
      lines.push({ dev: flags.some((flag) => flag === '-D' || flag === '--save-dev'), packages });
    }
  }
  return lines;
}

/**
 * The README's first runtime install line, with every `@flowllm/*` package taken from its tarball. The
 * adapters peer-depend on `@flowllm/core`, so the line itself must name it (npm would otherwise fetch
 * the peer from the registry).
 */
export function readmeDependencies(pkg: WorkspacePackage, tarballs: Tarballs): Record<string, string> {
  const line = readmeInstallLines(pkg).find((candidate) => !candidate.dev);
  if (!line) throw new Error(`${pkg.name}'s README has no \`npm install\` line in a \`\`\`sh block`);
  const dependencies: Record<string, string> = {};
  for (const [name, range] of Object.entries(line.packages)) {
    if (name.startsWith('@flowllm/')) {
      const tarball = tarballs.get(name);
      if (!tarball) throw new Error(`${pkg.name}'s README installs ${name}, which is not a public package`);
      dependencies[name] = `file:${tarball}`;
    } else {
      dependencies[name] = range;
    }
  }
  return dependencies;
}
