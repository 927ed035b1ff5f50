/**
 * dmn-moddle 12 ships no types. Only what Weft uses is declared; parsed
 * elements have the same shape as bpmn-moddle's (`engine/dmn/moddle.ts`
 * gives typed views of them).
 */
declare module 'dmn-moddle' {
  import type { ModdleElement, ParseResult } from 'bpmn-moddle';

  export class DmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<ParseResult>;
    toXML(element: ModdleElement, options?: Record<string, unknown>): Promise<{ xml: string }>;
  }
}

declare module 'zeebe-dmn-moddle/resources/zeebe.json' {
  /** The moddle package descriptor for the `zeebe:` namespace in DMN (`zeebe:versionTag`). */
  const descriptor: Record<string, unknown>;
  export default descriptor;
}
