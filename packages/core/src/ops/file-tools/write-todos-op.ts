import { ToolFailure } from './confined-tool-op.js';
import { FileToolOp } from './file-tool-op.js';

const TODO_STATUSES = ['pending', 'in_progress', 'completed', 'cancelled'];

/**
 * FlowLLM's `WriteTodosOp` (tool `WriteTodos`): the model keeps a numbered to-do list of subtasks
 * (`1. [in_progress] …`); each call replaces the list. Pure state: it touches no files.
 *
 * @example
 * // flow_content: ReactAgentOp() << [WriteTodosOp(), GrepOp()]
 */
export class WriteTodosOp extends FileToolOp {
  static override prompts = {
    tool_desc: [
      'Keeps the list of subtasks of the current request, so that complex work stays organised and the user sees the progress. Each call replaces the whole list.',
      'Use it for requests that take several steps; skip it for simple questions answered in one or two steps.',
      'Statuses: pending (not started), in_progress (being worked on — one subtask at a time), completed (done without open issues), cancelled (no longer needed).',
      'Update the list whenever a subtask starts, finishes or is dropped.',
    ].join('\n'),
    todos: 'The complete to-do list; it replaces the current one.',
    todo_description: 'What the subtask is.',
    todo_status: 'The status: pending, in_progress, completed or cancelled.',
  };

  describeTool() {
    return {
      name: 'WriteTodos',
      description: this.prompt('tool_desc'),
      input_schema: {
        todos: {
          type: 'array' as const,
          description: this.prompt('todos'),
          required: true,
          // ToolAttr has no `properties`: each item's shape is described in words.
          items: {
            type: 'object' as const,
            description: `An object with "description" (${this.prompt('todo_description')}) and "status" (${this.prompt('todo_status')}).`,
          },
        },
      },
    };
  }

  protected failurePrefix(): string {
    return 'Failed to update the todo list';
  }

  protected async work(): Promise<string> {
    const todos = this.input.todos;
    if (!Array.isArray(todos)) throw new ToolFailure("The 'todos' parameter must be an array");
    for (const [index, todo] of todos.entries()) {
      if (typeof todo !== 'object' || todo === null || Array.isArray(todo)) {
        throw new ToolFailure(`Todo item at index ${index} must be an object`);
      }
      const { description, status } = todo as Record<string, unknown>;
      if (typeof description !== 'string' || description.trim() === '') {
        throw new ToolFailure(`Todo item at index ${index} must have a non-empty description string`);
      }
      if (typeof status !== 'string' || !TODO_STATUSES.includes(status)) {
        throw new ToolFailure(
          `Todo item at index ${index} must have a valid status (${TODO_STATUSES.join(', ')})`,
        );
      }
    }
    const items = todos as { description: string; status: string }[];
    if (items.filter((todo) => todo.status === 'in_progress').length > 1) {
      throw new ToolFailure("Only one task can be 'in_progress' at a time");
    }
    if (items.length === 0) return 'Successfully cleared the todo list.';
    const list = items.map((todo, i) => `${i + 1}. [${todo.status}] ${todo.description}`).join('\n');
    return `Successfully updated the todo list. The current list is now:\n${list}`;
  }
}
