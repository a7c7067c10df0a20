import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { FlowllmError } from '../errors.js';
import { formatPrompt } from './prompt-format.js';

/**
 * The path of the prompt file beside an op module, FlowLLM's convention:
 * `gen_system_prompt_op.ts` → `gen_system_prompt_prompt.yaml`.
 *
 * @example
 * class MyOp extends BaseOp { static promptFile = promptFileBeside(import.meta.url); }
 */
export function promptFileBeside(moduleUrl: string | URL): string {
  const path = fileURLToPath(moduleUrl);
  return path.replace(/(_op)?\.[cm]?[jt]sx?$/, '_prompt.yaml');
}

/**
 * A set of named prompt templates, from inline entries and/or a YAML file of `name: template`.
 * With a language set, `name_<language>` is preferred over `name`.
 *
 * @example
 * const prompts = PromptTemplates.fromFile('my_prompt.yaml');
 * prompts.format('system', { query: 'hi' }, 'zh');
 */
export class PromptTemplates {
  constructor(private readonly templates: Readonly<Record<string, string>>) {}

  static fromFile(path: string): PromptTemplates {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new FlowllmError('FLOWLLM_PROMPT', `cannot read prompt file ${path}`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = parse(text);
    } catch (error) {
      throw new FlowllmError('FLOWLLM_PROMPT', `${path}: ${(error as Error).message}`, { cause: error });
    }
    if (parsed === null || parsed === undefined) return new PromptTemplates({});
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new FlowllmError('FLOWLLM_PROMPT', `${path}: expected a mapping of prompt name to template`);
    }
    for (const [name, value] of Object.entries(parsed)) {
      if (typeof value !== 'string') {
        throw new FlowllmError('FLOWLLM_PROMPT', `${path}: prompt '${name}' must be a string`);
      }
    }
    return new PromptTemplates(parsed as Record<string, string>);
  }

  merge(other: PromptTemplates): PromptTemplates {
    return new PromptTemplates({ ...this.templates, ...other.templates });
  }

  names(): string[] {
    return Object.keys(this.templates);
  }

  get(name: string, language = ''): string {
    const localized = language ? this.own(`${name}_${language}`) : undefined;
    const template = localized ?? this.own(name);
    if (template === undefined) {
      const known = this.names().join(', ') || 'none';
      throw new FlowllmError('FLOWLLM_PROMPT', `no prompt named '${name}' (known prompts: ${known})`);
    }
    return template;
  }

  // Own entries only: a prompt named `toString` is not Object.prototype's.
  private own(name: string): string | undefined {
    return Object.hasOwn(this.templates, name) ? this.templates[name] : undefined;
  }

  format(name: string, variables: Record<string, unknown>, language = ''): string {
    return formatPrompt(this.get(name, language), variables, name);
  }
}
