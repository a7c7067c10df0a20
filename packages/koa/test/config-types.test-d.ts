// Checked by `tsc` (this package's typecheck compiles test/): the `@ts-expect-error` fails the
// typecheck if the call with a misspelt key compiles; the same call spelt right compiles.
import { flowllmKoa } from '../src/index.js';

// @ts-expect-error `strem` is not a flow key
flowllmKoa({ flow: { chat: { flow_content: 'StreamChatOp()', strem: true } } });
flowllmKoa({ flow: { chat: { flow_content: 'StreamChatOp()', stream: true } } });
