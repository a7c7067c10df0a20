import type { StreamVariant } from '../http/sse-framer.js';
import { EVENT_SOURCE_DONE } from '../http/sse-framer.js';
import { DONE_FRAME } from './memory-event-log.js';

/**
 * Frames logged payloads for a resumable response: `id:<seq>` before each (`id:<flow_id>:<seq>` on the
 * EventSource variant, whose reconnect URL names no run), and `retry:<ms>` on the first event of every
 * response. The EventSource variant still ends with `event:done`.
 *
 * @example
 * const framer = new ResumeFramer('post', flowId, 1000);
 * framer.frame(1, '{"flow_id":"…","chunk_type":"answer",…}'); // 'retry:1000\nid:1\ndata:{…}\n\n'
 */
export class ResumeFramer {
  private first = true;

  constructor(
    private readonly variant: StreamVariant,
    private readonly flowId: string,
    private readonly retryMs: number,
  ) {}

  frame(seq: number, payload: string): string {
    let head = '';
    if (this.first) {
      this.first = false;
      head = `retry:${this.retryMs}\n`;
    }
    if (this.variant === 'post') return `${head}id:${seq}\ndata:${payload}\n\n`;
    head += `id:${this.flowId}:${seq}\n`;
    return payload === DONE_FRAME ? head + EVENT_SOURCE_DONE : `${head}data:${payload}\n\n`;
  }
}
