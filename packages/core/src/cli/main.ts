import { splitCliArgument } from '../config/cli-args.js';
import { ConfigError, formatIssue } from '../config/config-error.js';
import type { FlowllmConfig } from '../config/config-types.js';
import { loadConfig } from '../config/load.js';
import { createFlowApp } from '../create-flow-app.js';
import type { Flow } from '../engine/flow.js';
import { builtinBackends, type FlowApp } from '../engine/flow-app.js';
import { FlowAbortedError } from '../engine/flow-errors.js';
import { errorMessage, FlowllmError, logDetailOf } from '../errors.js';
import { HttpError } from '../http/http-error.js';
import { validateFlowInput } from '../http/input-validation.js';
import { type LoadedMcpServer, loadMcp, type McpModule, McpNotInstalledError } from '../http/load-mcp.js';
import { escapeControl, escapeTerminal } from '../http/log-line.js';
import { type RunningServer, serve } from '../http/serve.js';
import type { OpClass } from '../op/base-op.js';
import { defaultOpRegistry } from '../ops/builtin.js';
import { parseCommandLine } from './command-line.js';
import { importOpModules, OpModuleError } from './import-op-modules.js';
import { mcpBanner, serveBanner } from './serve-banner.js';
import { type TerminalOutput, terminalPrinter } from './terminal-printer.js';
import { packageVersion, usageText } from './usage.js';

export interface CliIo extends TerminalOutput {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Fires on Ctrl-C so the running flow is aborted. */
  interrupt: AbortSignal;
}

/**
 * The `flowllm` command: `flowllm config=my_stream_config backend=cmd cmd.flow=demo_stream_http_flow cmd.params.query=hi`.
 * `ops=./my_ops.js,…` modules are imported before the config is read; `--help` and `--version` print
 * and return 0. Returns the exit code: 0 done, 1 the flow failed, 2 bad config, arguments or op
 * module, 130 interrupted.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), io);
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let app: FlowApp;
  try {
    const command = parseCommandLine(argv);
    if (command.kind !== 'run') {
      io.stdout.write(command.kind === 'help' ? usageText() : `${packageVersion()}\n`);
      return 0;
    }
    // The op modules come first: the config's flow expressions may name their ops.
    const imported = await importOpModules(command.opModules, { cwd: io.cwd, registry: defaultOpRegistry });
    // A Ctrl-C while a module was loading (connecting somewhere, say) means: do not start.
    if (io.interrupt.aborted) return 130;
    for (const warning of imported.warnings) io.stderr.write(`warning: ${escapeControl(warning)}\n`);
    // `config=a,b` and every other `key=value` are parsed by the config loader, in order.
    const configs = servesFlowllmDefaults(command.configArgs) ? ['default'] : [];
    const mcpOps = await mcpOpsIfUsed(configs, command.configArgs, io);
    app = createFlowApp({
      config: configs,
      overrides: command.configArgs,
      ops: [...imported.classes, ...mcpOps],
      cwd: io.cwd,
      env: io.env,
      offlineFallback: true,
    });
  } catch (error) {
    return reportStartupError(error, io);
  }
  // A warning is one line: a key name from the file cannot start another.
  for (const warning of app.warnings) io.stderr.write(`warning: ${escapeControl(formatIssue(warning))}\n`);
  try {
    return await runBackend(app, io);
  } finally {
    // Connections the app keeps (an external MCP server over stdio would keep the process alive).
    await app.close();
  }
}

function runBackend(app: FlowApp, io: CliIo): Promise<number> | number {
  switch (app.config.backend) {
    case 'cmd':
      for (const notice of app.notices) io.stderr.write(`notice: ${escapeControl(notice)}\n`);
      return runCmd(app, io);
    case 'http':
      return runHttp(app, io);
    case 'mcp':
      // Its banner (stderr with stdio) carries the notices.
      return runMcp(app, io);
    default:
      io.stderr.write(
        `flowllm: backend=${app.config.backend} is not available in this version; use backend=cmd to run a flow in the terminal\n`,
      );
      return 2;
  }
}

/**
 * `@flowllm/mcp`'s ops (McpToolsOp, the MCP search ops) when the config names `external_mcp` servers
 * or serves MCP, so flows may use them; otherwise the package (and the MCP SDK) is not loaded. Not
 * installed: none — a flow naming one of its ops then fails as an unknown op.
 */
