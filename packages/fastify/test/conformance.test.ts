import { runConformanceSuite } from '@flowllm/conformance';
import { fastifyTarget } from './target.js';

runConformanceSuite(fastifyTarget());
