/**
 * The corpus files are written for other engines. Weft reads Camunda 8's
 * dialect (FEEL, `zeebe:` extensions), so before compiling, the harness
 * translates what each engine writes in its own dialect, and nothing else.
 * Every translation is listed here (for all files of a folder) or stated in
 * the test that asks for it (for one file).
 *
 * camunda7/ (Camunda 7): JUEL `${…}` in conditions, loop cardinalities and
 *   completion conditions becomes FEEL (==, &&, ||, !, not); `camunda:assignee`
 *   and `camunda:candidateGroups` become `zeebe:assignmentDefinition`, a call
 *   activity's `camunda:in` / `camunda:out` become `zeebe:input` / `zeebe:output` (and
 *   only they cross, as in Camunda 7, unless `variables="all"`), a
 *   multi-instance's `loopDataInputRef` naming a variable (with `inputDataItem`)
 *   becomes `zeebe:loopCharacteristics inputCollection` (and `inputElement`); a
 *   service task run by a Java delegate (`camunda:class`) or an expression
 *   (`camunda:expression`) becomes a job of type `camunda7:<delegate>` that the
 *   harness works as the delegate would (see world.ts).
 * bpmn-elements/, bpmn-engine/ (paed01's engines): `${environment.variables.x}`
 *   and `${environment.output.x}` become the FEEL name `x`, `${true}` `true`;
 *   a service task calling `${environment.services.fn}` becomes a job of type
 *   `service:fn` for a worker the test supplies; and a manual task, which
 *   those engines make wait until it is signalled, becomes a user task (Weft,
 *   as Camunda, passes a manual task straight through), so "signal X" is
 *   "complete X". JavaScript (scripts, `language="js"` conditions, calls to
 *   `environment.services`) is translated per file, in the test.
 */
import { assignee, attributeOf, escapeXml, extension, idsOf, innerXml, jobType, loopDataInputAsZeebe, retag, rewriteBodies, type Edit } from './xml-edits.js';

export type Dialect = 'camunda7' | 'bpmn-elements' | 'none';

/** The dialect of a corpus path, by its folder. */
export function dialectOf(path: string): Dialect {
  if (path.startsWith('camunda7/')) return 'camunda7';
  if (path.startsWith('bpmn-elements/') || path.startsWith('bpmn-engine/')) return 'bpmn-elements';
  return 'none';
}

export function translate(xml: string, dialect: Dialect): string {
  const edits = dialect === 'camunda7' ? camunda7(xml) : dialect === 'bpmn-elements' ? bpmnElements(xml) : [];
  return edits.reduce((text, edit) => edit(text), xml);
}

// ------------------------------------------------------------- Camunda 7

/** A JUEL `${…}` expression as FEEL, or undefined when the text is no JUEL expression. */
export function juelToFeel(text: string): string | undefined {
  const juel = /^\$\{([\s\S]*)\}$/.exec(text.trim());
  if (!juel) return undefined;
  return juel[1]
    .replace(/==/g, '=')
    .replace(/&&/g, ' and ')
    .replace(/\|\|/g, ' or ')
    .replace(/(^|[^\w!<>=])!\s*([\w.]+)/g, '$1not($2)')
    .replace(/\bnot\s+([\w.]+)/g, 'not($1)')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A Camunda 7 text with `${…}` parts (`kermit_${loopCounter}`) as a Zeebe value: a literal, or `=` FEEL. */
export function juelTemplate(text: string): string {
  if (!text.includes('${')) return text;
  const parts = text.split(/(\$\{[^}]*\})/).filter((p) => p !== '');
  if (parts.length === 1) return `=${juelToFeel(parts[0])}`;
  return `=${parts.map((p) => (p.startsWith('${') ? `string(${juelToFeel(p)})` : JSON.stringify(p))).join(' + ')}`;
}

const JUEL_BODIES = ['conditionExpression', 'loopCardinality', 'completionCondition'];

