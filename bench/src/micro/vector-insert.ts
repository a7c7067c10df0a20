// The memory vector store's insert cost: 20,000 nodes at once against the same nodes in 16 batches.
// Linear insert: about 1x (0.5-2.2x measured on a busy machine); the former quadratic one: about 16x.
// Moved here from the core tests, where a time ratio failed on a loaded machine.
// `node --import tsx src/micro/vector-insert.ts`
import { type EmbeddingModel, MemoryVectorStore, type VectorNode } from '@flowllm/core/models';

const TOTAL = 20_000;
const ROUNDS = Number(process.env.ROUNDS ?? 3);

/** An embedding model that costs nothing, so the store's own work is what is timed. */
const trivial: EmbeddingModel = {
  backend: 'trivial',
  modelName: 'trivial',
  dimensions: 2,
  embed: async (texts) => texts.map(() => [1, 0]),
};

/** CPU ms to insert TOTAL nodes in `batches` calls into a new store. */
async function timeInsert(batches: number): Promise<number> {
  const store = new MemoryVectorStore(trivial);
  const size = TOTAL / batches;
  const groups = Array.from({ length: batches }, (_, batch) =>
    Array.from(
      { length: size },
      (_, index): VectorNode => ({
        unique_id: String(batch * size + index),
        workspace_id: 'w',
        content: `text ${index}`,
        metadata: {},
      }),
    ),
  );
  // CPU time, not wall time: other processes on the machine do not inflate it.
  const started = process.cpuUsage();
  for (const group of groups) await store.insert(group);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

await timeInsert(16); // warm up
let batched = Number.POSITIVE_INFINITY;
let whole = Number.POSITIVE_INFINITY;
for (let round = 0; round < ROUNDS; round++) {
  batched = Math.min(batched, await timeInsert(16));
  whole = Math.min(whole, await timeInsert(1));
}
console.log(
  `${TOTAL} nodes: ${whole.toFixed(0)} ms at once, ${batched.toFixed(0)} ms in 16 batches (ratio ${(whole / Math.max(batched, 1)).toFixed(2)})`,
);
