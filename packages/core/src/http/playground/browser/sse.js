// Server-Sent Events from decoded text pieces: fields per line, an event at each blank line.

/**
 * Returns `push(text)`: feed it the stream's text as it arrives; `onEvent({ data, id, event })` runs
 * for every complete event with data (comments such as `: ping` and `retry:` lines are skipped).
 */
export function sseParser(onEvent) {
  let buffer = '';
  let data = [];
  let id;
  let event;
  const line = (text) => {
    if (text === '') {
      if (data.length > 0) onEvent({ data: data.join('\n'), id, event });
      data = [];
      event = undefined;
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
    else if (field === 'event') event = value;
  };
  return (text) => {
    buffer += text;
    for (let end = buffer.search(/\r\n|\r|\n/); end !== -1; end = buffer.search(/\r\n|\r|\n/)) {
      // A lone \r at the end may be half of a \r\n still on its way.
      if (buffer[end] === '\r' && end === buffer.length - 1) break;
      line(buffer.slice(0, end));
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
    }
  };
}
