// Child processes of a run (one server per target, one load client) and request/reply over IPC.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface Message {
  type: string;
  rid?: number;
  [key: string]: unknown;
}

/** The open-file limit this process has, and the hard limit it may raise it to. */
export function fileLimits(): { soft: number; hard: number } {
  try {
    const out = execFileSync('sh', ['-c', 'ulimit -Sn; ulimit -Hn'], { encoding: 'utf8' }).trim().split('\n');
    const parse = (text: string | undefined) => (text === 'unlimited' ? Infinity : Number(text));
    return { soft: parse(out[0]), hard: parse(out[1]) };
  } catch {
    return { soft: Number.NaN, hard: Number.NaN };
  }
}

const live = new Set<ChildProcess>();

/** Kills every child still running (the run's last step, and on any exit). */
export function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** A child process speaking the bench's IPC: `call` sends a message and awaits its reply. */
export class Child {
  private nextRid = 1;
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, (message: Message) => void>();
  private readonly process: ChildProcess;
  private stderr = '';
  readonly exited: Promise<void>;

  /**
   * Starts `script` (a .ts file under src/) with tsx; `fileLimit` raises `ulimit -n` for it when the
   * current soft limit is lower (up to the hard limit).
   */
  constructor(
    script: string,
    args: string[],
    options: { fileLimit?: number; nodeArgs?: string[]; env?: Record<string, string> } = {},
  ) {
    const node = [
      ...(options.nodeArgs ?? []),
      '--import',
      'tsx',
      fileURLToPath(new URL(script, import.meta.url)),
    ];
    const limits = fileLimits();
    const wanted = options.fileLimit ?? 0;
    const raise = wanted > limits.soft && Number.isFinite(limits.soft);
    const [command, argv] = raise
      ? [
          'sh',
          [
            '-c',
            `ulimit -n ${Math.min(wanted, limits.hard)} && exec "$0" "$@"`,
            process.execPath,
            ...node,
            ...args,
          ],
        ]
      : [process.execPath, [...node, ...args]];
    this.process = spawn(command as string, argv as string[], {
      cwd: BENCH_DIR,
      env: options.env ? { ...process.env, ...options.env } : process.env,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    live.add(this.process);
    this.process.stderr?.setEncoding('utf8');
    this.process.stderr?.on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-4000);
    });
    this.process.on('message', (message: Message) => {
      if (message.rid !== undefined && this.pending.has(message.rid)) {
        const waiter = this.pending.get(message.rid)!;
        this.pending.delete(message.rid);
        if (message.type === 'error') waiter.reject(new Error(String(message.message)));
        else waiter.resolve(message);
        return;
      }
      this.listeners.get(message.type)?.(message);
    });
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        live.delete(this.process);
        const why = new Error(`${script} exited (${code ?? signal}): ${this.stderr.trim().slice(-1500)}`);
        for (const waiter of this.pending.values()) waiter.reject(why);
        this.pending.clear();
        resolve();
      });
    });
  }

  /** Sends `message` and resolves with the reply; rejects after `timeoutMs` or if the child dies. */
  call<T extends Message = Message>(message: Message, timeoutMs = 120_000): Promise<T> {
    const rid = this.nextRid++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        reject(new Error(`no reply to '${message.type}' within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(rid, {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.process.send({ ...message, rid });
    });
  }

  /** Listens to unsolicited messages of one type (e.g. the server's model-stop reports). */
  on(type: string, listener: (message: Message) => void): void {
    this.listeners.set(type, listener);
  }

  /** Waits for the first message of `type`. */
  once(type: string, timeoutMs = 60_000): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no '${type}' within ${timeoutMs} ms: ${this.stderr.trim().slice(-1500)}`)),
        timeoutMs,
      );
      this.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`child exited before '${type}': ${this.stderr.trim().slice(-1500)}`));
      });
      this.listeners.set(type, (message) => {
        clearTimeout(timer);
        this.listeners.delete(type);
        resolve(message);
      });
    });
  }

  /** Asks the child to exit (so a CPU profile gets written), then kills it if it does not. */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.send({ type: 'exit' });
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Replies to the parent's messages with `handler`'s result (children side). */
export function serveIpc(handler: (message: Message) => Promise<Record<string, unknown>>): void {
  // The orchestrator is gone (killed, crashed): never outlive it.
  process.once('disconnect', () => process.exit(0));
  process.on('message', (message: Message) => {
    if (message.type === 'exit') {
      process.exit(0);
    }
    handler(message).then(
      (reply) => process.send?.({ type: 'reply', ...reply, rid: message.rid }),
      (error: unknown) =>
        process.send?.({
          type: 'error',
          message: String((error as Error)?.stack ?? error),
          rid: message.rid,
        }),
    );
  });
}
