import { runConformanceSuite } from '@flowllm/conformance';
import { h3Target } from './target.js';

runConformanceSuite(h3Target());
