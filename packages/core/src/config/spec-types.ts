// Type-level readers of the schema language: from a `FieldSpec` declared `as const` to the value it
// validates (`ValidatedOf`, every default filled in) and to what a user may write (`InputOf`, keys
// with a default optional). Model entries (`backendKind`) get their input type in config-types.ts,
// where the backends are known.
import type { FieldSpec } from './field-spec.js';

/** Flattens an intersection so editors show one object. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Scalar<S> = S extends { type: 'string'; enum: readonly (infer E)[] }
  ? E
  : S extends { type: 'string' }
    ? string
    : S extends { type: 'integer' | 'number' }
      ? number
      : S extends { type: 'boolean' }
        ? boolean
        : unknown;

type WithNull<S, T> = S extends { nullable: true } ? T | null : T;

/** True for a key that is always present once validated: required or defaulted. */
type AlwaysSet<S> = S extends { required: true } ? true : S extends { default: unknown } ? true : false;
type IsRequired<S> = S extends { required: true } ? true : false;

/**
 * The validated value of a spec.
 *
 * @example
 * type Port = ValidatedOf<{ type: 'integer'; default: 8002 }>; // number
 */
export type ValidatedOf<S> = WithNull<
  S,
  S extends { type: 'array' }
    ? S extends { items: infer I extends FieldSpec }
      ? ValidatedOf<I>[]
      : unknown[]
    : S extends { type: 'record' }
      ? Record<string, S extends { values: infer V extends FieldSpec } ? ValidatedOf<V> : unknown>
      : S extends { type: 'object'; fields: infer F }
        ? ValidatedFields<F> & (S extends { backendKind: string } ? { [backendKey: string]: unknown } : {})
        : Scalar<S>
>;

/**
 * The validated object of a `fields` map: required and defaulted keys present, the others optional.
 *
 * @example
 * type Cmd = ValidatedFields<{ flow: { type: 'string'; default: '' } }>; // { flow: string }
 */
export type ValidatedFields<F> = Simplify<
  { -readonly [K in keyof F as AlwaysSet<F[K]> extends true ? K : never]: ValidatedOf<F[K]> } & {
    -readonly [K in keyof F as AlwaysSet<F[K]> extends true ? never : K]?: ValidatedOf<F[K]>;
  }
>;

/**
 * What a user may write for a spec; `Entries` maps each backend kind to the input type of its model
 * entries (object specs with `backendKind`), given by the caller because it depends on the backends.
 *
 * @example
 * type Stream = InputOf<{ type: 'boolean'; default: false }, never>; // boolean
 */
export type InputOf<S, Entries> = WithNull<
  S,
  S extends { type: 'array' }
    ? S extends { items: infer I extends FieldSpec }
      ? readonly InputOf<I, Entries>[]
      : readonly unknown[]
    : S extends { type: 'record' }
      ? Record<string, S extends { values: infer V extends FieldSpec } ? InputOf<V, Entries> : unknown>
      : S extends { type: 'object'; backendKind: infer K extends keyof Entries }
        ? Entries[K]
        : S extends { type: 'object'; fields: infer F }
          ? InputFields<F, Entries>
          : Scalar<S>
>;

/**
 * The input object of a `fields` map: `required` keys required, every other key optional.
 *
 * @example
 * type Flow = InputFields<{ flow_content: { type: 'string'; required: true } }, never>; // { flow_content: string }
 */
export type InputFields<F, Entries = never> = Simplify<
  { -readonly [K in keyof F as IsRequired<F[K]> extends true ? K : never]: InputOf<F[K], Entries> } & {
    -readonly [K in keyof F as IsRequired<F[K]> extends true ? never : K]?: InputOf<F[K], Entries>;
  }
>;
