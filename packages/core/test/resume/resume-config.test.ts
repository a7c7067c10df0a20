import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { validateConfig } from '../../src/config/validate.js';
import { testBackends, thrown } from '../config/fixtures/test-backends.js';

const validate = (resume: unknown) => validateConfig({ resume }, { backends: testBackends });
const issuesOf = (resume: unknown) => {
  const error = thrown(() => validate(resume));
  expect(ConfigError.isInstance(error)).toBe(true);
  return (error as ConfigError).issues;
};

describe('the resume config block', () => {
  it('is off by default', () => {
    expect(validate(undefined).config.resume.backend).toBe('none');
  });

  it('takes the three backends and refuses others (off is not one: YAML reads it as false)', () => {
    expect(validate({ backend: 'memory' }).config.resume.backend).toBe('memory');
    expect(issuesOf({ backend: false })[0]?.path).toBe('resume.backend');
    expect(issuesOf({ backend: 'off' })[0]?.path).toBe('resume.backend');
  });

  it('needs a redis: or rediss: URL for backend redis, and never echoes one', () => {
    expect(validate({ backend: 'redis', redis_url: 'rediss://cache:6380' }).config.resume.redis_url).toBe(
      'rediss://cache:6380',
    );
    const missing = issuesOf({ backend: 'redis' });
    expect(missing).toEqual([expect.objectContaining({ path: 'resume.redis_url' })]);
    const wrong = issuesOf({ backend: 'redis', redis_url: 'http://:hunter2secret@cache:6379' });
    expect(wrong[0]?.path).toBe('resume.redis_url');
    expect(JSON.stringify(wrong)).not.toContain('hunter2secret');
    const error = thrown(() => validate({ backend: 'redis', redis_url: 'http://:hunter2secret@cache' }));
    expect(String((error as Error).message)).not.toContain('hunter2secret');
  });

  it('warns about a redis_url that another backend ignores, without echoing it', () => {
    const { warnings } = validate({ backend: 'memory', redis_url: 'redis://:hunter2secret@cache' });
    expect(warnings).toEqual([expect.objectContaining({ path: 'resume.redis_url' })]);
    expect(JSON.stringify(warnings)).not.toContain('hunter2secret');
  });

  it('checks key_prefix, bounds and the cross-field rules', () => {
    expect(issuesOf({ key_prefix: 'a{b}' })[0]?.path).toBe('resume.key_prefix');
    expect(issuesOf({ key_prefix: '' })[0]?.path).toBe('resume.key_prefix');
    expect(issuesOf({ ttl_seconds: 0 })[0]?.path).toBe('resume.ttl_seconds');
    expect(issuesOf({ max_events_per_run: 0 })[0]?.path).toBe('resume.max_events_per_run');
    expect(issuesOf({ max_events_per_run: 1.5 })[0]?.path).toBe('resume.max_events_per_run');
    expect(issuesOf({ retry_ms: -1 })[0]?.path).toBe('resume.retry_ms');
    expect(issuesOf({ lease_seconds: 0 })[0]?.path).toBe('resume.lease_seconds');
    expect(issuesOf({ ttl_seconds: 30, detach_seconds: 60 })[0]?.path).toBe('resume.detach_seconds');
    expect(
      issuesOf({
        backend: 'redis',
        redis_url: 'redis://cache',
        ttl_seconds: 5,
        lease_seconds: 5,
        detach_seconds: 1,
      })[0]?.path,
    ).toBe('resume.lease_seconds');
    // Leases are Redis's: the memory store does not check the default lease against a short TTL.
    expect(validate({ backend: 'memory', ttl_seconds: 3, detach_seconds: 1 }).config.resume.ttl_seconds).toBe(
      3,
    );
    // A short TTL alone trips the default detach_seconds, and the message says it is the default.
    expect(issuesOf({ ttl_seconds: 10 })[0]?.message).toMatch(/it is 60 \(the default\)/);
    expect(
      validate({ ttl_seconds: 60, detach_seconds: 60, lease_seconds: 5 }).config.resume.ttl_seconds,
    ).toBe(60);
  });
});
