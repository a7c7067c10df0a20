// Registry symbols (`Symbol.for`) mark our objects, so a check still recognises one made by another copy
// of @flowllm/core in the same process (an adapter bundled with its own copy): `instanceof` would not.

/** Carried by every `FlowService`. */
export const SERVICE_BRAND = Symbol.for('flowllm.service');
/** Carried by every `FlowApp`. */
export const APP_BRAND = Symbol.for('flowllm.app');

/** Whether `value` is an object carrying `brand`, whichever copy of the package made it. */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
