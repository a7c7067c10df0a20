import { runConformanceSuite } from '@flowllm/conformance';
import { expressTarget } from './target.js';

runConformanceSuite(expressTarget());
