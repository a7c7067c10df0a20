// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidi overrides and
// isolates: each could start a fake log line, move the cursor or reorder what a terminal shows.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text safe to print as part of one log line: `\n`, `\r` and `\t` become those two-character escapes,
 * every other control character (ESC, C1, U+2028/2029, bidi overrides) becomes `\uXXXX`.
 *
 * @example
 * escapeControl('bad\n[flowllm] fake entry\u001b[2J') // 'bad\\n[flowllm] fake entry\\u001b[2J'
 */
export function escapeControl(text: string): string {
  return text.replace(
    CONTROL,
    (char) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Text for a terminal that keeps its line breaks and tabs: every other control character (ESC, C1,
 * U+2028/2029, bidi overrides) is escaped as {@link escapeControl} does.
 *
 * @example
 * escapeTerminal('line 1\nline 2\u001b]0;title\u0007') // 'line 1\nline 2\\u001b]0;title\\u0007'
 */
export function escapeTerminal(text: string): string {
  return text
    .split('\n')
    .map((line) => line.split('\t').map(escapeControl).join('\t'))
    .join('\n');
}

/**
 * One log entry on exactly one line: `[flowllm] <message>`, then the details as one-line JSON (a
 * stack's line breaks become `\n`), with every control character escaped.
 *
 * @example
 * logLine('flow failed', { flow_id: 'abc' }) // '[flowllm] flow failed {"flow_id":"abc"}'
 */
export function logLine(message: string, details?: Record<string, unknown>): string {
  const suffix = details && Object.keys(details).length > 0 ? ` ${detailsJson(details)}` : '';
  return escapeControl(`[flowllm] ${message}${suffix}`);
}

function detailsJson(details: Record<string, unknown>): string {
  try {
    return JSON.stringify(details, (_key, value: unknown) => {
      if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
      return typeof value === 'bigint' ? String(value) : value;
    });
  } catch {
    // A circular value: the message itself still gets logged.
    return '{"details":"not serializable"}';
  }
}
