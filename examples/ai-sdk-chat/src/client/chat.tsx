// The whole chat: the AI SDK's useChat, talking to flowllm's UI message stream route of the demo flow.
import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport, type UIMessage } from 'ai';
import { type SubmitEvent, useState } from 'react';

/** Same origin as the page: the server mounts the express example's flows under /api. */
const transport = new DefaultChatTransport({ api: '/api/demo_stream_http_flow/ui' });

/**
 * The chat: messages as they stream (reasoning apart from the answer), a question box, Send and Stop.
 *
 * @example
 * createRoot(document.getElementById('root')!).render(<Chat />);
 */
export function Chat() {
  const { messages, sendMessage, status, stop, error } = useChat({ transport });
  const [input, setInput] = useState('');
  const busy = status === 'submitted' || status === 'streaming';

  function send(event: SubmitEvent) {
    event.preventDefault();
    if (!input.trim() || busy) return;
    sendMessage({ text: input });
    setInput('');
  }

  // data-status mirrors useChat's status (submitted → streaming → ready | error) for tests and styling.
  return (
    <main data-status={status}>
      <h1>flowllm × useChat</h1>
      <section id="messages">
        {messages.map((message) => (
          <Message key={message.id} message={message} />
        ))}
      </section>
      {error && <p className="error">{error.message}</p>}
      <form onSubmit={send}>
        <input
          id="question"
          aria-label="Your question"
          value={input}
          placeholder="Ask something…"
          onChange={(event) => setInput(event.target.value)}
        />
        <button id="send" type="submit" disabled={busy || !input.trim()}>
          Send
        </button>
        {/* stop() aborts the request; the server sees the disconnect and aborts the flow. */}
        <button id="stop" type="button" disabled={!busy} onClick={() => stop()}>
          Stop
        </button>
      </form>
    </main>
  );
}

function Message({ message }: { message: UIMessage }) {
  return (
    <article className="message" data-role={message.role}>
      {message.parts.map((part, index) => {
        // Parts have no ids of their own; their order within a message never changes.
        const key = `${message.id}-${index}`;
        if (part.type === 'reasoning')
          return (
            <details key={key} className="reasoning">
              <summary>Reasoning</summary>
              <p className="reasoning-text">{part.text}</p>
            </details>
          );
        if (part.type === 'text')
          return (
            <p key={key} className="text">
              {part.text}
            </p>
          );
        return null; // tool calls, files, sources: the demo flow sends none
      })}
    </article>
  );
}
