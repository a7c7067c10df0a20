import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config-error.js';

// From src/config/*.ts the package root is two levels up, from dist/*.js one; allow one more.
const MAX_LEVELS_UP = 3;

/**
 * The package's built-in `configs/` folder, found by walking up from this module's directory
 * (so it works from `src/config/` and from the bundled `dist/`).
 *
 * @example
 * path.join(defaultBuiltinDir(), 'builtin-defaults.yaml'); // '…/node_modules/@flowllm/core/configs/builtin-defaults.yaml'
 */
export function defaultBuiltinDir(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    const candidate = path.join(directory, 'configs');
    if (existsSync(path.join(candidate, 'builtin-defaults.yaml'))) return candidate;
    directory = path.dirname(directory);
  }
  throw new ConfigError([
    {
      path: '',
      message: 'the built-in configs folder (configs/builtin-defaults.yaml) was not found beside the package',
    },
  ]);
}

/**
 * Resolves a `config=` entry to a file. A string ending in `.yaml`/`.yml` or containing a path
 * separator is a path relative to `cwd` (without a suffix, `.yaml` and `.yml` are tried after
 * it as given); any other string is a name, looked up as
 * `<builtinDir>/<name>.yaml`, `<builtinDir>/<name>.yml`, `<cwd>/<name>.yaml`, `<cwd>/<name>.yml`
 * in that order. Throws a `ConfigError` listing where it looked.
 *
 * @example
 * resolveConfigFile('my_stream_config', { cwd: '/app', builtinDir: '/pkg/configs' }); // '/app/my_stream_config.yaml'
 */
export function resolveConfigFile(nameOrPath: string, options: { cwd: string; builtinDir: string }): string {
  const hasSuffix = /\.ya?ml$/i.test(nameOrPath);
  const isPath = hasSuffix || nameOrPath.includes('/') || nameOrPath.includes(path.sep);
  const withSuffixes = (file: string) => (hasSuffix ? [file] : [file, `${file}.yaml`, `${file}.yml`]);
  const candidates = isPath
    ? withSuffixes(path.resolve(options.cwd, nameOrPath))
    : [options.builtinDir, options.cwd].flatMap((directory) =>
        ['.yaml', '.yml'].map((suffix) => path.resolve(directory, `${nameOrPath}${suffix}`)),
      );
  const found = candidates.find(isFile);
  if (found) return found;
  const what = isPath ? 'config file' : 'config';
  throw new ConfigError([
    {
      path: '',
      message: `${what} ${JSON.stringify(nameOrPath)} not found; looked for ${candidates.join(', ')}`,
    },
  ]);
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The @flowllm/core package folder: where `configs/` and `package.json` sit, found from this module
 * (so it works from the sources and from the bundled `dist/`).
 *
 * @example
 * corePackageRoot(); // '…/node_modules/@flowllm/core'
 */
export function corePackageRoot(): string {
  return path.dirname(defaultBuiltinDir());
}
