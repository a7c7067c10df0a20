import { HttpError } from '../http/http-error.js';

/**
 * Where a reader is: after `seq` of a run; `flowId` when the id named its run (`<flow_id>:<seq>`, the
 * GET variant's ids).
 *
 * @example
 * const position: EventPosition = { seq: 12 };
 */
export interface EventPosition {
  seq: number;
  flowId?: string;
}

const PLAIN = /^\d{1,15}$/;
const NAMED = /^([0-9a-f]{32}):(\d{1,15})$/;

/**
 * The reader's position from the `Last-Event-ID` header or `?last_event_id=`; the header wins, because
 * a browser's EventSource reconnects to the same URL (old query) with a newer header. Undefined when
 * neither is given; 400 when the value is neither `<digits>` nor `<32 hex>:<digits>`.
 *
 * @example
 * parseLastEventId('7', undefined); // { seq: 7 }
 * parseLastEventId(undefined, '3f…a1:7'); // { seq: 7, flowId: '3f…a1' }
 */
export function parseLastEventId(
  header: string | undefined,
  query: string | null | undefined,
): EventPosition | undefined {
  const raw = (header ?? query ?? undefined)?.trim();
  if (raw === undefined) return undefined;
  if (PLAIN.test(raw)) return { seq: Number(raw) };
  const named = NAMED.exec(raw);
  if (named) return { seq: Number(named[2]), flowId: named[1] };
  throw new HttpError(400, 'Last-Event-ID must be a number or <flow_id>:<number>');
}
