// What one idle stream of a target keeps alive, and what holds it: N streams are opened over real
// sockets in this process, a heap snapshot is taken before and after, and the new bytes are grouped by
// object and by the edge and object that retain it. Run it for a target and its framework baseline
// (or raw) and compare. `node --expose-gc --import tsx src/micro/heap-diff.ts ours-fetch [count]`
import { readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type { RunningTarget } from '../servers/common.js';
import { BENCH_PATH, targetByName } from '../targets.js';

const target = targetByName(process.argv[2] ?? 'ours-node');
const COUNT = Number(process.argv[3] ?? 1000);
const modules: Record<string, () => Promise<{ start(name: string): Promise<RunningTarget> }>> = {
  raw: () => import('../servers/raw.js'),
  ours: () => import('../servers/ours.js'),
  peers: () => import('../servers/peers.js'),
};
const running = await (await modules[target.module]!()).start(target.name);
const gc = (globalThis as { gc?: () => void }).gc!;

/** Opens a stream and resolves once its first token (`~<µs>~`) arrived; keeps nothing it read. */
function openIdleStream(): Promise<Socket> {
  const body = '{"n":2,"idle":true}';
  return new Promise((resolve) => {
    const socket = connect(running.port, '127.0.0.1', () =>
      socket.write(
        `POST ${BENCH_PATH} HTTP/1.1\r\nhost: bench\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
      ),
    );
    let tildes = 0;
    const onData = (data: Buffer) => {
      for (const byte of data) if (byte === 0x7e) tildes++;
      if (tildes < 2) return;
      socket.off('data', onData);
      resolve(socket);
    };
    socket.on('data', onData);
  });
}

// Written first, read later: reading one snapshot must not leave objects in the next.
function snapshot(name: string): string {
  gc();
  gc();
  return writeHeapSnapshot(join(tmpdir(), `flowllm-${name}-${process.pid}.heapsnapshot`));
}

interface Snapshot {
  snapshot: {
    meta: { node_fields: string[]; node_types: string[][]; edge_fields: string[]; edge_types: string[][] };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Bytes per "object <-edge- retainer" group (the first strong retainer found). */
function census(file: string): Map<string, number> {
  const heap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  rmSync(file);
  const { meta } = heap.snapshot;
  const nodeWidth = meta.node_fields.length;
  const edgeWidth = meta.edge_fields.length;
  const field = (name: string) => meta.node_fields.indexOf(name);
  const [typeAt, nameAt, sizeAt, edgeCountAt] = ['type', 'name', 'self_size', 'edge_count'].map(
    field,
  ) as number[];
  const edgeTypeAt = meta.edge_fields.indexOf('type');
  const edgeNameAt = meta.edge_fields.indexOf('name_or_index');
  const toAt = meta.edge_fields.indexOf('to_node');
  const count = heap.nodes.length / nodeWidth;
  const label = (node: number) => {
    const type = meta.node_types[0]![heap.nodes[node * nodeWidth + typeAt!]!]!;
    if (type.includes('string') || type === 'number') return type;
    return `${type}:${String(heap.strings[heap.nodes[node * nodeWidth + nameAt!]!]).slice(0, 32)}`;
  };
  const retainer = new Int32Array(count).fill(-1);
  const via: string[] = [];
  for (let node = 0, edge = 0; node < count; node++) {
    const edges = heap.nodes[node * nodeWidth + edgeCountAt!]!;
    for (let k = 0; k < edges; k++, edge += edgeWidth) {
      const to = heap.edges[edge + toAt]! / nodeWidth;
      const type = meta.edge_types[0]![heap.edges[edge + edgeTypeAt]!]!;
      if (type === 'weak' || retainer[to] !== -1) continue;
      retainer[to] = node;
      via[to] =
        type === 'element' || type === 'hidden' ? '[]' : String(heap.strings[heap.edges[edge + edgeNameAt]!]);
    }
  }
  const groups = new Map<string, number>();
  // DEPTH=2 (or more) follows the retainers further up: "a <-x- b <-y- c".
  const depth = Number(process.env.DEPTH ?? 1);
  for (let node = 0; node < count; node++) {
    let key = label(node);
    for (let at = node, level = 0; level < depth; level++) {
      const owner = retainer[at]!;
      key += `  <-${via[at] ?? ''}-  ${owner >= 0 ? label(owner) : '(root)'}`;
      if (owner < 0) break;
      at = owner;
    }
    groups.set(key, (groups.get(key) ?? 0) + heap.nodes[node * nodeWidth + sizeAt!]!);
  }
  return groups;
}

for (const socket of await Promise.all(Array.from({ length: 50 }, openIdleStream))) socket.destroy();
await new Promise((resolve) => setTimeout(resolve, 300));
const beforeFile = snapshot('before');
const sockets: Socket[] = [];
for (let i = 0; i < COUNT; i++) sockets.push(await openIdleStream());
await new Promise((resolve) => setTimeout(resolve, 300));
const afterFile = snapshot('after');
for (const socket of sockets) socket.destroy();
await running.close();

const before = census(beforeFile);
const after = census(afterFile);
const rows = [...after]
  .map(([key, bytes]) => ({ key, bytes: (bytes - (before.get(key) ?? 0)) / COUNT }))
  .filter((row) => row.bytes >= 16)
  .sort((a, b) => b.bytes - a.bytes);
const total = rows.reduce((sum, row) => sum + row.bytes, 0);
console.log(
  `${target.label} on ${target.framework}: ≈ ${(total / 1024).toFixed(2)} KB of heap per idle stream`,
);
console.log('(client sockets of this process included: the same for every target)');
for (const row of rows.slice(0, Number(process.env.TOP ?? 40)))
  console.log(`${row.bytes.toFixed(0).padStart(6)} B  ${row.key}`);
process.exit(0);
