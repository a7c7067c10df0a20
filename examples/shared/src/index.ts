// What the express, koa, fastify and h3 examples share at run time: the demo flows' config.
export { type DemoConfigOptions, demoConfig } from './demo-config.js';
