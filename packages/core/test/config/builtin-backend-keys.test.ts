import { describe, expect, it } from 'vitest';
import { BUILTIN_BACKEND_KEYS } from '../../src/config/builtin-backend-keys.js';
import { BUILTIN_BACKENDS } from '../../src/models/builtin-backends.js';

describe('BUILTIN_BACKEND_KEYS', () => {
  it('is where every built-in backend takes its keys from, so the config types and JSON Schema know them all', () => {
    const listed = Object.entries(BUILTIN_BACKEND_KEYS).flatMap(([kind, byName]) =>
      Object.entries(byName).map(([name, keys]) => ({ kind, name, keys })),
    );
    const registered = BUILTIN_BACKENDS.map(({ kind, name, keys }) => ({ kind, name, keys }));
    expect(registered).toHaveLength(listed.length);
    for (const backend of listed) expect(registered).toContainEqual(backend);
    for (const backend of registered) {
      const kind = BUILTIN_BACKEND_KEYS[backend.kind] as Record<string, unknown>;
      expect(kind[backend.name], `${backend.kind}:${backend.name}`).toBe(backend.keys);
    }
  });
});
