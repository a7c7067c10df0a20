// Key and channel names. The `{flowId}` hash tag keeps a run's keys on one slot (Redis Cluster itself is
// not supported: the tailer's one XREAD spans many runs).

/**
 * The names one log instance uses under its `key_prefix`.
 *
 * @example
 * const keys = new RedisKeys('flowllm');
 * keys.log('3f2a'); // 'flowllm:run:{3f2a}:log'
 */
export class RedisKeys {
  constructor(private readonly prefix: string) {}

  /** The run's STREAM: one entry per append, id `0-<lastSeq>`, fields `s` (first seq) and `f` (frames). */
  log(flowId: string): string {
    return `${this.prefix}:run:{${flowId}}:log`;
  }

  /** The run's HASH: `flow variant owner state stop`. */
  meta(flowId: string): string {
    return `${this.prefix}:run:{${flowId}}:meta`;
  }

  /** Set (PX) by instances that have readers of the run. */
  attached(flowId: string): string {
    return `${this.prefix}:run:{${flowId}}:attached`;
  }

  /** One liveness key per instance, refreshed while it runs. */
  instance(instanceId: string): string {
    return `${this.prefix}:instance:${instanceId}`;
  }

  /** A name for a run (`setAlias`): a STRING holding its flow id. */
  alias(key: string): string {
    return `${this.prefix}:alias:${key}`;
  }

  /** The pub/sub channel that carries flow ids to stop. */
  stopChannel(): string {
    return `${this.prefix}:stop`;
  }
}

/** `0-<seq>`: the stream id of the entry whose last frame has `seq`. */
export const entryId = (seq: number): string => `0-${seq}`;

/** The seq in an entry id `0-<seq>`. */
export const seqOf = (id: string): number => Number(id.slice(id.indexOf('-') + 1));
