import { ConfigError, formatIssue } from '../config/config-error.js';
import { createFlowApp, type FlowApp } from '../engine/flow-app.js';
import { FlowAbortedError } from '../engine/flow-errors.js';
import { errorMessage, FlowllmError } from '../errors.js';
import { type TerminalOutput, terminalPrinter } from './terminal-printer.js';

export interface CliIo extends TerminalOutput {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Fires on Ctrl-C so the running flow is aborted. */
  interrupt: AbortSignal;
}

/**
 * The `flowllm` command: `flowllm config=my_stream_config backend=cmd cmd.flow=demo_stream_http_flow cmd.params.query=hi`.
 * Returns the exit code: 0 done, 1 the flow failed, 2 bad config or arguments, 130 interrupted.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), io);
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let app: FlowApp;
  try {
    // `config=a,b` and every `key=value` are parsed by the config loader, in order.
    app = createFlowApp({ overrides: argv, cwd: io.cwd, env: io.env });
  } catch (error) {
    return reportStartupError(error, io);
  }
  for (const warning of app.warnings) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
  switch (app.config.backend) {
    case 'cmd':
      return runCmd(app, io);
    default:
      io.stderr.write(
        `flowllm: backend=${app.config.backend} is not available in this version; use backend=cmd to run a flow in the terminal\n`,
      );
      return 2;
  }
}

async function runCmd(app: FlowApp, io: CliIo): Promise<number> {
  const { flow: target, params } = app.config.cmd;
  if (!target) {
    io.stderr.write(
      'flowllm: backend=cmd needs cmd.flow=<flow name or expression>, e.g. cmd.flow=demo_stream_http_flow\n',
    );
    return 2;
  }
  let stream: ReturnType<FlowApp['stream']>;
  try {
    const flow = app.flows.get(target) ?? app.flowFromExpression(target);
    stream = flow.stream(params, { signal: io.interrupt });
  } catch (error) {
    return reportStartupError(error, io);
  }
  const print = terminalPrinter(io);
  let failed = false;
  let answered = false;
  for await (const chunk of stream) {
    if (chunk.chunk_type === 'error' && chunk.done) failed = true;
    if (chunk.chunk_type === 'answer') answered = true;
    if (chunk.chunk_type === 'done' && !answered && stream.response.answer !== '') {
      const answer = stream.response.answer;
      io.stdout.write(typeof answer === 'string' ? answer : JSON.stringify(answer, null, 2));
    }
    print(chunk);
  }
  if (io.interrupt.aborted) return 130;
  return failed ? 1 : 0;
}

function reportStartupError(error: unknown, io: CliIo): number {
  if (ConfigError.isInstance(error)) {
    io.stderr.write(
      `flowllm: invalid configuration:\n${error.issues.map((i) => `  ${formatIssue(i)}`).join('\n')}\n`,
    );
    return 2;
  }
  if (FlowllmError.isInstance(error) && !(error instanceof FlowAbortedError)) {
    io.stderr.write(`flowllm: ${error.message}\n`);
    return 2;
  }
  io.stderr.write(`flowllm: unexpected error: ${errorMessage(error)}\n`);
  return 1;
}
