// The conformance suite on core's own two targets: node:http (`handleNodeRequest`) and the fetch
// handler (`handleFetchRequest` on @hono/node-server). The express, koa, fastify and h3 packages run
// the same suite in their own tests.
//
// @flowllm/conformance type-checks against @flowllm/core's built dist, which core's own typecheck
// must not need (it runs before core is built): so it is resolved at run time only, by the root
// vitest config's alias (`@flowllm/<name>` → packages/<name>/src/index.ts).
// @ts-expect-error -- not a dependency of core; see above.
import { fetchTarget, nodeHttpTarget, runConformanceSuite } from '@flowllm/conformance';

runConformanceSuite(nodeHttpTarget());
runConformanceSuite(fetchTarget());
