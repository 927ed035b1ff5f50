/**
 * The problems list under the canvas: the deploy's 422 problems (also marked
 * on the canvas, with an overlay naming the problem) and the lint issues found
 * while drawing, one line per problem (problem-lines.ts). Clicking a problem
 * selects its element.
 */
import type BpmnModeler from 'bpmn-js/lib/Modeler';
import type { ModelProblem } from './api-client';
import { problemLines, ruleOfDeployProblem, type Problem, type ProblemLine } from './problem-lines';

export type { Problem } from './problem-lines';

type LintIssues = Record<string, { message: string; category: string; rule: string }[]>;

const MARKER = 'weft-deploy-problem';

export class ProblemsView {
  private deployProblems: Problem[] = [];
  private lintProblems: Problem[] = [];
  private overlayIds: string[] = [];
  private markedIds: string[] = [];

  constructor(
    private readonly modeler: BpmnModeler,
    private readonly list: HTMLUListElement,
    private readonly count: HTMLElement,
  ) {
    const eventBus = modeler.get<any>('eventBus');
    eventBus.on('linting.completed', (e: { issues: LintIssues }) => this.setLintIssues(e.issues));
    // The canvas was replaced: markers and overlays of the old diagram are gone.
    eventBus.on('import.done', () => this.showDeployProblems([]));
  }

  /** Shows a refused deploy's problems in the list, and those of `diagramFile` on the canvas (an empty list clears them). */
  showDeployProblems(problems: ModelProblem[], diagramFile?: string): void {
    const overlays = this.modeler.get<any>('overlays');
    const canvas = this.modeler.get<any>('canvas');
    const registry = this.modeler.get<any>('elementRegistry');
    for (const id of this.overlayIds.splice(0)) overlays.remove(id);
    for (const id of this.markedIds.splice(0)) if (registry.get(id)) canvas.removeMarker(id, MARKER);

    const onCanvas = (p: ModelProblem): boolean => Boolean(p.elementId) && Boolean(registry.get(p.elementId)) && (!diagramFile || !p.file || p.file === diagramFile);
    this.deployProblems = problems.map((p) => ({
      source: 'deploy',
      severity: 'error',
      elementId: onCanvas(p) ? p.elementId : undefined,
      file: p.file,
      message: p.message,
      rule: ruleOfDeployProblem(p),
    }));
    const byElement = new Map<string, string[]>();
    for (const p of problems) if (onCanvas(p)) byElement.set(p.elementId!, [...(byElement.get(p.elementId!) ?? []), p.message]);
    for (const [id, messages] of byElement) {
      canvas.addMarker(id, MARKER);
      this.markedIds.push(id);
      const badge = document.createElement('div');
      badge.className = 'weft-problem-overlay';
      badge.dataset.elementId = id;
      badge.title = messages.join('\n');
      badge.textContent = messages.length === 1 ? messages[0] : `${messages.length} problems`;
      this.overlayIds.push(overlays.add(id, 'weft-problem', { position: { bottom: -6, left: 0 }, html: badge }));
    }
    this.render();
  }

  private setLintIssues(issues: LintIssues): void {
    this.lintProblems = Object.entries(issues).flatMap(([id, list]) =>
      list.map((i) => ({
        source: 'lint' as const,
        severity: i.category === 'error' ? ('error' as const) : ('warning' as const),
        elementId: id,
        message: i.message,
        rule: i.rule,
      })),
    );
    this.render();
  }

  /** The lines shown: each problem once, with every source that reported it. */
  problems(): ProblemLine[] {
    return problemLines(this.deployProblems, this.lintProblems);
  }

  private render(): void {
    const registry = this.modeler.get<any>('elementRegistry');
    const items = this.problems().map((p) => {
      const li = document.createElement('li');
      li.className = `problem ${p.severity} ${p.sources.map((source) => `from-${source}`).join(' ')}`;
      if (p.elementId) li.dataset.elementId = p.elementId;
      if (p.rule) li.dataset.rule = p.rule;
      const label = p.elementId ? registry.get(p.elementId)?.businessObject?.name || p.elementId : p.file || 'diagram';
      li.innerHTML = '<span class="where"></span><span class="what"></span><span class="source"></span>';
      li.querySelector('.where')!.textContent = label;
      li.querySelector('.what')!.textContent = p.message;
      li.querySelector('.source')!.textContent = p.sources.length > 1 ? 'check · refused at deploy' : p.source === 'deploy' ? 'deploy' : 'check';
      if (p.elementId) {
        li.tabIndex = 0;
        li.addEventListener('click', () => this.select(p.elementId!));
        li.addEventListener('keydown', (e) => e.key === 'Enter' && this.select(p.elementId!));
      }
      return li;
    });
    this.list.replaceChildren(...items);
    this.count.textContent = String(items.length);
  }

  private select(id: string): void {
    const element = this.modeler.get<any>('elementRegistry').get(id);
    if (!element) return;
    this.modeler.get<any>('selection').select(element);
    this.modeler.get<any>('canvas').scrollToElement(element);
  }
}
