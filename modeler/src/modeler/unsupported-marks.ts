/**
 * Marks what Weft cannot run in the palette and the replace menu, before it
 * is placed: the entry stays (a diagram may be drawn for people, or for later),
 * greyed with a "not run by Weft" badge and a tooltip saying why. Why is asked
 * of the compiler's own list (engine/model/supported-elements.ts through
 * lint/weft-supported.ts). An entry's element is read from bpmn-js's catalog
 * of popup entries (type and event definition), found by the entry's id in
 * the replace menu and by its icon in the palette.
 */
import { PopupEntries } from 'bpmn-js/lib/features/popup-menu/PopupEntries';
import * as ReplaceOptions from 'bpmn-js/lib/features/replace/ReplaceOptions';
import { unsupportedReason } from './lint/weft-supported';

export const UNSUPPORTED_CLASS = 'weft-unsupported';

interface Target {
  type: string;
  eventDefinitionType?: string;
  cancelActivity?: boolean;
}
interface Parent {
  $type: string;
  triggeredByEvent?: boolean;
}
type Entries = Record<string, { className?: string; title?: string; html?: string; label?: string }>;

/** What menus offer besides flow nodes: pools, lanes and artifacts, which the compiler reads or skips, never refuses. */
const NOT_FLOW_NODES = new Set(['bpmn:Participant', 'bpmn:Lane', 'bpmn:Group', 'bpmn:TextAnnotation']);

/** Why Weft cannot run an element made as `target` inside `parent`, or undefined if it can. */
export function whyNotRun(target: Target, parent?: Parent): string | undefined {
  if (NOT_FLOW_NODES.has(target.type)) return undefined;
  return unsupportedReason({
    $type: target.type,
    eventDefinitions: target.eventDefinitionType ? [{ $type: target.eventDefinitionType }] : [],
    cancelActivity: target.cancelActivity,
    $parent: parent,
  });
}

/** Replace menu entry id (`replace-with-…`) → what it makes. */
const replaceTargets = new Map<string, Target>();
for (const options of Object.values(ReplaceOptions as Record<string, unknown>)) {
  const lists = Array.isArray(options) ? [options] : options && typeof options === 'object' ? Object.values(options) : [];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const option of list as { actionName?: string; target?: Target }[]) if (option.actionName && option.target) replaceTargets.set(option.actionName, option.target);
  }
}

/**
 * Palette icon class → what its entry makes (a palette entry's id names no element; its icon is
 * the catalog's). Variants share icons (a none boundary event has the none intermediate event's);
 * the catalog lists the plain element first, which is what the palette creates.
 */
const iconTargets = new Map<string, Target>();
for (const e of Object.values(PopupEntries as Record<string, { className: string; target?: Target }>)) {
  if (e.target && !iconTargets.has(e.className)) iconTargets.set(e.className, e.target);
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function markReplaceEntries(entries: Entries, parent?: Parent): Entries {
  for (const [id, entry] of Object.entries(entries)) {
    const target = replaceTargets.get(id);
    const reason = target && whyNotRun(target, parent);
    if (!reason) continue;
    entry.className = `${entry.className ?? ''} ${UNSUPPORTED_CLASS}`.trim();
    entry.title = `Weft cannot run this: ${reason}`;
  }
  return entries;
}

function markPaletteEntries(entries: Entries): Entries {
  for (const entry of Object.values(entries)) {
    const icon = (entry.className ?? '').split(/\s+/).find((c) => iconTargets.has(c));
    const reason = icon && whyNotRun(iconTargets.get(icon)!);
    if (!reason) continue;
    const title = `${entry.title ?? 'This element'}: Weft cannot run it (${reason})`;
    entry.className = `${entry.className} ${UNSUPPORTED_CLASS}`;
    // The palette shows `title` as aria-label only; the tooltip needs the attribute itself.
    entry.html = `<div class="entry" draggable="true" title="${escapeAttribute(title)}"></div>`;
    entry.title = title;
  }
  return entries;
}

/** After bpmn-js's own providers (priority 1000), so their entries are there to mark. */
const LATE = 500;

class UnsupportedMarks {
  static $inject = ['palette', 'popupMenu'];

  constructor(palette: any, popupMenu: any) {
    palette.registerProvider(LATE, { getPaletteEntries: () => markPaletteEntries });
    popupMenu.registerProvider('bpmn-replace', LATE, {
      getPopupMenuEntries: (element: { businessObject?: { $parent?: Parent } }) => (entries: Entries) => markReplaceEntries(entries, element.businessObject?.$parent),
    });
  }
}

/** The bpmn-js module (additionalModules). */
export const UnsupportedMarksModule = {
  __init__: ['weftUnsupportedMarks'],
  weftUnsupportedMarks: ['type', UnsupportedMarks],
};
