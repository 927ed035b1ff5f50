/**
 * A process's history time-to-live (issue #13): how many days its ended
 * instances are kept before the history retention removes them
 * (engine/features/history-retention). Read at deploy from either
 *
 * - Camunda 7's `camunda:historyTimeToLive` attribute on the process (days,
 *   `30`, or an ISO 8601 duration in days, `P30D`), so a diagram drawn for
 *   Camunda 7 keeps its setting; empty means unset, as in Camunda 7; or
 * - a `zeebe:property` named `weft:historyTimeToLive` in the process's
 *   `zeebe:properties` (Camunda 8 Modeler's "Extension properties"): Camunda 8
 *   has no per-process TTL in BPMN, and this is where its Modeler lets one
 *   write a value of one's own.
 *
 * Both may be given only with the same value. 0 is allowed and means what it
 * means in Camunda 7: removed at the first retention pass after the end.
 */
import type { Container, Definitions, ModdleElement } from './moddle.js';
import { extension } from './moddle.js';
import type { Problems } from './problems.js';

export const CAMUNDA_7_NAMESPACE = 'http://camunda.org/schema/1.0/bpmn';
export const TTL_PROPERTY = 'weft:historyTimeToLive';
/** A hundred years: past that a TTL is a typo, and "keep forever" is the default anyway. */
export const MAX_TTL_DAYS = 36_500;

export type TtlParse = { days: number } | { problem: string };

/** `30` or `P30D` (days only: months and years have no fixed length, hours are finer than retention works). */
export function parseTtlDays(text: string): TtlParse {
  const value = text.trim();
  const match = /^(?:(\d{1,9})|[Pp](\d{1,9})[Dd])$/.exec(value);
  if (!match) return { problem: `must be a whole number of days (e.g. 30) or an ISO 8601 duration in days (e.g. P30D), not "${text}"` };
  const days = Number(match[1] ?? match[2]);
  if (days > MAX_TTL_DAYS) return { problem: `must be at most ${MAX_TTL_DAYS} days, not ${days}` };
  return { days };
}

interface ZeebeProperties extends ModdleElement {
  properties?: { name?: string; value?: string }[];
}

/** The process's TTL in days, undefined when it sets none; a problem (and undefined) for a value that is not a TTL. */
export function historyTtlOf(process: Container, definitions: Definitions, problems: Problems): number | undefined {
  const at = (field: string) => ({ elementId: process.id, elementKind: 'bpmn:Process', field });
  const found: { field: string; days: number }[] = [];

  const attribute = camunda7Attribute(process, definitions);
  if (attribute !== undefined && attribute.trim() !== '') {
    const parsed = parseTtlDays(attribute);
    if ('problem' in parsed) problems.add(at('camunda:historyTimeToLive'), `History time-to-live of process "${process.id}" ${parsed.problem}`);
    else found.push({ field: 'camunda:historyTimeToLive', days: parsed.days });
  }

  const property = extension<ZeebeProperties>(process, 'zeebe:Properties')?.properties?.find((p) => p.name === TTL_PROPERTY);
  if (property) {
    const field = `zeebe:properties.${TTL_PROPERTY}`;
    const parsed = parseTtlDays(property.value ?? '');
    if ('problem' in parsed) problems.add(at(field), `History time-to-live of process "${process.id}" ${parsed.problem}`);
    else found.push({ field, days: parsed.days });
  }

  if (found.length === 2 && found[0].days !== found[1].days) {
    problems.add(at(found[1].field), `Process "${process.id}" has two history time-to-live values that disagree: ${found[0].days} days (${found[0].field}) and ${found[1].days} days (${found[1].field}); keep one`);
    return undefined;
  }
  return found[0]?.days;
}

/** `camunda:historyTimeToLive` under whichever prefix the file binds to Camunda 7's namespace (moddle keeps unknown attributes as written). */
function camunda7Attribute(process: Container, definitions: Definitions): string | undefined {
  const attrs = ((process as { $attrs?: Record<string, string> }).$attrs ?? {}) as Record<string, string>;
  const scopes = [attrs, ((definitions as { $attrs?: Record<string, string> }).$attrs ?? {}) as Record<string, string>];
  for (const scope of scopes) {
    for (const [name, uri] of Object.entries(scope)) {
      if (!name.startsWith('xmlns:') || uri !== CAMUNDA_7_NAMESPACE) continue;
      const value = attrs[`${name.slice('xmlns:'.length)}:historyTimeToLive`];
      if (value !== undefined) return value;
    }
  }
  return undefined;
}
