// A project with @flowllm/core and @flowllm/mcp installed: starts `flowllm backend=mcp
// mcp.transport=stdio` as an MCP client (Claude Desktop…) would, speaks JSON-RPC lines on its stdin and
// stdout — initialize, tools/list, tools/call — then closes stdin and prints what it got, one JSON line
// per answer and the exit code.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const config = join(import.meta.dirname, 'mcp_demo.yaml');
const child = spawn(
  join(import.meta.dirname, 'node_modules', '.bin', 'flowllm'),
  [`config=${config}`, 'backend=mcp', 'mcp.transport=stdio'],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const answers = new Map();
const waiting = new Map();
createInterface({ input: child.stdout }).on('line', (line) => {
  const message = JSON.parse(line);
  if (message.id === undefined) return; // a notification (progress)
  waiting.get(message.id)?.(message);
});
const ask = (id, method, params) =>
  new Promise((resolve) => {
    waiting.set(id, resolve);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  });

const init = await ask(1, 'initialize', {
  protocolVersion: '2025-06-18',
  capabilities: {},
  clientInfo: { name: 'packed-consumer', version: '1.0.0' },
});
answers.set('server', init.result.serverInfo.name);
child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
const list = await ask(2, 'tools/list', {});
answers.set(
  'tools',
  list.result.tools.map((tool) => tool.name),
);
const call = await ask(3, 'tools/call', { name: 'chat', arguments: { query: 'hi' } });
answers.set('answer', call.result.content[0].text);
child.stdin.end();
const code = await new Promise((resolve) => child.on('exit', resolve));
console.log(JSON.stringify({ ...Object.fromEntries(answers), exit: code }));
