import { describe, expect, it } from 'vitest';
import { serveBanner } from '../../src/cli/serve-banner.js';
import { testApp } from '../helpers/app.js';

const flows = {
  chat: { flow_content: 'StreamChatOp()', stream: true },
  ask: { flow_content: 'ChatOp()' },
};
const llm = { default: { backend: 'mock' } };

describe('the serve banner', () => {
  it('names the useChat route of stream flows, and no facade when it is off', () => {
    const banner = serveBanner(testApp({ flow: flows, llm }), 'http://localhost:8002');
    expect(banner).toContain('POST http://localhost:8002/{stream flow}/ui');
    expect(banner).not.toContain('OpenAI-compatible');
  });

  it('names the OpenAI facade when it is on, and says when it checks no API key', () => {
    const open = serveBanner(
      testApp({ flow: flows, llm, openai_facade: { enabled: true } }),
      'http://localhost:8002',
    );
    expect(open).toContain('http://localhost:8002/v1/chat/completions');
    expect(open).toContain('no API key check');
    const keyed = serveBanner(
      testApp({ flow: flows, llm, openai_facade: { enabled: true, api_keys: ['sk-secret'] } }),
      'http://localhost:8002',
    );
    expect(keyed).not.toContain('no API key check');
    expect(keyed).not.toContain('sk-secret');
  });

  it('names the /docs playground, unless http.docs is off', () => {
    const on = serveBanner(testApp({ flow: flows, llm }), 'http://localhost:8002');
    expect(on.split('\n')[0]).toContain('(playground: http://localhost:8002/docs)');
    const off = serveBanner(testApp({ flow: flows, llm, http: { docs: false } }), 'http://localhost:8002');
    expect(off).not.toContain('/docs');
  });

  it('leaves the useChat line out with ui_stream off or no stream flow', () => {
    const off = serveBanner(testApp({ flow: flows, llm, ui_stream: { enabled: false } }), 'http://x');
    expect(off).not.toContain('/ui');
    const syncOnly = serveBanner(testApp({ flow: { ask: flows.ask }, llm }), 'http://x');
    expect(syncOnly).not.toContain('/ui');
  });
});
