// What every part of a started Redis log shares: its connections, keys, config and queue.
import type { ServiceLogger } from '@flowllm/core';
import type { ResumeConfig } from '@flowllm/core/adapter';
import type { RedisConn } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { LeaseTimer } from './lease.js';
import type { Tailer } from './tailer.js';
import type { WriteQueue } from './write-queue.js';

/**
 * A started log's state.
 *
 * @example
 * const ttl = ttlOf(started); // whole seconds, at least 1
 */
export interface Started {
  url: string;
  instanceId: string;
  logger: ServiceLogger;
  config: ResumeConfig;
  keys: RedisKeys;
  commands: RedisConn;
  tail: RedisConn;
  sub: RedisConn;
  queue: WriteQueue;
  tailer: Tailer;
  lease: LeaseTimer;
}

/** The run keys' expiry in whole seconds (EXPIRE takes integers). */
export function ttlOf(s: Started): number {
  return Math.max(1, Math.ceil(s.config.ttl_seconds));
}