function camunda7(xml: string): Edit[] {
  const edits: Edit[] = JUEL_BODIES.map((local) => rewriteBodies(local, (text) => prefixed(juelToFeel(text))));
  edits.push(loopDataInputAsZeebe());
  for (const id of idsOf(xml, 'userTask')) {
    const who = attributeOf(xml, id, 'camunda:assignee');
    const groups = attributeOf(xml, id, 'camunda:candidateGroups');
    if (who) edits.push(assignee(id, juelTemplate(who)));
    if (groups) edits.push(extension(id, `<zeebe:assignmentDefinition candidateGroups="${escapeXml(juelTemplate(groups))}"/>`));
  }
  for (const id of idsOf(xml, 'callActivity')) {
    edits.push(extension(id, camundaPropagation(xml, id)));
    const mappings = camundaInOut(xml, id);
    if (mappings) edits.push(extension(id, `<zeebe:ioMapping>${mappings}</zeebe:ioMapping>`));
  }
  for (const id of idsOf(xml, 'serviceTask')) {
    const delegate = attributeOf(xml, id, 'camunda:class')?.split('.').pop() ?? (attributeOf(xml, id, 'camunda:expression') ? 'expression' : undefined);
    if (delegate) edits.push(jobType(id, `camunda7:${delegate}`, camundaFields(xml, id)));
  }
  return edits;
}

/**
 * A call activity's `camunda:in` / `camunda:out` (variable or `${…}` expression
 * into a target) as `zeebe:input` / `zeebe:output`. Only well-formed ones:
 * one the XML parser cannot read stays unread, as it is in the file.
 */
function camundaInOut(xml: string, id: string): string {
  const mapping = /<camunda:(in|out)\s+(source|sourceExpression)="([^"]*)"\s+target="([^"]*)"\s*\/>/g;
  return [...innerXml(xml, id).matchAll(mapping)]
    .map(([, direction, kind, source, target]) => {
      const feel = kind === 'source' ? source : juelToFeel(source)!;
      return `<zeebe:${direction === 'in' ? 'input' : 'output'} source="=${escapeXml(feel)}" target="${escapeXml(target)}"/>`;
    })
    .join('');
}

/**
 * Camunda 7 passes a called process only what `camunda:in` names and takes
 * back only what `camunda:out` names (Camunda 8 passes every variable both
 * ways unless told not to), but `variables="all"` passes all of them.
 */
function camundaPropagation(xml: string, id: string): string {
  const inner = innerXml(xml, id);
  const all = (direction: 'in' | 'out') => new RegExp(`<camunda:${direction}\\s+variables="all"`).test(inner);
  return `<zeebe:calledElement propagateAllParentVariables="${all('in')}" propagateAllChildVariables="${all('out')}"/>`;
}

/** `camunda:field name="x" stringValue="y"` of element `id` (the delegate's configuration), as task headers. */
function camundaFields(xml: string, id: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of innerXml(xml, id).matchAll(/<camunda:field\s+name="([^"]*)"\s+stringValue="([^"]*)"/g)) fields[m[1]] = m[2];
  return fields;
}

// ------------------------------------------------------------- bpmn-elements / bpmn-engine

/** `${environment.variables.x == 1}` as FEEL `x = 1`; undefined when it calls services or reads anything else. */
export function environmentToFeel(text: string): string | undefined {
  const inner = /^\$\{([\s\S]*)\}$/.exec(text.trim())?.[1];
  if (inner === undefined) return undefined;
  const feel = inner.replace(/\benvironment\.(?:variables|output)\./g, '');
  if (/\b(environment|content|properties)\b|\(/.test(feel)) return undefined;
  return juelToFeel(`\${${feel}}`);
}

const ENVIRONMENT_BODIES = ['conditionExpression', 'loopCardinality', 'timeDate', 'timeDuration', 'timeCycle'];

function bpmnElements(xml: string): Edit[] {
  const edits: Edit[] = ENVIRONMENT_BODIES.map((local) => rewriteBodies(local, (text) => prefixed(environmentToFeel(text))));
  for (const id of idsOf(xml, 'manualTask')) edits.push(retag(id, 'manualTask', 'userTask'));
  for (const id of idsOf(xml, 'serviceTask')) {
    const call = attributeOf(xml, id, 'camunda:expression') ?? attributeOf(xml, id, 'implementation');
    const service = call && /^\$\{environment\.services\.(\w+)\}$/.exec(call)?.[1];
    if (service) edits.push(jobType(id, `service:${service}`));
  }
  return edits;
}

const prefixed = (feel: string | undefined) => (feel === undefined ? undefined : `=${feel}`);
