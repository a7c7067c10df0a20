import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FlowllmError } from '../errors.js';
import type { VectorNode } from './types.js';

/**
 * The file of a workspace: `<dir>/<workspace_id>.jsonl`, as FlowLLM names it. Ids that could leave
 * the directory (empty, `.`, `..`, with a slash or NUL) are refused.
 *
 * @example
 * workspaceFile('./store', 'notes') // 'store/notes.jsonl'
 */
export function workspaceFile(dir: string, workspaceId: string): string {
  if (!workspaceId || workspaceId === '.' || workspaceId === '..' || /[/\\\0]/.test(workspaceId)) {
    throw new FlowllmError(
      'FLOWLLM_VECTOR_STORE',
      `workspace id ${JSON.stringify(workspaceId)} cannot name a file: use letters, digits, '_', '-' or '.'`,
      { expose: true, status: 400 },
    );
  }
  return join(dir, `${workspaceId}.jsonl`);
}

/**
 * Writes nodes as JSONL, one FlowLLM `VectorNode` per line (`unique_id`, `workspace_id`, `content`,
 * `metadata`, `vector`), through a temporary file and a rename so a crash never leaves half a file.
 *
 * @example
 * await writeNodes('./store/notes.jsonl', nodes);
 */
export async function writeNodes(file: string, nodes: Iterable<VectorNode>): Promise<number> {
  const lines: string[] = [];
  for (const { unique_id, workspace_id, content, metadata, vector } of nodes) {
    lines.push(JSON.stringify({ unique_id, workspace_id, content, metadata, vector: vector ?? null }));
  }
  await mkdir(join(file, '..'), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, lines.length > 0 ? `${lines.join('\n')}\n` : '', 'utf8');
  await rename(temporary, file);
  return lines.length;
}

/**
 * Reads a JSONL file of nodes (FlowLLM's dump format), giving each the `workspaceId`; undefined when
 * the file does not exist. A line that is not a node is an error naming the file and line.
 *
 * @example
 * const nodes = await readNodes('./store/notes.jsonl', 'notes');
 */
export async function readNodes(file: string, workspaceId: string): Promise<VectorNode[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
  const nodes: VectorNode[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    let raw: Partial<VectorNode> & { vector?: number[] | null };
    try {
      raw = JSON.parse(line);
    } catch {
      throw new FlowllmError('FLOWLLM_VECTOR_STORE', `${file}:${index + 1}: not a JSON line`);
    }
    if (typeof raw?.unique_id !== 'string') {
      throw new FlowllmError('FLOWLLM_VECTOR_STORE', `${file}:${index + 1}: a node needs a string unique_id`);
    }
    nodes.push({
      unique_id: raw.unique_id,
      workspace_id: workspaceId,
      content: String(raw.content ?? ''),
      metadata: raw.metadata ?? {},
      ...(Array.isArray(raw.vector) ? { vector: raw.vector } : {}),
    });
  }
  return nodes;
}