async function mcpOpsIfUsed(configs: string[], overrides: string[], io: CliIo): Promise<OpClass[]> {
  let config: FlowllmConfig;
  try {
    const backends = builtinBackends.configBackends();
    ({ config } = loadConfig({ configs, overrides, cwd: io.cwd, env: io.env, backends }));
  } catch {
    return []; // createFlowApp reports the config's problems
  }
  if (config.backend !== 'mcp' && Object.keys(config.external_mcp).length === 0) return [];
  try {
    return (await loadMcp({ cwd: io.cwd, feature: 'external_mcp' })).mcpOps ?? [];
  } catch (error) {
    if (error instanceof McpNotInstalledError) return [];
    throw error;
  }
}

/**
 * A server (HTTP or MCP) started without `config=` serves FlowLLM's own `default.yaml` flows, as a bare
 * `flowllm` does in FlowLLM. A terminal run (`backend=cmd`) without one keeps to the built-in layer, so
 * `cmd.flow=ChatOp()` runs on the offline model without FlowLLM's models and flows.
 */
function servesFlowllmDefaults(args: readonly string[]): boolean {
  const settings = args.map(splitCliArgument);
  if (settings.some((setting) => setting?.key === 'config')) return false;
  const backend = settings.findLast((setting) => setting?.key === 'backend')?.value.trim();
  return backend === undefined || backend === 'http' || backend === 'mcp';
}

async function runHttp(app: FlowApp, io: CliIo): Promise<number> {
  let running: RunningServer;
  try {
    running = await serve(app);
  } catch (error) {
    // The resume store (resume.backend) is started before listening: say which of the two failed.
    const what =
      FlowllmError.isInstance(error) && error.code === 'FLOWLLM_RESUME_STORE'
        ? `the resume store (resume.backend ${app.config.resume.backend}) cannot start`
        : `cannot listen on ${app.config.http.host}:${app.config.http.port}`;
    io.stderr.write(`flowllm: ${what}: ${escapeControl(errorMessage(error))}\n`);
    return 1;
  }
  io.stdout.write(serveBanner(app, running.url));
  if (!io.interrupt.aborted) {
    await new Promise((resolve) => io.interrupt.addEventListener('abort', resolve, { once: true }));
  }
  io.stderr.write('flowllm: shutting down (ending open streams; a second Ctrl-C exits at once)\n');
  await running.close();
  return 0;
}

