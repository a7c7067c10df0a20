import { FlowllmError } from '../errors.js';
import { importOptionalPeer } from '../http/optional-peer.js';
import type { EventLog } from './event-log.js';

const REDIS_PACKAGE = '@flowllm/redis';

/**
 * `resume.backend: redis` without `@flowllm/redis` installed (beside this @flowllm/core, or from the
 * working directory). Code `FLOWLLM_RESUME_STORE`; the message gives the install line.
 *
 * @example
 * throw new RedisNotInstalledError(); // "resume.backend redis needs @flowllm/redis: npm install @flowllm/redis"
 */
export class RedisNotInstalledError extends FlowllmError {
  override name = 'RedisNotInstalledError';

  constructor() {
    super(
      'FLOWLLM_RESUME_STORE',
      `resume.backend redis needs ${REDIS_PACKAGE}: npm install ${REDIS_PACKAGE}`,
      { expose: false, status: 503 },
    );
  }
}

/**
 * What core uses of `@flowllm/redis` (typed here: core cannot depend on it, it depends on core).
 *
 * @example
 * const redis: RedisModule = await loadRedis(process.cwd());
 * const log = redis.createRedisEventLog({ url: 'redis://127.0.0.1:6380' });
 */
export interface RedisModule {
  createRedisEventLog(options?: { url?: string }): EventLog;
}

/**
 * Imports `@flowllm/redis`, an optional peer of core: the copy beside this @flowllm/core first, then
 * one resolved from `cwd`. Throws {@link RedisNotInstalledError} when neither is installed; any other
 * import failure (a broken install) is thrown as it is.
 *
 * @example
 * const { createRedisEventLog } = await loadRedis(process.cwd());
 */
export async function loadRedis(cwd: string): Promise<RedisModule> {
  const loaded = await importOptionalPeer({
    name: REDIS_PACKAGE,
    cwd,
    missing: () => new RedisNotInstalledError(),
  });
  if (typeof (loaded as Partial<RedisModule>).createRedisEventLog !== 'function')
    throw new Error(`${REDIS_PACKAGE} is too old for this @flowllm/core (no createRedisEventLog): update it`);
  return loaded as RedisModule;
}
