// What a failed run threw, checked to be the kind of error the test expects.
import { expect } from 'vitest';
import { errorMessage, FlowllmError } from '../../src/errors.js';

/** The {@link FlowllmError} `promise` rejects with; fails the test on anything else. */
export async function failureOf(promise: Promise<unknown>): Promise<FlowllmError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(FlowllmError.isInstance(error), `expected a FlowllmError, got ${errorMessage(error)}`).toBe(true);
  return error as FlowllmError;
}

/**
 * The message of the exposed refusal wrapped in the op failure `run` rejects with: what an agent
 * sends back to its model.
 */
export async function exposedRefusal(run: Promise<unknown>): Promise<string> {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(Error);
  const cause = (error as Error).cause;
  expect(FlowllmError.isInstance(cause) && cause.expose).toBe(true);
  return (cause as Error).message;
}
