import type { FlowStreamChunk } from '../chunk.js';
import { escapeControl, escapeTerminal } from '../http/log-line.js';

export interface TerminalOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  color: boolean;
}

/**
 * Prints stream chunks for a person: answer text on stdout as it arrives, think text dimmed on
 * stderr, tool calls as JSON lines, errors in red on stderr.
 *
 * @example
 * const print = terminalPrinter({ stdout: process.stdout, stderr: process.stderr, color: true });
 * for await (const chunk of stream) print(chunk);
 */
export function terminalPrinter(output: TerminalOutput): (chunk: FlowStreamChunk) => void {
  const paint = (code: string, text: string) => (output.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  let lastType = '';
  return (chunk) => {
    const type = chunk.chunk_type;
    const text = typeof chunk.chunk === 'string' ? chunk.chunk : JSON.stringify(chunk.chunk);
    if (lastType === 'think' && type !== 'think') output.stderr.write('\n');
    // Model text keeps its lines but no control sequences: a prompt-injected answer must not retitle,
    // clear or recolour the terminal.
    if (type === 'think')
      output.stderr.write(paint('2', escapeTerminal(lastType === 'think' ? text : `[think] ${text}`)));
    else if (type === 'answer') output.stdout.write(escapeTerminal(text));
    else if (type === 'tool') output.stdout.write(`\n[tool] ${escapeControl(text)}\n`);
    // An error's text comes from ops and providers: one line, no terminal control sequences.
    else if (type === 'error') output.stderr.write(paint('31', `\n[error] ${escapeControl(text)}\n`));
    else if (type === 'done') output.stdout.write('\n');
    lastType = type;
  };
}
