// The resume cluster of the reliability suite: flowllm instances in child processes sharing one Redis
// (resume-instance.ts), and nginx in front of two of them with the upstream configuration that
// docs/resume.md documents, read from the doc itself so the doc cannot drift from what is tested.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HANG_MS, settles } from '@flowllm/conformance';
import { freePort, startNginx as runNginx } from '@flowllm/conformance/nginx';
import type { InstanceReady, InstanceStats } from './resume-instance.js';

const INSTANCE = fileURLToPath(new URL('./resume-instance.ts', import.meta.url));
// Core loads @flowllm/redis from the working directory when it is not installed beside core; the
// reliability package does not list it, so the instances run where it is (its own package folder).
const REDIS_PACKAGE = fileURLToPath(new URL('../../redis/', import.meta.url));
const RESUME_DOC = fileURLToPath(new URL('../../../docs/resume.md', import.meta.url));

/** A flowllm instance in a child process. */
export interface Instance {
  readonly name: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Its model's counters, the run-route requests it served, what it logged. */
  stats(): Promise<InstanceStats>;
  /** Everything it wrote to stderr. */
  stderr(): string;
  /** SIGKILL, and resolves once it is gone. */
  kill(): Promise<void>;
}

/**
 * Starts resume-instance.ts with `env` (REDIS_URL, LEASE_SECONDS, RETRY_MS, ANSWER_WORDS,
 * TOKEN_DELAY_MS) and resolves once it listens.
 */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', INSTANCE], {
    cwd: REDIS_PACKAGE,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (part: Buffer) => {
    stderr += part.toString();
  });
  child.stdout?.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  const ready = await settles(
    new Promise<string>((resolve, reject) => {
      child.once('message', (message: InstanceReady) => resolve(message.ready));
      child.once('exit', (code, signal) =>
        reject(new Error(`instance ${name} exited (${code ?? signal}) before listening:\n${stderr}`)),
      );
    }),
    `instance ${name} to listen`,
    // tsx compiles core's sources on the first start; a loaded machine takes a few seconds.
    HANG_MS * 3,
  );
  // One stats request at a time: each reply answers the oldest request.
  const pending: ((stats: InstanceStats) => void)[] = [];
  child.on('message', (message: InstanceStats | InstanceReady) => {
    if ('model' in message) pending.shift()?.(message);
  });
  return {
    name,
    url: ready,
    port: Number(new URL(ready).port),
    child,
    stats: () =>
      settles(
        new Promise<InstanceStats>((resolve) => {
          pending.push(resolve);
          child.send({ op: 'stats' });
        }),
        `stats of instance ${name}`,
      ),
    stderr: () => stderr,
    kill: async () => {
      process.off('exit', reap);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** nginx in front of instances: its origin, its error log, and how to stop it. */
export interface UpstreamProxy {
  url: string;
  errorLog(): string;
  close(): Promise<void>;
}

/**
 * The ```nginx block of docs/resume.md (an `upstream` of 127.0.0.1:8002 and :8003 and a server that
 * listens on 80), with the instances' ports and a free port put in. Throws when the doc's block no
 * longer has those lines, so a doc change that this test does not follow fails here.
 */
export function documentedUpstreamConfig(listenPort: number, ports: [number, number]): string {
  const doc = readFileSync(RESUME_DOC, 'utf8');
  const block = /```nginx\n(upstream flowllm \{[\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/resume.md has no ```nginx block starting with "upstream flowllm {"');
  const replacements: [string, string][] = [
    ['server 127.0.0.1:8002;', `server 127.0.0.1:${ports[0]};`],
    ['server 127.0.0.1:8003;', `server 127.0.0.1:${ports[1]};`],
    ['listen 80;', `listen 127.0.0.1:${listenPort};`],
  ];
  let config = block;
  for (const [from, to] of replacements) {
    if (!config.includes(from)) throw new Error(`docs/resume.md's nginx block no longer has "${from}"`);
    config = config.replace(from, to);
  }
  return config;
}

/** Starts nginx with docs/resume.md's upstream configuration in front of two instances. */
export async function startUpstreamProxy(instances: [Instance, Instance]): Promise<UpstreamProxy> {
  const port = await freePort();
  const servers = documentedUpstreamConfig(port, [instances[0].port, instances[1].port]);
  const nginx = await runNginx({ servers, ports: [port] });
  return { url: `http://127.0.0.1:${port}`, errorLog: nginx.log, close: nginx.stop };
}
