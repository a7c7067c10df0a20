// The Host/Origin policy of the HTTP transports, case by case; serve-http.test.ts checks the 403s.
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, requestGuard } from '../../src/index.js';

describe('requestGuard', () => {
  it('on a loopback address: loopback Host names only (any port), plus allowedHosts', () => {
    const refuse = requestGuard({ boundHost: '127.0.0.1', allowedHosts: ['mcp.internal'] });
    for (const host of ['localhost:8001', '127.0.0.1:8001', '[::1]:8001', 'LOCALHOST', 'mcp.internal:9'])
      expect(refuse({ host }), host).toBeUndefined();
    expect(refuse({ host: 'evil.example:8001' })).toBe('Invalid Host header: evil.example:8001');
    expect(refuse({})).toBe('Invalid Host header: (none)');
  });

  it('on a loopback address: loopback origins only, plus allowedOrigins; no Origin is fine', () => {
    const refuse = requestGuard({ boundHost: 'localhost', allowedOrigins: ['https://app.example'] });
    const host = 'localhost:8001';
    expect(refuse({ host })).toBeUndefined();
    expect(refuse({ host, origin: 'https://app.example' })).toBeUndefined();
    expect(refuse({ host, origin: 'http://evil.example' })).toBe(
      'Invalid Origin header: http://evil.example',
    );
    // An explicit list replaces the loopback default.
    expect(refuse({ host, origin: 'http://localhost:6274' })).toBeDefined();
    const plain = requestGuard({ boundHost: '127.0.0.1' });
    expect(plain({ host, origin: 'http://localhost:6274' })).toBeUndefined();
    expect(plain({ host, origin: 'null' })).toBeDefined();
  });

  it('on another address: any Host, same-origin or listed origins; * allows any', () => {
    const refuse = requestGuard({ boundHost: '0.0.0.0' });
    expect(refuse({ host: 'mcp.example.com' })).toBeUndefined();
    expect(refuse({ host: 'mcp.example.com', origin: 'https://mcp.example.com' })).toBeUndefined();
    expect(refuse({ host: 'mcp.example.com', origin: 'https://other.example' })).toBeDefined();
    const open = requestGuard({ boundHost: '0.0.0.0', allowedOrigins: ['*'] });
    expect(open({ host: 'mcp.example.com', origin: 'https://other.example' })).toBeUndefined();
    const pinned = requestGuard({ boundHost: '0.0.0.0', allowedHosts: ['mcp.example.com'] });
    expect(pinned({ host: 'other.example' })).toBeDefined();
  });

  it('isLoopbackHost', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.2', 'localhost.example'])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});
