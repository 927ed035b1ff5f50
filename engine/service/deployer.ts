/**
 * A deployment: every file checked (BPMN compiled, DMN compiled, the
 * features' resource kinds checked), refused as a whole with each problem
 * named (file, element, field, reason), or stored in one transaction; then
 * the features' warnings on what will not work as it stands.
 */
import type { Logger } from 'pino';
import { compile, classify } from '../model/index.js';
import { compileDmn, type CompiledDrg } from '../dmn/index.js';
import type { DecisionRepository } from '../persistence/decision-repository.js';
import type { ModelProblem } from '../model/types.js';
import { WeftError } from '../errors.js';
import { findUnstorableResource } from '../persistence/storable.js';
import type { CompiledResource, DefinitionRepository } from '../persistence/definition-repository.js';
import type { ResourceHandler } from '../features/types.js';
import type { DeploymentResource, DeploymentResult, DeployWarning, DeployWarningCheck } from './types.js';

const MAX_RESOURCE_BYTES = 5 * 1024 * 1024;

export interface DeployerDeps {
  definitions: DefinitionRepository;
  decisions: DecisionRepository;
  logger: Logger;
  /** Deployable resource kinds beyond BPMN and DMN (forms, agent definitions), from the features. */
  resources?: ResourceHandler[];
  /** Asked after a deployment committed: what it holds that will not work as it stands. */
  deployWarnings?: DeployWarningCheck[];
}

export class Deployer {
  constructor(private readonly deps: DeployerDeps) {}

  async deploy(resources: DeploymentResource[], actor: string): Promise<DeploymentResult> {
    if (resources.length === 0) throw new WeftError('BAD_REQUEST', 'A deployment needs at least one .bpmn file');
    const compiled: CompiledResource[] = [];
    const others: { handler: ResourceHandler; resource: { name: string; content: string } }[] = [];
    const problems: ModelProblem[] = [];
    const decisionFiles: { name: string; xml: string; drg: CompiledDrg }[] = [];
    for (const resource of resources) {
      const size = typeof resource.content === 'string' ? Buffer.byteLength(resource.content) : resource.content.length;
      if (size > MAX_RESOURCE_BYTES) throw new WeftError('PAYLOAD_TOO_LARGE', `${resource.name} is larger than 5 MB`);
      if (/\.dmn$/i.test(resource.name)) {
        // Decisions are core: business rule tasks evaluate them in the step's transaction.
        const xml = resource.content.toString();
        const result = await compileDmn(xml, resource.name);
        problems.push(...result.problems);
        if (result.drg) decisionFiles.push({ name: resource.name, xml, drg: result.drg });
        continue;
      }
      if (!/\.(bpmn|xml)$/i.test(resource.name)) {
        const handler = this.deps.resources?.find((h) => h.accepts(resource.name));
        if (!handler) {
          problems.push({ file: resource.name, message: `Unsupported resource type: ${this.deployableKinds()} can be deployed` });
          continue;
        }
        const other = { name: resource.name, content: resource.content.toString() };
        const unstorable = findUnstorableResource(other.content);
        if (unstorable) {
          const field = unstorable.path ? { field: unstorable.path } : {};
          problems.push({ file: resource.name, ...field, message: unstorable.path ? `'${unstorable.path}' ${unstorable.message}` : `The file ${unstorable.message}` });
          continue;
        }
        problems.push(...(await handler.check(other)));
        others.push({ handler, resource: other });
        continue;
      }
      // Characters XML and Postgres cannot hold (NUL, surrogates) are the compiler's to refuse (model/xml-characters.ts).
      const xml = resource.content.toString();
      const result = await compile(xml, resource.name);
      problems.push(...result.problems);
      compiled.push({ name: resource.name, xml, processes: result.processes });
    }
    const kind = classify(problems);
    if (kind === 'malformed') throw new WeftError('INVALID_XML', summarize('is not well-formed XML', problems), { problems });
    if (kind === 'not-bpmn') throw new WeftError('NOT_BPMN', summarize('is not a BPMN document', problems), { problems });
    if (kind === 'invalid' || problems.length > 0) throw new WeftError('INVALID_MODEL', summarize('cannot be deployed', problems), { problems });
    if (others.length === 0 && decisionFiles.length === 0 && compiled.every((c) => c.processes.length === 0)) {
      throw new WeftError('INVALID_MODEL', 'The deployment holds no executable process');
    }
    const result = await this.deps.definitions.deploy(compiled, actor, async (trx, deploymentId) => {
      const listed: Record<string, unknown[]> = {};
      if (decisionFiles.length > 0) listed.decisions = [];
      for (const file of decisionFiles) listed.decisions.push(...(await this.deps.decisions.store(trx, file, deploymentId)));
      for (const { handler, resource } of others) {
        (listed[handler.responseKey] ??= []).push(await handler.store(trx, resource, deploymentId, actor));
      }
      return listed;
    });
    const processes = compiled.flatMap((c) => c.processes.map((model) => ({ file: c.name, model })));
    return { ...result, warnings: await this.deployWarnings({ processes, resources: others.map((o) => o.resource) }) };
  }

  /** The features' warnings on a committed deployment; a check that fails costs its warnings, never the deployment's answer. */
  private async deployWarnings(deployment: Parameters<DeployWarningCheck>[0]): Promise<DeployWarning[]> {
    const warnings: DeployWarning[] = [];
    for (const check of this.deps.deployWarnings ?? []) {
      try {
        warnings.push(...(await check(deployment)));
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'a deploy warning check failed');
      }
    }
    return warnings;
  }

  private deployableKinds(): string {
    const kinds = ['.bpmn', '.dmn', ...(this.deps.resources ?? []).map((h) => h.responseKey)];
    return kinds.join(', ');
  }
}

/** "<files> <what> (<first problem>) and n more problem(s)": the refusal's one-line message. */
function summarize(what: string, problems: ModelProblem[]): string {
  const files = [...new Set(problems.map((p) => p.file))].join(', ');
  const first = problems[0];
  const where = first?.elementId ? ` (${first.elementId}: ${first.message})` : first ? ` (${first.message})` : '';
  const more = problems.length > 1 ? ` and ${problems.length - 1} more problem(s)` : '';
  return `${files} ${what}${where}${more}`;
}
