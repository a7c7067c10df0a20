/**
 * The `/docs` page: a self-contained HTML page (no CDN, works offline) that reads `openapi.json` and
 * shows every flow with its fields, and a form that runs it — streaming flows print chunks as they come.
 *
 * @example
 * docsHtml('FlowLLM') // '<!doctype html>…'
 */
export function docsHtml(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – API docs</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
section{border:1px solid #ddd;border-radius:6px;padding:1rem;margin:1rem 0}
code,pre,textarea{font:13px ui-monospace,monospace}pre{background:#f6f6f6;padding:.5rem;white-space:pre-wrap}
.method{font-weight:bold;color:#fff;background:#49c;border-radius:3px;padding:0 .4rem}.stream{color:#a50}
textarea{width:100%;height:5rem}
</style></head>
<body><h1>${escapeHtml(title)}</h1><p>OpenAPI document: <a href="openapi.json">openapi.json</a></p><main id="flows">Loading…</main>
<script>
const main = document.getElementById('flows');
const text = (tag, content, cls) => { const el = document.createElement(tag); el.textContent = content; if (cls) el.className = cls; return el; };
async function run(path, body, out, stream) {
  out.textContent = '';
  const response = await fetch(path.slice(1), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (!stream || !response.ok) { out.textContent = response.status + ' ' + await response.text(); return; }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) { const { value, done } = await reader.read(); if (done) break; out.textContent += value; }
}
fetch('openapi.json').then((r) => r.json()).then((doc) => {
  main.textContent = '';
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!item.post || 'x-flowllm-route' in item.post) continue;
    const op = item.post; const stream = Boolean(op.responses['200'].content['text/event-stream']);
    const section = document.createElement('section');
    const heading = document.createElement('h2');
    heading.append(text('span', 'POST', 'method'), ' ', text('code', path), stream ? text('span', '  (stream)', 'stream') : '');
    section.append(heading, text('p', op.description || ''));
    const schema = op.requestBody.content['application/json'].schema;
    section.append(text('pre', JSON.stringify(schema.properties, null, 2)));
    const example = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, v.default ?? (v.type === 'string' ? '' : null)]));
    const input = text('textarea', JSON.stringify(example, null, 2));
    const button = text('button', 'Run'); const out = text('pre', '');
    button.onclick = () => run(path, input.value, out, stream).catch((e) => { out.textContent = String(e); });
    section.append(input, button, out); main.append(section);
  }
});
</script></body></html>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
