import { runConformanceSuite } from '@flowllm/conformance';
import { koaTarget } from './target.js';

runConformanceSuite(koaTarget());
