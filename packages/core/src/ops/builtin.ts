import type { OpClass } from '../op/base-op.js';
import { OpRegistry } from '../op/op-registry.js';
import { GALLERY_OPS } from './gallery.js';

/**
 * The registry flow expressions use unless an app brings its own: the built-in ops and yours.
 *
 * @example
 * registerOp(SummarizeOp); // adds to defaultOpRegistry
 * const app = createFlowApp({ config, opRegistry: defaultOpRegistry }); // the same as leaving it out
 */
export const defaultOpRegistry = new OpRegistry([...GALLERY_OPS], { builtIn: true });

/**
 * Registers an op class in the default registry so flow expressions can name it. Usable as a
 * function or as a class decorator. The class name must end in `Op`.
 *
 * @example
 * export class EchoOp extends BaseOp { async execute() {} }
 * registerOp(EchoOp);
 */
export function registerOp<T extends OpClass>(cls: T, name?: string | ClassDecoratorContext): T {
  defaultOpRegistry.register(cls, typeof name === 'string' ? name : cls.name);
  return cls;
}
