import { createFlowApp } from '../../src/create-flow-app.js';
import type { FlowApp } from '../../src/engine/flow-app.js';
import { events, testOps } from './test-ops.js';

/** An app from an inline config over the built-in defaults, with the test ops registered. */
export function testApp(config: Record<string, unknown>): FlowApp {
  events.length = 0;
  return createFlowApp({ config, ops: testOps, env: {}, cwd: process.cwd() });
}

/** Collects a stream's chunks. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
