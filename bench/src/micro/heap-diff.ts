// Which objects an idle flowllm stream keeps alive: heap snapshot with N idle streams minus one
// without, grouped by constructor/closure name. `node --expose-gc --import tsx src/micro/heap-diff.ts`
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type { FlowStream } from '@flowllm/core';
import { benchService } from '../servers/ours.js';

const COUNT = 1000;
const gc = (globalThis as { gc?: () => void }).gc!;

function census(): Map<string, { count: number; size: number }> {
  gc();
  gc();
  const file = writeHeapSnapshot(join(tmpdir(), `flowllm-heap-${process.pid}-${Date.now()}.heapsnapshot`));
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  rmSync(file);
  const meta = snapshot.snapshot.meta;
  const fields: string[] = meta.node_fields;
  const types: string[] = meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const nodes: number[] = snapshot.nodes;
  const strings: string[] = snapshot.strings;
  const result = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]!]!;
    const isString = type === 'string' || type === 'concatenated string' || type === 'sliced string';
    const name = strings[nodes[i + nameAt]!] ?? '';
    const key =
      isString && process.env.STRINGS ? `${type}:${name.slice(0, 40)}` : `${type}:${isString ? '' : name}`;
    const entry = result.get(key) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += nodes[i + sizeAt]!;
    result.set(key, entry);
  }
  return result;
}

const service = benchService();
const flow = service.app.flow('bench');
// Warm every path once.
for (let i = 0; i < 50; i++) {
  const stream = flow.stream({ n: 2, idle: true });
  await stream.next();
  stream.cancel();
}
await new Promise((resolve) => setTimeout(resolve, 50));
const before = census();
const streams: FlowStream[] = [];
for (let i = 0; i < COUNT; i++) {
  const stream = flow.stream({ n: 2, idle: true });
  await stream.next();
  streams.push(stream);
}
const after = census();
const rows = [...after]
  .map(([key, entry]) => {
    const base = before.get(key) ?? { count: 0, size: 0 };
    return { key, count: (entry.count - base.count) / COUNT, bytes: (entry.size - base.size) / COUNT };
  })
  .filter((row) => row.bytes > 8)
  .sort((a, b) => b.bytes - a.bytes);
let total = 0;
for (const row of rows) total += row.bytes;
for (const row of rows.slice(0, 30))
  console.log(`${row.bytes.toFixed(0).padStart(6)} B  ${row.count.toFixed(2).padStart(6)} ×  ${row.key}`);
console.log(`total ≈ ${(total / 1024).toFixed(2)} KB per idle stream`);
for (const stream of streams) stream.cancel();
