/**
 * bpmn-moddle 10 ships no types for its main export (the `@types/bpmn-moddle`
 * package describes v9 and must not be installed). Only what Weft uses is
 * declared; `engine/model/moddle.ts` gives typed views of the parsed elements.
 */
declare module 'bpmn-moddle' {
  /** Any parsed element: `$type` is the qualified type, e.g. `bpmn:ServiceTask`. */
  export interface ModdleElement {
    $type: string;
    $parent?: ModdleElement;
    id?: string;
    [property: string]: unknown;
  }

  /** An import warning: lax parsing collects these instead of throwing. */
  export interface ParseWarning {
    message: string;
    /** For `unresolved reference` and `unknown attribute`: the element holding it. */
    element?: ModdleElement;
    property?: string;
    value?: string;
    error?: Error;
  }

  export interface ParseResult {
    rootElement: ModdleElement;
    references: unknown[];
    warnings: ParseWarning[];
    elementsById: Record<string, ModdleElement>;
  }

  /** Thrown by `fromXML` when the document cannot be read at all. */
  export interface ParseError extends Error {
    warnings?: ParseWarning[];
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<ParseResult>;
    toXML(element: ModdleElement, options?: Record<string, unknown>): Promise<{ xml: string }>;
  }
}

declare module 'zeebe-bpmn-moddle/resources/zeebe.json' {
  /** The moddle package descriptor for the `zeebe:` namespace. */
  const descriptor: Record<string, unknown>;
  export default descriptor;
}
