import { createChunk, type FlowStreamChunk } from '../chunk.js';
import type { FlowResponse } from '../engine/context.js';
import type { Flow } from '../engine/flow.js';
import { FlowAbortedError } from '../engine/flow-errors.js';
import type { FlowStream } from '../engine/flow-stream.js';
import { createOpenAIChunkEncoder } from '../protocols/openai-chunk-encoder.js';
import { ChatCompletionBuilder } from '../protocols/openai-completion.js';
import { OpenAIError } from '../protocols/openai-error.js';
import { readChatCompletionCall } from '../protocols/openai-request.js';
import { SSE_HEADERS } from '../sse/headers.js';
import { validateFlowInput } from './input-validation.js';
import type { Route } from './routes.js';
import type { FlowService } from './service.js';
import type { ServiceRequest, ServiceResult } from './service-types.js';

/** The facade's settings as the service holds them: keys from the config and the environment. */
export interface OpenAIFacade {
  path: string;
  apiKeys: readonly string[];
  reasoningField: string;
  /** Unix seconds the service started: every model's `created`. */
  created: number;
}

/** The facade of a config (`openai_facade.enabled`), or undefined when it is off. */
export function openAIFacadeOf(
  settings: { enabled: boolean; path: string; api_keys: string[]; reasoning_field: string } | undefined,
  env: Readonly<Record<string, string | undefined>> | undefined,
): OpenAIFacade | undefined {
  // An app from another (older) copy of the package may have no such block: the facade is then off.
  if (!settings?.enabled) return undefined;
  const fromEnv = (env?.FLOWLLM_OPENAI_API_KEYS ?? '').split(',').map((key) => key.trim());
  return {
    path: settings.path,
    apiKeys: [...settings.api_keys, ...fromEnv].filter((key) => key !== ''),
    reasoningField: settings.reasoning_field,
    created: Math.floor(Date.now() / 1000),
  };
}

/** Answers a facade route: `{path}/models`, `{path}/models/{id}`, `{path}/chat/completions`. */
export async function openAIRoute(
  service: FlowService,
  facade: OpenAIFacade,
  route: Extract<Route, { kind: 'openai-completions' | 'openai-models' | 'openai-model' }>,
  request: ServiceRequest,
  head: boolean,
): Promise<ServiceResult> {
  checkApiKey(facade, request.header('authorization'));
  if (route.kind === 'openai-models') {
    const data = [...service.app.flows.keys()].map((id) => model(id, facade));
    return jsonResult({ object: 'list', data }, head);
  }
  if (route.kind === 'openai-model') {
    if (!service.app.flows.has(route.model)) throw modelNotFound(route.model);
    return jsonResult(model(route.model, facade), head);
  }
  return completions(service, facade, request);
}

async function completions(
  service: FlowService,
  facade: OpenAIFacade,
  request: ServiceRequest,
): Promise<ServiceResult> {
  const body = await service.readJson(request);
  const flows = service.app.flows;
  const call = readChatCompletionCall(body, (name) => flows.get(name)?.config.input_schema);
  const flow = flows.get(call.model) as Flow;
  const input = validateFlowInput(flow.config.input_schema, call.input, 'body');
  const reasoningField = facade.reasoningField;
  if (call.stream) {
    const encoder = (_flowId: string) =>
      createOpenAIChunkEncoder({ model: call.model, includeUsage: call.includeUsage, reasoningField });
    if (flow.isStream)
      return service.startStream(flow, input, request, {
        variant: 'post',
        headers: SSE_HEADERS,
        encoder,
        resumable: false,
      });
    // A sync flow streamed: its whole answer as one content delta.
    const { response, flowId } = await service.runSync(flow, input, request);
    const frames = encoder(flowId);
    const text = syncChunks(flowId, response)
      .map((chunk) => frames.frame(chunk))
      .join('');
    return { status: 200, headers: { ...SSE_HEADERS }, body: text };
  }
  if (!flow.isStream) {
    const { response, flowId } = await service.runSync(flow, input, request);
    const builder = new ChatCompletionBuilder({ model: call.model, flowId, reasoningField });
    for (const chunk of syncChunks(flowId, response)) builder.add(chunk);
    return jsonResult(builder.result(), false);
  }
  const started = await service.startStream(flow, input, request, {
    variant: 'post',
    headers: SSE_HEADERS,
    resumable: false,
  });
  if (!('stream' in started)) return started;
  const stream = started.stream as FlowStream;
  const builder = new ChatCompletionBuilder({ model: call.model, flowId: stream.flowId, reasoningField });
  await collect(service, stream, (chunk) => builder.add(chunk));
  const requestId = { 'x-request-id': stream.flowId };
  if (builder.error !== undefined)
    throw new OpenAIError(500, builder.error, { type: 'server_error' }, requestId);
  // No done chunk: the run was cut short (a shutdown); a partial answer must not pass for a whole one.
  if (!builder.ended)
    throw new OpenAIError(
      503,
      'the server is shutting down: the run was stopped',
      { type: 'server_error' },
      requestId,
    );

  return jsonResult(builder.result(), false);
}

/** Reads a whole stream, which shutdown can still end (the stream's own signal ends it on disconnect). */
async function collect(
  service: FlowService,
  stream: FlowStream,
  add: (chunk: FlowStreamChunk) => void,
): Promise<void> {
  const stop = { shutdown: (reason: string) => stream.cancel(new FlowAbortedError(reason)) };
  service.openStreams.add(stop);
  try {
    for await (const chunk of stream) add(chunk);
  } finally {
    service.openStreams.delete(stop);
  }
}

/** A sync flow's answer as the chunks a stream would have had: its reasoning, its answer, usage on done. */
function syncChunks(flowId: string, response: FlowResponse): FlowStreamChunk[] {
  const chunks: FlowStreamChunk[] = [];
  const reasoning = response.metadata.reasoning_content;
  if (typeof reasoning === 'string' && reasoning !== '') chunks.push(createChunk(flowId, 'think', reasoning));
  chunks.push(createChunk(flowId, 'answer', response.answer));
  const usage = response.metadata.usage;
  chunks.push(
    createChunk(flowId, 'done', '', { done: true, metadata: usage === undefined ? {} : { usage } }),
  );
  return chunks;
}

function checkApiKey(facade: OpenAIFacade, authorization: string | undefined): void {
  if (facade.apiKeys.length === 0) return;
  const token = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '')?.[1]?.trim() ?? '';
  // Every key is compared, each in time independent of where it differs.
  let match = false;
  for (const key of facade.apiKeys) match = sameText(token, key) || match;
  if (!match)
    throw new OpenAIError(
      401,
      token === '' ? 'Missing API key: send Authorization: Bearer <key>' : 'Incorrect API key provided',
      { type: 'invalid_request_error', code: 'invalid_api_key' },
      { 'www-authenticate': 'Bearer' },
    );
}

function sameText(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++)
    difference |= (a.charCodeAt(i % Math.max(a.length, 1)) || 0) ^ b.charCodeAt(i);
  return difference === 0;
}

function model(id: string, facade: OpenAIFacade): Record<string, unknown> {
  return { id, object: 'model', created: facade.created, owned_by: 'flowllm' };
}

function modelNotFound(name: string): OpenAIError {
  return new OpenAIError(404, `The model '${name.slice(0, 100)}' does not exist`, {
    type: 'invalid_request_error',
    param: 'model',
    code: 'model_not_found',
  });
}

function jsonResult(value: unknown, head: boolean): ServiceResult {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: head ? '' : JSON.stringify(value),
  };
}