/** `backend=mcp`: the flows as MCP tools, with `@flowllm/mcp` (an optional peer, loaded only now). */
async function runMcp(app: FlowApp, io: CliIo): Promise<number> {
  const { transport, host, port } = app.config.mcp;
  if (transport === '') {
    io.stderr.write('flowllm: backend=mcp needs mcp.transport: sse, streamable-http (or http) or stdio\n');
    return 2;
  }
  let mcp: McpModule;
  try {
    mcp = await loadMcp({ cwd: io.cwd, feature: 'backend=mcp' });
  } catch (error) {
    if (error instanceof McpNotInstalledError) {
      io.stderr.write(`flowllm: ${error.message}\n`);
      return 2;
    }
    return reportStartupError(error, io);
  }
  let running: LoadedMcpServer;
  try {
    running = await mcp.serveMcp(app);
  } catch (error) {
    const where = transport === 'stdio' ? 'stdio' : `${host}:${port}`;
    io.stderr.write(`flowllm: cannot serve MCP on ${where}: ${escapeControl(errorMessage(error))}\n`);
    return 1;
  }
  // stdout is the protocol's with stdio; the banner goes to stderr (MCP clients show it as the server log).
  const banner = mcpBanner(app, running);
  if (running.transport === 'stdio') io.stderr.write(banner);
  else io.stdout.write(banner);
  const interrupted = new Promise((resolve) => {
    if (io.interrupt.aborted) resolve(undefined);
    else io.interrupt.addEventListener('abort', resolve, { once: true });
  });
  await Promise.race([interrupted, running.closed]);
  if (io.interrupt.aborted) io.stderr.write('flowllm: shutting down (ending MCP sessions)\n');
  await running.close();
  return 0;
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
    const flow = cmdFlow(app, target);
    const input = validateFlowInput(flow.config.input_schema, stringsWhereExpected(flow, params), 'body');
    stream = flow.stream(input, { signal: io.interrupt, formatError: operatorMessage });
  } catch (error) {
    if (error instanceof HttpError) {
      const issues = Array.isArray(error.detail) ? error.detail : [];
      io.stderr.write(
        `flowllm: invalid cmd.params:\n${issues.map((i) => `  ${escapeControl(`cmd.params.${i.loc.slice(1).join('.')}: ${i.msg}`)}`).join('\n')}\n`,
      );
      return 2;
    }
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
      io.stdout.write(escapeTerminal(typeof answer === 'string' ? answer : JSON.stringify(answer, null, 2)));
    }
    print(chunk);
  }
  if (io.interrupt.aborted) return 130;
  return failed ? 1 : 0;
}

/** A served flow by name, else the text as a flow expression; a failure says both were tried. */
function cmdFlow(app: FlowApp, target: string): Flow {
  const served = app.flows.get(target);
  if (served) return served;
  try {
    return app.flowFromExpression(target);
  } catch (error) {
    const flows = [...app.flows.keys()].join(', ') || 'none';
    throw new FlowllmError(
      'FLOWLLM_CMD',
      `cmd.flow '${target}' is not a served flow (served: ${flows}), and as a flow expression: ${errorMessage(error)}`,
    );
  }
}

// `cmd.params.query=42` arrives as a number; a field the flow declares as a string wants the text.
function stringsWhereExpected(flow: Flow, params: Record<string, unknown>): Record<string, unknown> {
  const fields = { query: { type: 'string' }, workspace_id: { type: 'string' }, ...flow.config.input_schema };
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [
      key,
      fields[key as keyof typeof fields]?.type === 'string' &&
      (typeof value === 'number' || typeof value === 'boolean')
        ? String(value)
        : value,
    ]),
  );
}

function reportStartupError(error: unknown, io: CliIo): number {
  if (error instanceof OpModuleError) {
    io.stderr.write(`flowllm: ${escapeControl(error.message)}\n`);
    return 2;
  }
  if (ConfigError.isInstance(error)) {
    io.stderr.write(
      `flowllm: invalid configuration:\n${error.issues.map((i) => `  ${printable(formatIssue({ ...i, path: escapeControl(i.path) }))}`).join('\n')}\n`,
    );
    return 2;
  }
  if (FlowllmError.isInstance(error) && !(error instanceof FlowAbortedError)) {
    io.stderr.write(`flowllm: ${printable(error.message)}\n`);
    return 2;
  }
  io.stderr.write(`flowllm: unexpected error: ${escapeControl(errorMessage(error))}\n`);
  return 1;
}

/** The terminal's user runs the flow, so an error chunk also says what the server log would add. */
function operatorMessage(error: unknown): string {
  const detail = logDetailOf(error);
  return detail ? `${errorMessage(error)}: ${detail}` : errorMessage(error);
}

/** Multi-line diagnostics (a caret under a config column) keep their lines; other controls are escaped. */
function printable(text: string): string {
  return text.split('\n').map(escapeControl).join('\n');
}
