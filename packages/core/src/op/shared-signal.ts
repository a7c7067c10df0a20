import { setMaxListeners } from 'node:events';

/**
 * Lets any number of ops and model calls listen to one signal at once. Each adds an `abort` listener
 * while it runs and removes it when it ends, so twenty ops in parallel (`A() | A() | …`) hold twenty
 * listeners, all accounted for: Node must not call that a leak (`MaxListenersExceededWarning`).
 *
 * @example
 * const group = shareSignal(AbortSignal.any([signal, siblings.signal]));
 */
export function shareSignal(signal: AbortSignal): AbortSignal {
  setMaxListeners(0, signal);
  return signal;
}
