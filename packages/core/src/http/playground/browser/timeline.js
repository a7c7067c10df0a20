// The per-op timeline of a run (`GET docs/timeline/{flow_id}`, served when `telemetry.timeline` is on):
// one bar per span, indented under its parent, placed on the run's time axis.

import { formatMs, h } from './dom.js';

function depthOf(spans, index, seen = 0) {
  const parent = spans[index]?.parent;
  return typeof parent === 'number' && parent !== index && seen < spans.length
    ? 1 + depthOf(spans, parent, seen + 1)
    : 0;
}

/** The timeline of `{ spans: [{ name, kind, parent, start_ms, duration_ms, status }] }` as rows of bars. */
export function timelineView(timeline) {
  const spans = Array.isArray(timeline?.spans) ? timeline.spans : [];
  const start = Math.min(...spans.map((span) => span.start_ms), Number.POSITIVE_INFINITY);
  // Spans still running have no end yet: the axis reaches the latest known end or start.
  const end = Math.max(
    ...spans.map((span) => span.start_ms + (span.duration_ms ?? 0)),
    Number.NEGATIVE_INFINITY,
  );
  const total = Math.max(end - start, 1);
  const element = h('div', { className: 'timeline', role: 'list', 'aria-label': 'Per-op timeline' });
  spans.forEach((span, index) => {
    const from = span.start_ms - start;
    // A span still running when the timeline was read reaches the end of the axis.
    const length = span.duration_ms ?? end - span.start_ms;
    const bar = h('span', { className: `bar ${span.kind} ${span.status}` });
    bar.style.left = `${(from / total) * 100}%`;
    bar.style.width = `${(Math.max(length, 0) / total) * 100}%`;
    const took = span.duration_ms === null ? span.status : formatMs(span.duration_ms);
    const label = h('span', { className: 'mono' }, `${'  '.repeat(depthOf(spans, index))}${span.name}`);
    label.style.whiteSpace = 'pre';
    element.append(
      h(
        'div',
        { className: 'row', role: 'listitem', title: `${span.kind} ${span.name}: ${took}` },
        label,
        h('span', { className: 'track' }, bar),
        h('span', { className: 'took' }, took),
      ),
    );
  });
  return element;
}
