import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FlowllmError } from '../errors.js';
import { writeFileAtomic } from '../storage/atomic-file.js';
import type { VectorNode } from './types.js';

/** The longest workspace id: its file name, with a temporary suffix, stays far below 255 bytes. */
export const MAX_WORKSPACE_ID_LENGTH = 128;

const WORKSPACE_ID = /^[A-Za-z0-9_.-]+$/;

/** Whether `checkWorkspaceId` accepts the id. */
export function isWorkspaceId(workspaceId: unknown): workspaceId is string {
  return (
    typeof workspaceId === 'string' &&
    workspaceId.length <= MAX_WORKSPACE_ID_LENGTH &&
    WORKSPACE_ID.test(workspaceId) &&
    workspaceId !== '.' &&
    workspaceId !== '..'
  );
}

/**
 * Refuses a workspace id that cannot name a file: only 1 to 128 ASCII letters, digits, `_`, `-` and
 * `.` are allowed, and not `.` or `..` (a `FlowllmError` with status 400).
 *
 * @example
 * checkWorkspaceId('notes-2024'); // fine
 * checkWorkspaceId('../etc');     // throws
 */
export function checkWorkspaceId(workspaceId: string): void {
  if (isWorkspaceId(workspaceId)) return;
  const text = String(workspaceId);
  const shown =
    text.length > 40 ? `${JSON.stringify(text.slice(0, 40)).slice(0, -1)}…"` : JSON.stringify(text);
  throw new FlowllmError(
    'FLOWLLM_VECTOR_STORE',
    `workspace id ${shown} cannot name a file: use 1 to ${MAX_WORKSPACE_ID_LENGTH} letters (a-z, A-Z), digits, '_', '-' or '.' (not '.' or '..')`,
    { expose: true, status: 400 },
  );
}

/**
 * The file of a workspace: `<dir>/<workspace_id>.jsonl`, as FlowLLM names it; ids `checkWorkspaceId`
 * refuses are refused.
 *
 * @example
 * workspaceFile('./store', 'notes') // 'store/notes.jsonl'
 */
export function workspaceFile(dir: string, workspaceId: string): string {
  checkWorkspaceId(workspaceId);
  return join(dir, `${workspaceId}.jsonl`);
}

/**
 * Writes nodes as JSONL, one FlowLLM `VectorNode` per line (`unique_id`, `workspace_id`, `content`,
 * `metadata`, `vector`), with {@link writeFileAtomic}: readers (and a crash) see the old file or the
 * new one, never half of one.
 *
 * @example
 * await writeNodes('./store/notes.jsonl', nodes);
 */
export async function writeNodes(file: string, nodes: Iterable<VectorNode>): Promise<number> {
  const lines: string[] = [];
  for (const { unique_id, workspace_id, content, metadata, vector } of nodes) {
    lines.push(JSON.stringify({ unique_id, workspace_id, content, metadata, vector: vector ?? null }));
  }
  await writeFileAtomic(file, lines.length > 0 ? `${lines.join('\n')}\n` : '');
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
