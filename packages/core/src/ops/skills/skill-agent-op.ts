import type { Message } from '../../models/types.js';
import { ReactAgentOp } from '../agent/react-agent-op.js';
import { conversationFrom } from '../conversation.js';
import { confinePath, resolveSandboxRoot, sandboxRefusal } from '../file-tools/sandbox-root.js';
import { SKILL_CATALOG_KEY, SkillCatalog } from './skill-catalog.js';

/**
 * FlowLLM's `SkillAgentOp`: a `ReactAgentOp` that first reads the skills (SKILL.md name and
 * description) in its skills folder, lists them in its system prompt, and gives every tool call the
 * skill metadata — so `load_skill`, `read_reference_file` and `run_shell_command` find the skills'
 * folders. The folder is the request's `skill_dir` (as FlowLLM), which must lie inside the op option
 * `skill_dir` (default: the app's working directory), or that option itself when the request names
 * none. Defaults as FlowLLM's (`max_steps=50`), except the model: `llm="default"`. Like `ReactAgentOp`
 * it also takes `messages` instead of `query`.
 *
 * @example
 * // flow_content: SkillAgentOp(skill_dir="./skills") << [LoadSkillOp(), ReadReferenceFileOp(), RunShellCommandOp()]
 */
export class SkillAgentOp extends ReactAgentOp {
  static override options = { ...ReactAgentOp.options, max_steps: 50, skill_dir: null };
  static override prompts = {
    system_prompt: [
      'You are a helpful assistant that can use specialised skills. It is now {time}.',
      'For tasks in a particular domain or about a particular file format, load the matching skill with the "load_skill" tool to get expert instructions.',
      'Available skills, one per line as "- <skill name>: <description>":',
      '{skill_metadata}',
      '',
      'How to work:',
      '1. Decide whether the task needs specialised knowledge.',
      '2. If it does, pick the most relevant skill from the list.',
      '3. Call "load_skill" with its name to read its instructions (its SKILL.md).',
      '4. Read a reference file the instructions mention (e.g. forms.md) with "read_reference_file" only when the task really needs it.',
      '5. Run a script the skill provides (e.g. scripts/fill_form.py) with "run_shell_command" when needed: only its output reaches you, not its code.',
      "6. Follow the skill's instructions, using the tools as needed.",
      '7. When the task is done, answer the user directly.',
      '',
      'Notes:',
      '- Load skills and their files only when they are relevant to the task at hand.',
      "- Skill scripts live in the scripts/ folder of their skill; commands start in the skill's folder, so use paths such as scripts/check_fields.py.",
      '- For a task that needs several skills, load and apply them one after another.',
    ].join('\n'),
    system_prompt_zh: [
      '你是一个可以使用专业技能的智能助手。现在的时间是 {time}。',
      '遇到特定领域或特定文件格式的任务时，用 "load_skill" 工具加载对应技能，获取专家级说明。',
      '可用技能（每行格式为 "- <技能名称>: <描述>"）：',
      '{skill_metadata}',
      '',
      '工作方式：',
      '1. 判断任务是否需要专业知识。',
      '2. 如果需要，从列表中选出最相关的技能。',
      '3. 用 "load_skill" 读取该技能的说明（SKILL.md）。',
      '4. 只有任务确实需要时，才用 "read_reference_file" 读取说明中提到的参考文件（如 forms.md）。',
      '5. 需要时用 "run_shell_command" 运行技能提供的脚本（如 scripts/fill_form.py）：你只会看到脚本的输出，而不是代码。',
      '6. 按照技能说明操作，按需使用工具。',
      '7. 任务完成后，直接回答用户。',
      '',
      '注意：',
      '- 只在与当前任务相关时才加载技能及其文件。',
      '- 技能脚本位于各自技能的 scripts/ 目录；命令从技能目录开始执行，请使用 scripts/check_fields.py 这样的路径。',
      '- 需要多个技能时，依次加载并应用。',
    ].join('\n'),
  };

  private catalog = new SkillCatalog('', {});

  override describeTool() {
    return {
      description: 'Answers a query, using the pre-built skills of a skills folder when they help.',
      input_schema: {
        query: { type: 'string' as const, description: 'the query', required: false },
        messages: {
          type: 'array' as const,
          description: 'the conversation so far, instead of a query',
          required: false,
        },
        skill_dir: {
          type: 'string' as const,
          description: 'the skills folder (default: the one the op is configured with)',
          required: false,
        },
      },
    };
  }

  override async execute(): Promise<void> {
    const configured = this.option<string | null>('skill_dir');
    const requested = typeof this.input.skill_dir === 'string' ? this.input.skill_dir.trim() : '';
    if (!configured && !requested) {
      throw sandboxRefusal(
        'SkillAgentOp needs a skills folder: send skill_dir with the request, or configure SkillAgentOp(skill_dir="…").',
      );
    }
    const root = await resolveSandboxRoot(configured, 'skill_dir');
    const dir = requested ? await confinePath(root, requested, 'skill_dir') : root;
    this.catalog = await SkillCatalog.scan(root, dir, this.signal);
    this.context.set('skill_metadata_dict', this.catalog.skills);
    await super.execute();
  }

  protected override startMessages(): Message[] {
    const time = new Date().toISOString().replace('T', ' ').slice(0, 19);
    const skills = Object.entries(this.catalog.skills).map(
      ([name, skill]) => `- ${name}: ${skill.description}`,
    );
    return [
      {
        role: 'system',
        content: this.prompt('system_prompt', {
          time,
          skill_metadata: skills.join('\n') || '(no skills found)',
        }),
      },
      ...conversationFrom(this.context, this.constructor.name),
    ];
  }

  protected override toolCallInput(args: Record<string, unknown>): Record<string, unknown> {
    return { ...args, skill_metadata_dict: this.catalog.skills, [SKILL_CATALOG_KEY]: this.catalog };
  }
}
