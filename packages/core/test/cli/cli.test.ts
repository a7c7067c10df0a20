import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { settles } from '../../../conformance/src/wait.js';
import { runCli, tempDir } from '../helpers/run-cli.js';

const DEMO_DIR = fileURLToPath(new URL('../../../../examples/stream-demo', import.meta.url));

const STREAM_CONFIG = `
flow:
  talk:
    flow_content: StreamChatOp()
    stream: true
llm:
  default:
    backend: mock
    token_delay_ms: 25
    answer: "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
`;

describe('flowllm command (backend=cmd)', () => {
  it("runs the seed's stream flow from the example config on the mock model", async () => {
    const { result } = runCli(
      [
        'config=my_stream_config',
        'backend=cmd',
        'cmd.flow=demo_stream_http_flow',
        'cmd.params.query=What is AI?',
        'llm.default.token_delay_ms=0',
      ],
      DEMO_DIR,
    );
    const { code, stdout, stderr } = await result;
    expect(stderr).toContain('[think] The user asks: What is AI?');
    expect(stdout).toContain('Artificial intelligence (AI) is the field');
    expect(stdout).toContain('You asked: "What is AI?"');
    expect(code).toBe(0);
  });

  it('prints tokens as they arrive, not all at the end', async () => {
    const dir = tempDir({ 'talk.yaml': STREAM_CONFIG });
    // The second token is a minute away: a first token printed now was not held until the end.
    const { child, result } = runCli(
      [
        'config=talk',
        'backend=cmd',
        'cmd.flow=talk',
        'cmd.params.query=hi',
        'llm.default.token_delay_ms=60000',
      ],
      dir,
    );
    const first = await settles(
      new Promise<string>((resolve) =>
        child.stdout!.once('data', (data: Buffer) => resolve(data.toString())),
      ),
      'the first token on stdout',
    );
    expect(child.exitCode).toBeNull();
    child.kill();
    await result;
    expect(first.trim()).toBe('one');
  });

  it('runs an expression given as cmd.flow and prints its answer', async () => {
    const dir = tempDir({});
    const { result } = runCli(
      ['backend=cmd', 'cmd.flow=ChatOp()', 'cmd.params.query=Ada', 'llm.default.answer=Hello {input}'],
      dir,
    );
    const { code, stdout } = await result;
    expect(stdout.trim()).toBe('Hello Ada');
    expect(code).toBe(0);
  });

  it('Ctrl-C aborts the running flow and exits 130', async () => {
    const dir = tempDir({ 'talk.yaml': STREAM_CONFIG.replace('25', '200') });
    const run = runCli(['config=talk', 'backend=cmd', 'cmd.flow=talk', 'cmd.params.query=hi'], dir);
    run.child.stdout?.once('data', () => run.child.kill('SIGINT'));
    const { code, stdout } = await run.result;
    expect(code).toBe(130);
    expect(stdout).not.toContain('sixteen');
  });

  it('a failing flow prints the error and exits 1', async () => {
    const dir = tempDir({});
    const { result } = runCli(['backend=cmd', 'cmd.flow=StreamChatOp()'], dir);
    const { code, stderr } = await result;
    expect(stderr).toContain(
      "[error] StreamChatOp failed: StreamChatOp needs a non-empty 'query' or 'messages'",
    );
    expect(code).toBe(1);
  });
});

describe('flowllm command: bad input exits 2 with a message naming the problem', () => {
  it('an argument without = names the expected form', async () => {
    const { code, stderr } = await runCli(['backend=cmd', 'nonsense'], tempDir({})).result;
    expect(code).toBe(2);
    expect(stderr).toContain('nonsense');
    expect(stderr).toContain('key=value');
  });

  it('a wrong type names the file, line:column, key path and expected type — never the value', async () => {
    const dir = tempDir({
      'bad.yaml':
        'flow:\n  f:\n    flow_content: ChatOp()\n    stream: "sometimes"\nllm:\n  default:\n    backend: mock\n    answer: 42\n',
    });
    const { code, stderr } = await runCli(['config=bad', 'backend=cmd', 'cmd.flow=f'], dir).result;
    expect(code).toBe(2);
    expect(stderr).toContain('bad.yaml:4:13: flow.f.stream: expected boolean, found string');
    expect(stderr).not.toContain('sometimes');
  });

  it('an unknown op names the flow, line:column and the registered ops', async () => {
    const dir = tempDir({
      'ops.yaml': 'flow:\n  f:\n    flow_content: GenSystemPromptOp() >> StreamChatOpp()\n',
    });
    const { code, stderr } = await runCli(['config=ops', 'backend=cmd', 'cmd.flow=f'], dir).result;
    expect(code).toBe(2);
    expect(stderr).toContain('ops.yaml');
    expect(stderr).toContain('flow.f.flow_content');
    expect(stderr).toContain('line 1, column 24');
    // The list grows as ops are added; the built-in ones are in it, sorted.
    expect(stderr).toContain("unknown op 'StreamChatOpp' (did you mean 'StreamChatOp'?)");
    expect(stderr).toMatch(/registered ops: ChatOp, .*GenSystemPromptOp, .*StreamChatOp/);
  });

  it('a syntax error in the expression says what was expected', async () => {
    const dir = tempDir({});
    const { code, stderr } = await runCli(
      ['backend=cmd', 'cmd.flow=(ChatOp() >> ', 'cmd.params.query=x'],
      dir,
    ).result;
    expect(code).toBe(2);
    expect(stderr).toMatch(/line 1, column \d+: expected .* but found end of input/);
  });

  it('a cmd.flow that is neither a served flow nor an expression says both were tried', async () => {
    const dir = tempDir({ 'talk.yaml': STREAM_CONFIG });
    const { code, stderr } = await runCli(['config=talk', 'backend=cmd', 'cmd.flow=tlak'], dir).result;
    expect(code).toBe(2);
    expect(stderr).toContain(
      "cmd.flow 'tlak' is not a served flow (served: talk), and as a flow expression:",
    );
  });

  it('cmd.params are validated against the input_schema, and numbers become text where text is expected', async () => {
    const dir = tempDir({
      'typed.yaml':
        'flow:\n  f:\n    flow_content: ChatOp()\n    input_schema:\n      query: { type: string }\n      top_k: { type: integer }\n',
    });
    const missing = await runCli(['config=typed', 'backend=cmd', 'cmd.flow=f', 'cmd.params.query=hi'], dir)
      .result;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cmd.params.top_k: Field required');
    const ok = await runCli(
      [
        'config=typed',
        'backend=cmd',
        'cmd.flow=f',
        'cmd.params.query=42',
        'cmd.params.top_k=3',
        'llm.default.answer=got {input}',
      ],
      dir,
    ).result;
    expect(ok.stdout.trim()).toBe('got 42');
    expect(ok.code).toBe(0);
  });

  it('cmd without cmd.flow says what to pass', async () => {
    const { code, stderr } = await runCli(['backend=cmd'], tempDir({})).result;
    expect(code).toBe(2);
    expect(stderr).toContain('backend=cmd needs cmd.flow=');
  });
});
