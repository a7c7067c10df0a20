/**
 * A mock `script` entry that answers MockSearchOp's request with one search result titled `title`,
 * in the ```json block the op reads.
 */
export function mockSearchReply(title: string): { match: string; answer: string } {
  const result = { snippet: 's', title, url: 'https://example.com/a', hostname: 'example.com', hostlogo: '' };
  return { match: 'realistic web search results', answer: `\`\`\`json\n${JSON.stringify([result])}\n\`\`\`` };
}
