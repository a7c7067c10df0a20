// Checked by `tsc` (this package's typecheck compiles test/): the `@ts-expect-error` fails the
// typecheck if the call with a misspelt key compiles; the same call spelt right compiles.
import { flowllmH3 } from '../src/index.js';

// @ts-expect-error `answr` is not a key of the mock backend
flowllmH3({ llm: { default: { backend: 'mock', answr: 'hi' } } });
flowllmH3({ llm: { default: { backend: 'mock', answer: 'hi' } } });
