import { commaList, splitCliArgument } from '../config/cli-args.js';
import { ConfigError } from '../config/config-error.js';

/**
 * What a `flowllm` command line asks for: the usage text, the version, or a run with the op modules
 * to import first and the arguments left for the config loader.
 *
 * @example
 * const command: CommandLine = { kind: 'run', opModules: ['./my_ops.js'], configArgs: ['config=my_config'] };
 */
export type CommandLine =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; opModules: string[]; configArgs: string[] };

const HELP = new Set(['h', 'help']);
const VERSION = new Set(['v', 'version']);

/**
 * Splits the `flowllm` arguments: `--help` / `-h` / `help` and `--version` / `-v` / `version` (the
 * first one wins, whatever else is given), `ops=a.js,b.js` (repeatable), and everything else, which
 * the config loader reads (`config=`, dotted overrides). An `ops=` naming no module throws a `ConfigError`.
 *
 * @example
 * parseCommandLine(['ops=./my_ops.js,./more.js', 'config=my_config', 'http.port=9000']);
 * // { kind: 'run', opModules: ['./my_ops.js', './more.js'], configArgs: ['config=my_config', 'http.port=9000'] }
 * parseCommandLine(['config=x', '--help']); // { kind: 'help' }
 * parseCommandLine(['ops=']); // throws a ConfigError: `ops=` names no module
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const opModules: string[] = [];
  const configArgs: string[] = [];
  for (const raw of argv) {
    const word = raw.replace(/^-+/, '');
    if (HELP.has(word)) return { kind: 'help' };
    if (VERSION.has(word)) return { kind: 'version' };
    const argument = splitCliArgument(raw);
    if (argument?.key === 'ops') {
      const modules = commaList(argument.value);
      if (modules.length === 0) {
        const message = 'expected ops=<module>[,<module>…], e.g. ops=./my_ops.js';
        throw new ConfigError([{ path: '', message, source: { file: `argument '${raw}'` } }]);
      }
      opModules.push(...modules);
    } else {
      configArgs.push(raw);
    }
  }
  return { kind: 'run', opModules, configArgs };
}
