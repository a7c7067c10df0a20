// Checked by `tsc` (this package's typecheck compiles test/): the `@ts-expect-error` fails the
// typecheck if the registration with a misspelt key compiles; the same one spelt right compiles.
import Fastify from 'fastify';
import { flowllmFastify } from '../src/index.js';

const fastify = Fastify();
// @ts-expect-error `prot` is not an http key
await fastify.register(flowllmFastify, { config: { http: { prot: 8002 } } });
await fastify.register(flowllmFastify, { config: { http: { port: 8002 } } });
