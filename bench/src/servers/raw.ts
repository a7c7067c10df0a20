// The floor: plain node:http writing pre-built SSE frames, one write per token, with correct drain
// and disconnect handling — the least a correct streaming server can do.
import { createServer, type ServerResponse } from 'node:http';
import { BENCH_FLOW_ID, BenchModel, modelParams } from '../model.js';
import { nodeTarget, type RunningTarget, readJson, SSE_HEADERS } from './common.js';

const PREFIX = `data:{"flow_id":"${BENCH_FLOW_ID}","chunk_type":"answer","chunk":"`;
const SUFFIX = '","done":false,"metadata":{}}\n\n';
const DONE = 'data:[DONE]\n\n';

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

export function start(): Promise<RunningTarget> {
  const server = createServer((request, response) => {
    readJson(request)
      .then(async (body) => {
        const model = new BenchModel(modelParams(body));
        response.once('close', () => {
          if (!response.writableEnded) model.stop();
        });
        response.writeHead(200, SSE_HEADERS);
        response.flushHeaders();
        for await (const tok of model) {
          if (response.destroyed) break;
          if (!response.write(PREFIX + tok + SUFFIX)) await drained(response);
        }
        if (!response.destroyed) response.end(DONE);
      })
      .catch(() => response.destroy());
  });
  server.listen(0, '127.0.0.1');
  return nodeTarget(server);
}
