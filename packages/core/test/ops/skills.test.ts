import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowStreamChunk } from '../../src/chunk.js';
import { parseSkillFrontmatter } from '../../src/ops/skills/skill-catalog.js';
import { collect } from '../helpers/app.js';
import { exposedRefusal } from '../helpers/failures.js';
import { agentMessages, makeTree, removeTree, roles, runTool, toolApp } from './helpers/file-tree.js';

// Inside the repository, so inside the working directory the default confinement root is.
const SKILLS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'skills');
const PDF_SKILL_MD =
  '---\nname: pdf\ndescription: "Fill in PDF forms"\n---\n# PDF forms\n\nRead forms.md, then run scripts/fill.sh.\n';
// FlowLLM's default.yaml entry, unchanged.
const FLOWLLM_SKILL_AGENT = 'SkillAgentOp() << [LoadSkillOp(), ReadReferenceFileOp(), RunShellCommandOp()]';

let temp: string;

beforeAll(async () => {
  temp = await makeTree({
    'outside/SKILL.md': '---\nname: evil\ndescription: outside\n---\nsecret\n',
    'skills/x/SKILL.md': '---\nname: x\ndescription: x\n---\nx\n',
  });
  await symlink(path.join(temp, 'outside', 'SKILL.md'), path.join(temp, 'skills', 'x', 'leak.md'));
});

afterAll(() => removeTree(temp));

describe('skill tools', () => {
  const dict = { pdf: { description: 'Fill in PDF forms', skill_dir: path.join(SKILLS, 'pdf') } };

  it('LoadSkillMetadataOp reads every SKILL.md with a name and description', async () => {
    const app = toolApp({ meta: `LoadSkillMetadataOp(skill_dir="${SKILLS}")` });
    expect((await app.run('meta', {})).answer).toEqual({
      pdf: { description: 'Fill in PDF forms', skill_dir: path.join(SKILLS, 'pdf') },
      xlsx: { description: 'Work with spreadsheets', skill_dir: path.join(SKILLS, 'xlsx') },
    });
    expect(await exposedRefusal(app.run('meta', { skill_dir: temp }))).toMatch(/outside/);
  });

  it('LoadSkillOp answers SKILL.md, or FlowLLM text for an unknown skill', async () => {
    const app = toolApp({ load: `LoadSkillOp(skill_dir="${SKILLS}")` });
    expect(await runTool(app, 'load', { skill_name: 'pdf', skill_metadata_dict: dict })).toBe(PDF_SKILL_MD);
    expect(await runTool(app, 'load', { skill_name: 'nope', skill_metadata_dict: dict })).toBe(
      "❌ Skill 'nope' not found",
    );
  });

  it('a skill_metadata_dict from the request cannot point outside skill_dir', async () => {
    const app = toolApp({ load: `LoadSkillOp(skill_dir="${SKILLS}")` });
    const evil = { evil: { description: 'x', skill_dir: path.join(temp, 'outside') } };
    expect(await exposedRefusal(app.run('load', { skill_name: 'evil', skill_metadata_dict: evil }))).toMatch(
      /outside/,
    );
  });

  it('ReadReferenceFileOp reads inside the skill folder only', async () => {
    const app = toolApp({
      ref: `ReadReferenceFileOp(skill_dir="${SKILLS}")`,
      temp_ref: `ReadReferenceFileOp(skill_dir="${temp}")`,
    });
    expect(
      await runTool(app, 'ref', { skill_name: 'pdf', file_name: 'forms.md', skill_metadata_dict: dict }),
    ).toBe('Form fields: name, date.\n');
    expect(
      await runTool(app, 'ref', { skill_name: 'pdf', file_name: 'nope.md', skill_metadata_dict: dict }),
    ).toBe("File 'nope.md' not found in skill 'pdf'");
    expect(
      await exposedRefusal(
        app.run('ref', { skill_name: 'pdf', file_name: '../xlsx/SKILL.md', skill_metadata_dict: dict }),
      ),
    ).toMatch(/outside/);
    const x = { x: { description: 'x', skill_dir: path.join(temp, 'skills', 'x') } };
    expect(
      await exposedRefusal(
        app.run('temp_ref', { skill_name: 'x', file_name: 'leak.md', skill_metadata_dict: x }),
      ),
    ).toMatch(/outside/);
  });

  it('RunShellCommandOp is off by default, and runs in the skill folder when allowed', async () => {
    const app = toolApp({
      off: `RunShellCommandOp(skill_dir="${SKILLS}")`,
      on: `RunShellCommandOp(skill_dir="${SKILLS}", allow_shell=True)`,
    });
    const input = { skill_name: 'pdf', command: 'sh scripts/fill.sh form.pdf', skill_metadata_dict: dict };
    expect(await exposedRefusal(app.run('off', input))).toMatch(
      /^RunShellCommandOp is off: set allow_shell=True/,
    );
    expect(await runTool(app, 'on', input)).toBe('filled form.pdf\nwarning: none');
  });

  it('parses frontmatter as FlowLLM: quotes dropped, both fields needed', () => {
    expect(parseSkillFrontmatter("---\nname: 'a'\ndescription: b: c\n---\n")).toEqual({
      name: 'a',
      description: 'b: c',
    });
    expect(parseSkillFrontmatter('---\nname: a\n---\n')).toBeUndefined();
    expect(parseSkillFrontmatter('no frontmatter')).toBeUndefined();
  });
});

