// Drives fixtures/owner.ts: a Redis event log in a child process.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
// No imports beyond wait.ts: the conformance index would load every adapter.
import { settles } from '../../conformance/src/wait.js';

const OWNER = fileURLToPath(new URL('./fixtures/owner.ts', import.meta.url));

/** One JSON line from the child. */
export type OwnerMessage = {
  ready?: boolean;
  stop?: string;
  status?: { op: string; available: boolean; fenced?: boolean; logged: string[] };
};

/**
 * A running owner process.
 *
 * @example
 * const owner = await startOwner({ REDIS_URL: redis.url, INSTANCE_ID: 'a' });
 * await owner.send({ op: 'create', flowId });
 */
export interface OwnerProcess {
  readonly child: ChildProcess;
  /** Sends a command; resolves with its status reply. */
  send(command: {
    op: string;
    flowId?: string;
    frames?: string[];
  }): Promise<NonNullable<OwnerMessage['status']>>;
  /** Resolves with the first message (past or future) that `match` accepts. */
  next(match: (message: OwnerMessage) => boolean, what: string): Promise<OwnerMessage>;
  /** Everything it wrote to stderr. */
  stderr(): string;
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit code (or signal) once it has exited. */
  exited: Promise<number | string>;
}

/** Starts fixtures/owner.ts with `env` and waits for its `{"ready":true}`. */
export async function startOwner(env: Record<string, string>): Promise<OwnerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', OWNER], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const messages: OwnerMessage[] = [];
  const waiters: Array<() => void> = [];
  let stderr = '';
  let buffer = '';
  child.stderr?.on('data', (part: Buffer) => {
    stderr += part.toString();
  });
  child.stdout?.on('data', (part: Buffer) => {
    buffer += part.toString();
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      messages.push(JSON.parse(buffer.slice(0, newline)) as OwnerMessage);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      for (const wake of waiters.splice(0)) wake();
    }),
  );
  const until = async <T>(probe: () => T | undefined, what: string): Promise<T> => {
    const search = async (): Promise<T> => {
      for (;;) {
        const found = probe();
        if (found !== undefined) return found;
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`the owner process exited while waiting for ${what}:\n${stderr}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    return settles(search(), `${what} (owner stderr: ${stderr})`, 30_000);
  };
  const next = (match: (message: OwnerMessage) => boolean, what: string) =>
    until(() => messages.find(match), what);
  const statuses = () => messages.filter((message) => message.status !== undefined);
  const owner: OwnerProcess = {
    child,
    exited,
    stderr: () => stderr,
    kill: (signal) => child.kill(signal),
    next,
    send: async (command) => {
      const index = statuses().length;
      child.stdin?.write(`${JSON.stringify(command)}\n`);
      const reply = await until(() => statuses()[index], `the reply to ${command.op}`);
      return reply.status!;
    },
  };
  await next((m) => m.ready === true, 'the owner to start');
  return owner;
}
