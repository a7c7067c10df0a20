// `flowllm backend=http` with a resume store that cannot start exits 1 before listening, saying why,
// and never prints the Redis password.
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/run-cli.js';

describe('flowllm backend=http with resume.backend redis that cannot start', () => {
  it('exits 1 naming the resume store, without the password', async () => {
    const cwd = tempDir({
      'app.yaml': [
        'backend: http',
        'http: { port: 0 }',
        'resume: { backend: redis, redis_url: "redis://:hunter2-secret@127.0.0.1:1" }',
        'llm: { default: { backend: mock, answer: hi } }',
        'flow: { chat: { flow_content: StreamChatOp(), stream: true } }',
      ].join('\n'),
    });
    const { code, stdout, stderr } = await runCli(['config=app.yaml'], cwd).result;
    expect(code).toBe(1);
    expect(stderr).toContain('flowllm: the resume store (resume.backend redis) cannot start:');
    expect(stdout + stderr).not.toContain('hunter2-secret');
    expect(stdout).not.toContain('http://');
  });
});
