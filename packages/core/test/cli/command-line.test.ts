// Which arguments the flowllm command keeps for itself, and that the config loader refuses `ops=`.
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/command-line.js';
import { parseCliArgs } from '../../src/config/cli-args.js';
import { ConfigError } from '../../src/config/config-error.js';

describe('parseCommandLine', () => {
  it('takes ops= (comma-separated, repeatable, leading dashes dropped) and leaves the rest in order', () => {
    expect(parseCommandLine(['ops=./a.js, ./b.js', 'config=x', '--ops=pkg', '--http.port=9000'])).toEqual({
      kind: 'run',
      opModules: ['./a.js', './b.js', 'pkg'],
      configArgs: ['config=x', '--http.port=9000'],
    });
  });

  it('help and version win wherever they are, the first one given first', () => {
    expect(parseCommandLine(['config=x', '-h', '--version'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['version', 'help'])).toEqual({ kind: 'version' });
  });

  it('an ops= naming no module is a ConfigError', () => {
    expect(() => parseCommandLine(['ops= , '])).toThrow(ConfigError);
  });
});

describe('parseCliArgs (the config loader)', () => {
  it('refuses ops=, which only the flowllm command reads, instead of ignoring it as an unknown key', () => {
    expect(() => parseCliArgs(['ops=./my_ops.js'])).toThrow(/`ops=` is read by the flowllm command only/);
  });
});
