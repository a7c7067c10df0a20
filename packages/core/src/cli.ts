#!/usr/bin/env node
import { runCli } from './cli/main.js';

// The first Ctrl-C (or SIGTERM) stops gracefully: the running flow is aborted, or open streams end.
// A second one exits at once.
const interrupt = new AbortController();
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signals++;
    if (signals > 1) process.exit(130);
    interrupt.abort(new Error(`interrupted (${signal})`));
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  interrupt: interrupt.signal,
});
