// The targets of one run: what each is, on which framework, and who it is compared with.
// Their servers live in servers/*.ts and are only loaded inside the server process.

/** `floor`: the batched raw server every ratio is taken to; `naive`: raw with one write per token. */
export type TargetKind = 'floor' | 'naive' | 'base' | 'ours' | 'peer';

export interface TargetInfo {
  /** Unique id, used on the command line (`--targets=raw,ours-node`). */
  name: string;
  /** What the table shows. */
  label: string;
  /** The framework it runs on; ours are compared with the best peer on the same framework. */
  framework: 'node:http' | 'express' | 'koa' | 'fastify' | 'h3' | 'hono-node-server';
  kind: TargetKind;
  /** Module in servers/ and the export that starts it. */
  module: string;
  /** Adapters must meet the adapter goals (≥ 0.8× the floor, disconnect → abort ≤ 50 ms). */
  adapter?: boolean;
  /**
   * Resumable streams on, with this store (`resume.backend`); `redis` makes the run start a redis-server.
   * Such targets are not in the full run (`pnpm bench`): `--resume-cost` measures them against `ours-node`.
   */
  resume?: 'memory' | 'redis';
}

/** The environment variable that gives a `resume: 'redis'` target's server the URL of the run's Redis. */
export const REDIS_URL_ENV = 'BENCH_REDIS_URL';

/** The request path every target serves (POST, JSON body: the model parameters). */
export const BENCH_PATH = '/bench';

export const TARGETS: readonly TargetInfo[] = [
  {
    name: 'raw-batched',
    label: 'raw node:http, batched (floor)',
    framework: 'node:http',
    kind: 'floor',
    module: 'raw',
  },
  { name: 'raw', label: 'raw node:http, naive', framework: 'node:http', kind: 'naive', module: 'raw' },
  ...(
    [
      ['express', 'express'],
      ['koa', 'koa'],
      ['fastify', 'fastify'],
      ['h3', 'h3'],
      ['hono', 'hono-node-server'],
    ] as const
  ).map(
    ([name, framework]): TargetInfo => ({
      name: `base-${name}`,
      label: 'raw frames in a plain handler',
      framework,
      kind: 'base',
      module: 'raw',
    }),
  ),
  {
    name: 'ours-node',
    label: 'flowllm nodeListener',
    framework: 'node:http',
    kind: 'ours',
    module: 'ours',
    adapter: true,
  },
  {
    name: 'ours-node-resume-memory',
    label: 'flowllm nodeListener, resume on (memory)',
    framework: 'node:http',
    kind: 'ours',
    module: 'ours',
    resume: 'memory',
  },
  {
    name: 'ours-node-resume-redis',
    label: 'flowllm nodeListener, resume on (Redis)',
    framework: 'node:http',
    kind: 'ours',
    module: 'ours',
    resume: 'redis',
  },
  {
    name: 'ours-fetch',
    label: 'flowllm handleFetchRequest',
    framework: 'hono-node-server',
    kind: 'ours',
    module: 'ours',
    adapter: true,
  },
  {
    name: 'ours-express',
    label: 'flowllm express',
    framework: 'express',
    kind: 'ours',
    module: 'ours',
    adapter: true,
  },
  { name: 'ours-koa', label: 'flowllm koa', framework: 'koa', kind: 'ours', module: 'ours', adapter: true },
  {
    name: 'ours-fastify',
    label: 'flowllm fastify',
    framework: 'fastify',
    kind: 'ours',
    module: 'ours',
    adapter: true,
  },
  { name: 'ours-h3', label: 'flowllm h3', framework: 'h3', kind: 'ours', module: 'ours', adapter: true },
  {
    name: 'ai-node',
    label: 'AI SDK pipeUIMessageStreamToResponse',
    framework: 'node:http',
    kind: 'peer',
    module: 'peers',
  },
  { name: 'better-sse-node', label: 'better-sse', framework: 'node:http', kind: 'peer', module: 'peers' },
  {
    name: 'ai-express',
    label: 'AI SDK pipeUIMessageStreamToResponse',
    framework: 'express',
    kind: 'peer',
    module: 'peers',
  },
  { name: 'better-sse-express', label: 'better-sse', framework: 'express', kind: 'peer', module: 'peers' },
  { name: 'better-sse-koa', label: 'better-sse', framework: 'koa', kind: 'peer', module: 'peers' },
  { name: 'fastify-sse', label: '@fastify/sse', framework: 'fastify', kind: 'peer', module: 'peers' },
  { name: 'h3-eventstream', label: 'h3 EventStream', framework: 'h3', kind: 'peer', module: 'peers' },
  {
    name: 'hono-streamsse',
    label: 'Hono streamSSE',
    framework: 'hono-node-server',
    kind: 'peer',
    module: 'peers',
  },
];

/** What `pnpm bench` runs when no targets are named: every target but the resume ones. */
export const DEFAULT_TARGETS: readonly string[] = TARGETS.filter((target) => !target.resume).map(
  (target) => target.name,
);

/** The targets of `--resume-cost`: resume off (the reference), then on with each store. */
export const RESUME_COST_TARGETS: readonly string[] = [
  'ours-node',
  'ours-node-resume-memory',
  'ours-node-resume-redis',
];

export function targetByName(name: string): TargetInfo {
  const target = TARGETS.find((candidate) => candidate.name === name);
  if (!target) throw new Error(`unknown target '${name}'; known: ${TARGETS.map((t) => t.name).join(', ')}`);
  return target;
}
