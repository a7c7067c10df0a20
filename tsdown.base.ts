import type { UserConfig } from 'tsdown';

// Shared build settings: ESM only (see docs/esm-only.md), declarations, and the
// publint + are-the-types-wrong checks on every build so a broken package never ships.
export function packageBuild(
  entry: string[] | Record<string, string>,
  overrides: UserConfig = {},
): UserConfig {
  return {
    entry,
    format: ['esm'],
    platform: 'node',
    target: 'node20.19',
    dts: true,
    sourcemap: true,
    clean: true,
    publint: true,
    attw: { profile: 'esmOnly', level: 'error' },
    ...overrides,
  };
}
