/**
 * One problem, one line: a deploy refusal the check while drawing also finds
 * is one line, in the check's wording (it names the field in the properties
 * panel and follows the diagram as it is edited), marked as refused at deploy
 * too. Problems are the same when they are on the same element and of the
 * same kind: the compiler's problems are sorted into the lint's rules by
 * their field or wording (ruleOfDeployProblem). Plain data in and out, so it
 * can be tested without a browser.
 */
export type ProblemSource = 'deploy' | 'lint';

export interface Problem {
  source: ProblemSource;
  severity: 'error' | 'warning';
  elementId?: string;
  /** The deployed file a problem is in, for problems not on an element (e.g. an agent definition). */
  file?: string;
  message: string;
  /** The lint rule (`weft/job-type`, `no-complex-gateway`), or for a deploy problem the rule it matches. */
  rule?: string;
}

/** A line of the problems list: a problem and every source that reported it. */
export interface ProblemLine extends Problem {
  sources: ProblemSource[];
}

/** What a deploy problem is as the compiler reports it (api-client's ModelProblem). */
export interface DeployProblem {
  elementId?: string;
  elementKind?: string;
  field?: string;
  message: string;
}

/** bpmnlint rules that find what a Weft rule finds, worded for Weft by the Weft rule. */
const SAME_AS: Record<string, string> = {
  'no-complex-gateway': 'weft/unsupported-element',
};

/** The Weft lint rule that finds what the compiler reported, or undefined when no check while drawing does. */
export function ruleOfDeployProblem(p: DeployProblem): string | undefined {
  const field = p.field ?? '';
  if (/is not supported by Weft yet|cannot wait for|must be interrupting/.test(p.message)) return 'weft/unsupported-element';
  if (p.message.startsWith('Invalid FEEL expression')) return 'weft/feel-syntax';
  if (p.elementKind === 'bpmn:BusinessRuleTask' && (/^zeebe:(calledDecision|taskDefinition)/.test(field) || p.message.startsWith('Business rule task'))) {
    return 'weft/business-rule-task';
  }
  if (field === 'zeebe:taskDefinition.type') return 'weft/job-type';
  if (field.startsWith('zeebe:script')) return 'weft/script-task-feel';
  if (p.elementKind === 'bpmn:AdHocSubProcess' && /agent/i.test(p.message)) return 'weft/ad-hoc-agent';
  if (/has no none start event/.test(p.message)) return 'start-event-required';
  return undefined;
}

const kindOf = (p: Problem): string | undefined => (p.rule ? (SAME_AS[p.rule] ?? p.rule) : undefined);
const keyOf = (p: Problem): string | undefined => (p.elementId && kindOf(p) ? `${p.elementId}\u0000${kindOf(p)}` : undefined);

/**
 * The lines to show: first what the deploy refused and the check finds too
 * (in the check's wording), then the rest of the deploy's problems, then the
 * rest of the check's. Two lint rules finding the same kind of problem on one
 * element are one line too, in the Weft rule's wording.
 */
export function problemLines(deploy: readonly Problem[], lint: readonly Problem[]): ProblemLine[] {
  const checked = new Map<string, ProblemLine>();
  const lintLines: ProblemLine[] = [];
  // Weft's own rules first, so theirs is the wording kept.
  const ordered = [...lint].sort((a, b) => Number(!a.rule?.startsWith('weft/')) - Number(!b.rule?.startsWith('weft/')));
  for (const p of ordered) {
    const key = keyOf(p);
    if (key && checked.has(key)) continue;
    const line: ProblemLine = { ...p, sources: ['lint'] };
    if (key) checked.set(key, line);
    lintLines.push(line);
  }
  const alsoRefused = new Set<ProblemLine>();
  const deployOnly: ProblemLine[] = [];
  for (const p of deploy) {
    const same = keyOf(p) ? checked.get(keyOf(p)!) : undefined;
    if (same) {
      if (!alsoRefused.has(same)) same.sources.push('deploy');
      same.severity = 'error';
      alsoRefused.add(same);
    } else deployOnly.push({ ...p, sources: ['deploy'] });
  }
  // In lint order among themselves: the order the check found them.
  return [...lintLines.filter((l) => alsoRefused.has(l)), ...deployOnly, ...lintLines.filter((l) => !alsoRefused.has(l))];
}
