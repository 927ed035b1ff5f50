/**
 * Small, targeted edits of a corpus file's XML text, for the translations a
 * test states (a JavaScript condition written as FEEL, a Camunda 7 delegate
 * turned into a job the harness works). They change only the element they
 * name and leave every other byte as it is, so the compiler still sees the
 * file's own quirks (a trailing space in an id, an unresolved reference);
 * round-tripping through bpmn-moddle would quietly repair those.
 */

/** An edit of a whole file's XML. */
export type Edit = (xml: string) => string;

const ZEEBE_NS = 'http://camunda.org/schema/zeebe/1.0';

interface Located {
  /** Namespace prefix with its colon (`bpmn:`), or '' for the default namespace. */
  prefix: string;
  local: string;
  start: number;
  /** Index just past the opening tag's `>`. */
  openEnd: number;
  selfClosing: boolean;
  /** Index of the closing tag (`</…>`); equals openEnd when self-closing. */
  closeStart: number;
  /** Index just past the element. */
  end: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Escapes text for an XML attribute value or element body. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The element whose `id` attribute is exactly `id`. */
function locate(xml: string, id: string): Located {
  const open = new RegExp(`<((?:[\\w.-]+:)?)([\\w-]+)(?=[\\s/>])[^>]*?\\sid\\s*=\\s*"${escapeRegExp(id)}"[^>]*?(/?)>`);
  const match = open.exec(xml);
  // A translation naming no element is a bug in the test, not a gap: TypeError (see expectation.ts).
  if (!match) throw new TypeError(`The harness cannot find an element with id "${id}" to translate`);
  const [tag, prefix, local, slash] = match;
  const start = match.index;
  const openEnd = start + tag.length;
  if (slash) return { prefix, local, start, openEnd, selfClosing: true, closeStart: openEnd, end: openEnd };
  // Nested elements of the same name (a sub-process in a sub-process) are counted.
  const tags = new RegExp(`<(/?)${escapeRegExp(prefix + local)}(?=[\\s/>])[^>]*?(/?)>`, 'g');
  tags.lastIndex = openEnd;
  let depth = 1;
  for (let m = tags.exec(xml); m; m = tags.exec(xml)) {
    if (m[1]) depth--;
    else if (!m[2]) depth++;
    if (depth === 0) return { prefix, local, start, openEnd, selfClosing: false, closeStart: m.index, end: m.index + m[0].length };
  }
  throw new TypeError(`Element "${id}" is not closed`);
}

/** Declares the Zeebe namespace on the root element, if it is not declared yet. */
function withZeebeNamespace(xml: string): string {
  if (xml.includes(`xmlns:zeebe="${ZEEBE_NS}"`)) return xml;
  return xml.replace(/<((?:[\w.-]+:)?)definitions(?=[\s>])/, (m) => `${m} xmlns:zeebe="${ZEEBE_NS}"`);
}

/** Adds `children` (Zeebe extension elements) to the element's extensionElements, creating them if needed. */
export function extension(id: string, children: string): Edit {
  return (input) => {
    const xml = withZeebeNamespace(input);
    const at = locate(xml, id);
    const ext = `${at.prefix}extensionElements`;
    if (at.selfClosing) {
      const open = xml.slice(at.start, at.openEnd - 2).trimEnd();
      return `${xml.slice(0, at.start)}${open}><${ext}>${children}</${ext}></${at.prefix}${at.local}>${xml.slice(at.end)}`;
    }
    // extensionElements come first in an element (after documentation), as the schema orders them.
    const body = xml.slice(at.openEnd, at.closeStart);
    const lead = new RegExp(`^(\\s*(?:<${escapeRegExp(at.prefix)}documentation[\\s\\S]*?</${escapeRegExp(at.prefix)}documentation>\\s*)*)<${escapeRegExp(ext)}>`).exec(body);
    if (lead) {
      const insertAt = at.openEnd + lead[0].length;
      return xml.slice(0, insertAt) + children + xml.slice(insertAt);
    }
    return `${xml.slice(0, at.openEnd)}<${ext}>${children}</${ext}>${xml.slice(at.openEnd)}`;
  };
}

/** Replaces the condition of sequence flow `flowId` by a FEEL expression (without the leading `=`). */
export function condition(flowId: string, feel: string): Edit {
  return (xml) => {
    const at = locate(xml, flowId);
    const tag = `${at.prefix}conditionExpression`;
    const replacement = `<${tag}>=${escapeXml(feel)}</${tag}>`;
    if (at.selfClosing) {
      const open = xml.slice(at.start, at.openEnd - 2).trimEnd();
      return `${xml.slice(0, at.start)}${open}>${replacement}</${at.prefix}${at.local}>${xml.slice(at.end)}`;
    }
    const body = xml.slice(at.openEnd, at.closeStart);
    const existing = new RegExp(`<${escapeRegExp(tag)}\\b[^>]*?(?:/>|>[\\s\\S]*?</${escapeRegExp(tag)}>)`);
    const next = existing.test(body) ? body.replace(existing, replacement) : replacement + body;
    return xml.slice(0, at.openEnd) + next + xml.slice(at.closeStart);
  };
}

/** Replaces the text of the first `local` element inside element `id` (e.g. a conditional event's `condition`) by FEEL. */
export function childBody(id: string, local: string, feel: string): Edit {
  return (xml) => {
    const at = locate(xml, id);
    const body = xml.slice(at.openEnd, at.closeStart);
    const child = new RegExp(`<((?:[\\w.-]+:)?)${local}(\\s[^>]*)?>[\\s\\S]*?</\\1${local}>`);
    if (!child.test(body)) throw new TypeError(`Element "${id}" has no ${local} to translate`);
    const next = body.replace(child, (_m, prefix: string, attrs: string | undefined) => `<${prefix}${local}${attrs ?? ''}>=${escapeXml(feel)}</${prefix}${local}>`);
    return xml.slice(0, at.openEnd) + next + xml.slice(at.closeStart);
  };
}

/** Gives script task `id` a FEEL script whose value lands in `resultVariable`. */
export function script(id: string, feel: string, resultVariable: string): Edit {
  return extension(id, `<zeebe:script expression="=${escapeXml(feel)}" resultVariable="${escapeXml(resultVariable)}"/>`);
}

/** Makes service task `id` a job of `type` (with static headers), for a worker the harness or the test plays. */
export function jobType(id: string, type: string, headers: Record<string, string> = {}): Edit {
  const list = Object.entries(headers).map(([key, value]) => `<zeebe:header key="${escapeXml(key)}" value="${escapeXml(value)}"/>`);
  const headerXml = list.length > 0 ? `<zeebe:taskHeaders>${list.join('')}</zeebe:taskHeaders>` : '';
  return extension(id, `<zeebe:taskDefinition type="${escapeXml(type)}"/>${headerXml}`);
}

/** Assigns user task `id` (a literal, or FEEL when it starts with `=`). */
export function assignee(id: string, value: string): Edit {
  return extension(id, `<zeebe:assignmentDefinition assignee="${escapeXml(value)}"/>`);
}

/** An output mapping on element `id`: FEEL `source` into variable `target`. */
export function output(id: string, source: string, target: string): Edit {
  return extension(id, `<zeebe:ioMapping><zeebe:output source="=${escapeXml(source)}" target="${escapeXml(target)}"/></zeebe:ioMapping>`);
}

/** Renames element `id` from one BPMN kind to another (e.g. a waiting manualTask to a userTask). */
export function retag(id: string, from: string, to: string): Edit {
  return (xml) => {
    const at = locate(xml, id);
    if (at.local !== from) throw new TypeError(`Element "${id}" is a ${at.local}, not a ${from}`);
    const open = `<${at.prefix}${to}${xml.slice(at.start + 1 + at.prefix.length + from.length, at.openEnd)}`;
    if (at.selfClosing) return xml.slice(0, at.start) + open + xml.slice(at.end);
    return `${xml.slice(0, at.start)}${open}${xml.slice(at.openEnd, at.closeStart)}</${at.prefix}${to}>${xml.slice(at.end)}`;
  };
}

/** Ids of the elements of one BPMN kind (local name, e.g. `manualTask`), in document order. */
export function idsOf(xml: string, local: string): string[] {
  const open = new RegExp(`<(?:[\\w.-]+:)?${local}(?=[\\s/>])[^>]*?\\sid\\s*=\\s*"([^"]*)"`, 'g');
  return [...xml.matchAll(open)].map((m) => m[1]);
}

/** What is between element `id`'s opening and closing tags ('' when it is self-closing). */
export function innerXml(xml: string, id: string): string {
  const at = locate(xml, id);
  return xml.slice(at.openEnd, at.closeStart);
}

/** The attribute `name` of element `id`, or undefined. */
export function attributeOf(xml: string, id: string, name: string): string | undefined {
  const at = locate(xml, id);
  const tag = xml.slice(at.start, at.openEnd);
  return new RegExp(`\\s${escapeRegExp(name)}\\s*=\\s*"([^"]*)"`).exec(tag)?.[1];
}

/**
 * Rewrites the text of every element named `local` (any prefix) with `translate`,
 * which gets the decoded text (CDATA unwrapped, entities resolved) and returns
 * the new text, or undefined to leave the element alone.
 */
export function rewriteBodies(local: string, translate: (text: string) => string | undefined): Edit {
  const element = new RegExp(`<((?:[\\w.-]+:)?)${local}(\\s[^>]*)?>([\\s\\S]*?)</\\1${local}>`, 'g');
  return (xml) =>
    xml.replace(element, (whole, prefix: string, attrs: string | undefined, body: string) => {
      const text = decode(body).trim();
      const next = translate(text);
      if (next === undefined) return whole;
      return `<${prefix}${local}${attrs ?? ''}>${escapeXml(next)}</${prefix}${local}>`;
    });
}

/**
 * A multi-instance loop's `loopDataInputRef` holding a variable name and its
 * `inputDataItem name="…"`, as Camunda 7 reads them (the collection to run
 * over, the variable each run gets its item in), rewritten as Zeebe's
 * `zeebe:loopCharacteristics inputCollection / inputElement`. Loops whose
 * input is not a plain name are left alone.
 */
export function loopDataInputAsZeebe(): Edit {
  const loop = /<((?:[\w.-]+:)?)multiInstanceLoopCharacteristics(\s[^>]*)?>([\s\S]*?)<\/\1multiInstanceLoopCharacteristics>/g;
  return (input) => {
    const translated = input.replace(loop, (whole, prefix: string, attrs: string | undefined, body: string) => {
      const ref = new RegExp(`<${escapeRegExp(prefix)}loopDataInputRef>\\s*([A-Za-z_][\\w]*)\\s*</${escapeRegExp(prefix)}loopDataInputRef>`).exec(body);
      if (!ref) return whole;
      const item = new RegExp(`<${escapeRegExp(prefix)}inputDataItem\\b[^>]*?\\sname\\s*=\\s*"([^"]*)"[^>]*?(?:/>|>[\\s\\S]*?</${escapeRegExp(prefix)}inputDataItem>)`).exec(body);
      const zeebe = `<zeebe:loopCharacteristics inputCollection="=${escapeXml(ref[1])}"${item ? ` inputElement="${escapeXml(item[1])}"` : ''}/>`;
      const rest = body.replace(ref[0], '').replace(item?.[0] ?? '', '');
      const ext = `<${prefix}extensionElements>`;
      const next = rest.includes(ext) ? rest.replace(ext, ext + zeebe) : `${ext}${zeebe}</${prefix}extensionElements>${rest}`;
      return `<${prefix}multiInstanceLoopCharacteristics${attrs ?? ''}>${next}</${prefix}multiInstanceLoopCharacteristics>`;
    });
    return translated === input ? input : withZeebeNamespace(translated);
  };
}

function decode(body: string): string {
  const cdata = /<!\[CDATA\[([\s\S]*?)\]\]>/.exec(body);
  if (cdata) return cdata[1];
  return body.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
