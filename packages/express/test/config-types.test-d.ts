// Checked by `tsc` (this package's typecheck compiles test/): the `@ts-expect-error` fails the
// typecheck if the call with a misspelt key compiles; the same call spelt right compiles.
import { flowllmExpress } from '../src/index.js';

// @ts-expect-error `htp` is not a config key
flowllmExpress({ flow: { chat: { flow_content: 'StreamChatOp()', stream: true } }, htp: { port: 8002 } });
flowllmExpress({ flow: { chat: { flow_content: 'StreamChatOp()', stream: true } }, http: { port: 8002 } });
