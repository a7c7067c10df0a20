import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFlowApp } from '../../../src/create-flow-app.js';
import type { FlowResponse } from '../../../src/engine/context.js';
import type { FlowApp } from '../../../src/engine/flow-app.js';
import type { MockReply } from '../../../src/models/mock-llm.js';

/** A fresh temp folder (its real path) holding `files` (relative path → text); remove with `removeTree`. */
export async function makeTree(files: Record<string, string>): Promise<string> {
  const root = await realpath(await mkdtemp(path.join(tmpdir(), 'flowllm-files-')));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  return root;
}

export function removeTree(root: string): Promise<void> {
  return rm(root, { recursive: true, force: true });
}

/** An app whose flows are `{name: flow_content}` (sync), on the offline mock model with `script`. */
export function toolApp(flows: Record<string, string>, script: MockReply[] = [], stream = false): FlowApp {
  return createFlowApp({
    env: {},
    config: {
      llm: { default: { backend: 'mock', script } },
      flow: Object.fromEntries(
        Object.entries(flows).map(([name, content]) => [name, { flow_content: content, stream }]),
      ),
    },
  });
}

/** Runs a one-op flow and answers its result text. */
export async function runTool(app: FlowApp, flow: string, input: Record<string, unknown>): Promise<string> {
  return String((await app.run(flow, input)).answer);
}

/** The conversation an agent op keeps in its response's metadata. */
export function agentMessages(response: FlowResponse): { role: string; content: string }[] {
  return response.metadata.messages as { role: string; content: string }[];
}

/** The roles of `messages`, in order. */
export function roles(messages: { role: string }[]): string[] {
  return messages.map((message) => message.role);
}
