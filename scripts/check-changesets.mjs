// Fails when a changeset cannot be parsed or names a package that is not in the workspace,
// so a broken changeset is caught by `pnpm test`, not at release time.
import { readdirSync, readFileSync } from 'node:fs';
import parse from '@changesets/parse';

const packages = new Set(
  readdirSync('packages', { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => JSON.parse(readFileSync(`packages/${entry.name}/package.json`, 'utf8')).name),
);
let failures = 0;
for (const file of readdirSync('.changeset').filter((name) => name.endsWith('.md') && name !== 'README.md')) {
  try {
    const { releases, summary } = parse(readFileSync(`.changeset/${file}`, 'utf8'));
    if (releases.length === 0 || !summary.trim()) throw new Error('no releases or no summary');
    for (const release of releases) {
      if (!packages.has(release.name)) throw new Error(`unknown package ${release.name}`);
    }
  } catch (error) {
    failures++;
    console.error(`.changeset/${file}: ${error.message}`);
  }
}
if (failures > 0) process.exit(1);
console.log('changesets: ok');
