import { readFileSync } from 'node:fs';
import path from 'node:path';
import { corePackageRoot } from '../config/locate.js';

/** The package's own package.json, read at run time: the version a release wrote, not a build-time copy. */
function corePackageJson(): { version: string; homepage?: string } {
  return JSON.parse(readFileSync(path.join(corePackageRoot(), 'package.json'), 'utf8'));
}

/**
 * What `flowllm --version` prints: @flowllm/core's version.
 *
 * @example
 * packageVersion(); // '0.3.0'
 */
export function packageVersion(): string {
  return corePackageJson().version;
}

/**
 * What `flowllm --help` prints: the argument forms, the environment it reads and where the docs are.
 *
 * @example
 * process.stdout.write(usageText());
 */
export function usageText(): string {
  const { version, homepage } = corePackageJson();
  return `flowllm ${version}: serve or run the flows of a FlowLLM config

Usage: flowllm [ops=<module>,…] [config=<name or file>,…] [key=value …]

  config=default,my_config     config layers over the built-in defaults (NAME.yaml, or a path)
  ops=./my_ops.js,my-package   import these modules first: ops they register (registerOp) or
                               export (classes extending BaseOp) can be named in flow_content
  backend=http                 serve the flows over HTTP (the default)
  backend=mcp                  serve the flows as MCP tools (needs @flowllm/mcp), with:
    mcp.transport=sse            sse (GET /sse, the default), streamable-http (/mcp) or stdio
    mcp.host=… mcp.port=8001     where the sse and streamable-http transports listen
  backend=cmd                  run one flow in the terminal, with:
    cmd.flow=<flow>              a served flow's name, or a flow expression such as 'ChatOp()'
    cmd.params.<field>=<value>   its input, e.g. cmd.params.query=hello
  <dotted.key>=<value>         any config key, e.g. http.port=9000 llm.default.model_name=qwen-max
                               (leading dashes are ignored: --http.port=9000)
  -h, --help, help             this text
  -v, --version, version       the version

Environment: FLOW_LLM_API_KEY and FLOW_LLM_BASE_URL (openai_compatible models), ANTHROPIC_API_KEY,
.env in the working directory; a model without a key runs on the offline mock model.

Examples:
  flowllm config=my_config http.port=9000
  flowllm config=my_config backend=mcp mcp.transport=stdio
  flowllm ops=./my_ops.js backend=cmd cmd.flow='MyOp()' cmd.params.query=hi

Docs: ${homepage ?? 'https://www.npmjs.com/package/@flowllm/core'} (docs/config.md lists every key)
`;
}