describe('SkillAgentOp on the offline mock model', () => {
  it("runs FlowLLM's skill_agent flow unchanged: load_skill, then an answer from the skill", async () => {
    // Unscripted, the mock calls the first tool with the query as its text argument, then answers.
    const app = toolApp({ skill_agent: FLOWLLM_SKILL_AGENT });
    const response = await app.run('skill_agent', { query: 'pdf', skill_dir: SKILLS });
    const messages = agentMessages(response);
    expect(roles(messages)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
    expect(messages[3]?.content).toBe(PDF_SKILL_MD);
    expect(String(response.answer)).toContain(
      'Offline mock answer to "pdf", from the tool results: ---\nname: pdf',
    );
  });

  it('a scripted step calls every skill tool with the metadata; run_shell_command refuses', async () => {
    const tools = '[LoadSkillOp(), ReadReferenceFileOp(), RunShellCommandOp()]';
    const app = toolApp({ skill_agent: `SkillAgentOp(max_steps=1, tool_call_interval=0) << ${tools}` }, [
      {
        match: 'fill the form',
        tool_calls: [
          { name: 'load_skill', arguments: { skill_name: 'pdf' } },
          { name: 'read_reference_file', arguments: { skill_name: 'pdf', file_name: 'forms.md' } },
          { name: 'run_shell_command', arguments: { skill_name: 'pdf', command: 'sh scripts/fill.sh' } },
        ],
      },
    ]);
    // The mock's script matches the last user message, the same at every step: one step shows the calls.
    const response = await app.run('skill_agent', { query: 'fill the form', skill_dir: SKILLS });
    const messages = agentMessages(response);
    expect(roles(messages)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'tool']);
    expect(messages[0]?.content).toContain('- pdf: Fill in PDF forms\n- xlsx: Work with spreadsheets');
    const results = messages.filter((message) => message.role === 'tool').map((message) => message.content);
    expect(results).toEqual([
      PDF_SKILL_MD,
      'Form fields: name, date.\n',
      expect.stringContaining('RunShellCommandOp is off: set allow_shell=True'),
    ]);
  });

  it('streams a whole loop: the tool call, its result, then an answer from it', async () => {
    const app = toolApp(
      {
        agent: `SkillAgentOp(skill_dir="${SKILLS}", tool_call_interval=0) << [LoadSkillOp(), ReadReferenceFileOp()]`,
      },
      [],
      true,
    );
    const stream = app.stream('agent', { query: 'xlsx' });
    const chunks = await collect(stream);
    const tools = chunks.filter((chunk) => chunk.chunk_type === 'tool').map((chunk) => chunk.chunk);
    expect(tools[0]).toMatchObject({ function: { name: 'load_skill', arguments: '{"skill_name":"xlsx"}' } });
    expect(tools[1]).toMatchObject({
      type: 'tool_result',
      name: 'load_skill',
      content: expect.stringContaining('Use formulas.'),
    });
    const answer = chunks
      .filter((chunk: FlowStreamChunk) => chunk.chunk_type === 'answer')
      .map((chunk) => chunk.chunk)
      .join('');
    expect(answer).toContain('Offline mock answer to "xlsx", from the tool results: ---\nname: xlsx');
    expect(chunks.at(-1)?.chunk_type).toBe('done');
  });

  it('refuses a skill_dir outside its root, and a request without any', async () => {
    const app = toolApp({ skill_agent: FLOWLLM_SKILL_AGENT });
    expect(await exposedRefusal(app.run('skill_agent', { query: 'q', skill_dir: temp }))).toMatch(/outside/);
    expect(await exposedRefusal(app.run('skill_agent', { query: 'q' }))).toMatch(
      /SkillAgentOp needs a skills folder/,
    );
  });
});
