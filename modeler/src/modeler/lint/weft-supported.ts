/**
 * What Weft's compiler can run: the compiler's own list
 * (engine/model/supported-elements.ts, plain data without imports), not a
 * copy. Sequence flows compile to nothing too, so the lint skips them.
 */
import { IGNORED_FLOW_ELEMENTS as COMPILED_TO_NOTHING } from '../../../../engine/model/supported-elements.js';

export { SUPPORTED_FLOW_NODES, unsupportedReason } from '../../../../engine/model/supported-elements.js';

/** Flow elements that compile to nothing and are fine. */
export const IGNORED_FLOW_ELEMENTS: readonly string[] = ['bpmn:SequenceFlow', ...COMPILED_TO_NOTHING];
