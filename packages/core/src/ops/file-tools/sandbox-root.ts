import { readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { FlowllmError } from '../../errors.js';

/**
 * The error code of every sandbox refusal (a path outside the root, a capability that is off, a
 * bound hit). Refusals are exposed: an agent sends the message back to its model as the tool result.
 *
 * @example
 * if (FlowllmError.isInstance(error) && error.code === SANDBOX_REFUSAL_CODE) console.log(error.message);
 */
export const SANDBOX_REFUSAL_CODE = 'FLOWLLM_TOOL';

/**
 * An exposed error a tool op throws to refuse a request; its message says what to do instead.
 *
 * @example
 * throw sandboxRefusal('ReadFile reads files of at most 10485760 bytes; this one has 20000000.');
 */
export function sandboxRefusal(message: string): FlowllmError {
  return new FlowllmError(SANDBOX_REFUSAL_CODE, message, { expose: true, status: 403 });
}

/**
 * The canonical (symlink-free) path of a sandbox root: `configured` resolved against the working
 * directory, or the working directory itself when nothing is configured. Fails (exposed) when it is
 * not an existing directory.
 *
 * @example
 * const root = await resolveSandboxRoot(op.option('root_dir')); // '/srv/project'
 */
export async function resolveSandboxRoot(configured: unknown, option = 'root_dir'): Promise<string> {
  const wanted = typeof configured === 'string' && configured.trim() !== '' ? configured : process.cwd();
  rejectNul(wanted, option);
  try {
    const real = await realpath(path.resolve(wanted));
    if ((await stat(real)).isDirectory()) return real;
  } catch {
    // Reported below with the option's name.
  }
  throw sandboxRefusal(`${option} "${wanted}" is not an existing directory.`);
}

/**
 * Whether `candidate` is `root` or lies below it (both absolute, normalized paths).
 *
 * @example
 * isInsideRoot('/srv/project', '/srv/project/src/a.ts'); // true
 * isInsideRoot('/srv/project', '/srv/project-old/a.ts'); // false
 */
export function isInsideRoot(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
  );
}

/**
 * Resolves a path a model or a request asked for to a real path inside `root` (a path from
 * {@link resolveSandboxRoot}), or refuses it with an exposed error. Relative paths are taken from
 * the root; absolute ones must lie inside it. Refused: NUL bytes, `..` that climbs out, absolute
 * paths elsewhere, and symlinks (anywhere on the way) whose target is outside the root — checked on
 * the real path of the deepest existing ancestor, so a path that does not exist yet (a file to
 * write) is checked too. Backslashes count as separators everywhere, so `..\\..\\etc` is `../../etc`.
 * `~` is not expanded. The returned path is the one to use: it contains no symlinks up to the
 * deepest existing ancestor.
 *
 * @example
 * await confinePath('/srv/project', 'src/a.ts');          // '/srv/project/src/a.ts'
 * await confinePath('/srv/project', '../etc/passwd');     // throws: outside the root
 */
export async function confinePath(root: string, requested: unknown, field = 'path'): Promise<string> {
  if (typeof requested !== 'string') throw sandboxRefusal(`'${field}' must be a string.`);
  rejectNul(requested, field);
  const wanted = requested.replaceAll('\\', '/');
  const candidate = path.resolve(root, wanted);
  const real = await realPathOfDeepestAncestor(candidate);
  if (!isInsideRoot(root, real)) {
    throw sandboxRefusal(
      // The root is not named: the text may reach a client, and server paths are not theirs to see.
      `Path "${requested}" is outside the directory this tool may use: use a path inside it (relative paths start there).`,
    );
  }
  return real;
}

/**
 * The real path of `candidate`, or — when it does not exist — the real path of its deepest existing
 * ancestor with the missing names appended.
 *
 * @example
 * await realPathOfDeepestAncestor('/tmp/link/new.txt'); // '/private/tmp/target/new.txt'
 */
export async function realPathOfDeepestAncestor(candidate: string): Promise<string> {
  const missing: string[] = [];
  let current = candidate;
  for (let links = 0; ; ) {
    try {
      return path.join(await realpath(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A dangling symlink: writing to it creates its target, so its target is what must be checked.
      const target = code === 'ENOENT' ? await readlink(current).catch(() => undefined) : undefined;
      if (target !== undefined) {
        if (++links > MAX_LINKS) throw error;
        current = path.resolve(path.dirname(current), target);
        continue;
      }
      const parent = path.dirname(current);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === current) throw error;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/** Symlinks followed by hand before giving up, as the OS does (Linux: 40). */
const MAX_LINKS = 40;

/**
 * Refuses the call unless the op's capability flag is on: what ops that write files or run
 * commands check first. The refusal names the option to set.
 *
 * @example
 * requireCapability('WriteFileOp', 'allow_write', this.option<boolean>('allow_write'));
 */
export function requireCapability(
  opClass: string,
  flag: 'allow_write' | 'allow_shell',
  enabled: unknown,
): void {
  if (enabled === true) return;
  const what = flag === 'allow_write' ? 'write files' : 'run shell commands';
  throw sandboxRefusal(
    `${opClass} is off: set ${flag}=True on it in the flow (${opClass}(${flag}=True)) to let it ${what}.`,
  );
}

function rejectNul(value: string, field: string): void {
  if (value.includes('\0')) throw sandboxRefusal(`'${field}' contains a NUL byte.`);
}
