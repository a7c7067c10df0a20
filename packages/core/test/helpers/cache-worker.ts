// A separate process using a cache folder (run by `runCacheWorker`), printing a JSON report:
//   read <dir> <key as JSON>            → the loaded entry ({value} or null)
//   hammer <dir> <writer id> <rounds>   → saves and loads the keys k0…k7, eight at a time, big values,
//                                         checking every read and metadata.json as it goes
import { cacheKey } from '../../src/storage/cache-key.js';
import { CacheStore } from '../../src/storage/cache-store.js';
import { bigValue, isWhole, unparsableFiles } from './cache-values.js';

async function hammer(store: CacheStore, writer: string, rounds: number) {
  const report = { saves: 0, loads: 0, incomplete: 0, unparsable: 0, unlisted: 0 };
  for (let round = 0; round < rounds; round++) {
    const work = Array.from({ length: 8 }, async (_, i) => {
      const key = `k${(round + i) % 8}`;
      await store.save(key, bigValue(writer, round), 0);
      report.saves++;
      // A key of its own: once its save resolved, metadata.json lists it, whatever others rewrote since.
      const own = `${writer}.${round}.${i}`;
      await store.save(own, round, 0);
      if (!(cacheKey(own) in (await store.metadata()))) report.unlisted++;
      const loaded = await store.load(key);
      report.loads++;
      // Nothing expires and the key was just written: a miss would mean a torn entry was dropped.
      if (!isWhole(loaded?.value)) report.incomplete++;
    });
    await Promise.all(work);
    report.unparsable += unparsableFiles(store.dir);
  }
  return report;
}

const [mode, dir, arg, rounds] = process.argv.slice(2);
const store = new CacheStore(dir ?? '');
const result =
  mode === 'read'
    ? ((await store.load(JSON.parse(arg ?? 'null'))) ?? null)
    : await hammer(store, arg ?? '', Number(rounds));
process.stdout.write(JSON.stringify(result));
