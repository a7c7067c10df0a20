// Config objects are typed from the installed declarations: each line after a `@ts-expect-error`
// is a compile error (the packed-install test also compiles this file without the directives and
// expects an error on exactly those lines), and each line spelt right compiles.
import { createFlowApp, createFlowService, defineConfig } from '@flowllm/core';
import { flowllmExpress } from '@flowllm/express';
import { flowllmFastify } from '@flowllm/fastify';
import { flowllmH3 } from '@flowllm/h3';
import { flowllmKoa } from '@flowllm/koa';
import Fastify from 'fastify';

declare module '@flowllm/core' {
  interface CustomLlmBackends {
    echo: { prefix?: string };
  }
}

const chat = { flow_content: 'StreamChatOp()', stream: true } as const;

// @ts-expect-error `flw` is not a config key (the issue's example)
createFlowApp({ config: { flw: { chat: { flow_contnt: 1, stream: 'yes' } }, http: { prot: 'x' } } });
// @ts-expect-error `stream` is a boolean
defineConfig({ flow: { chat: { flow_content: 'ChatOp()', stream: 'yes' } } });
// @ts-expect-error `api_kye` is not a key of the openai_compatible backend
defineConfig({ llm: { default: { backend: 'openai_compatible', api_kye: 'sk-…' } } });
// @ts-expect-error `prefx` is not a key of the declared `echo` backend
defineConfig({ llm: { default: { backend: 'echo', prefx: '> ' } } });
// @ts-expect-error `htp` is not a config key
createFlowService({ flow: { chat }, htp: {} });
// @ts-expect-error `htp` is not a config key
flowllmExpress({ flow: { chat }, htp: {} });
// @ts-expect-error `htp` is not a config key
flowllmKoa({ flow: { chat }, htp: {} });
// @ts-expect-error `htp` is not a config key
flowllmH3({ flow: { chat }, htp: {} });
// @ts-expect-error `prot` is not an http key
await Fastify().register(flowllmFastify, { config: { flow: { chat }, http: { prot: 8002 } } });

export const spelt = [
  createFlowApp({ config: { flow: { chat }, http: { port: 8002 } } }),
  defineConfig({ llm: { default: { backend: 'openai_compatible', api_key: 'sk-…' } } }),
  defineConfig({ llm: { default: { backend: 'echo', prefix: '> ' } } }),
  createFlowService({ flow: { chat }, http: {} }),
  flowllmExpress({ flow: { chat }, http: {} }),
  flowllmKoa({ flow: { chat }, http: {} }),
  flowllmH3({ flow: { chat }, http: {} }),
];
await Fastify().register(flowllmFastify, { config: { flow: { chat }, http: { port: 8002 } } });
