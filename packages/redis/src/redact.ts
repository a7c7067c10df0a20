// Redis URLs carry passwords (`redis://:secret@host`): nothing from them reaches an error or a log.

/**
 * `url` with any user and password replaced by `***`, e.g. `redis://***@cache:6379`.
 *
 * @example
 * redactUrl('redis://:hunter2@cache:6379'); // 'redis://***@cache:6379'
 */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^/\s@]*@/g, '//***@');
}

/**
 * `text` with `url`'s password (and any `user:pass@` in a URL) removed, for driver messages.
 *
 * @example
 * redactText('WRONGPASS for redis://:hunter2@cache', 'redis://:hunter2@cache'); // no 'hunter2'
 */
export function redactText(text: string, url: string): string {
  let out = text.replace(/([^/\s@:]*:[^/\s@]+)@/g, '***@');
  const password = passwordOf(url);
  if (password) out = out.split(password).join('***');
  return out;
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
