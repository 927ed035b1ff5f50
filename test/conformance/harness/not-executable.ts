/**
 * What the harness throws when a test asks for something Weft cannot do
 * yet: deploying a file the compiler refuses, or a command the runtime does
 * not have (setting variables of a running instance, for conditional
 * events). The test then fails with the reason, and the conformance report
 * prints it.
 */
import type { ModelProblem } from '../../../engine/model/types.js';

export class NotExecutableYet extends Error {
  constructor(reason: string) {
    super(`not executable yet: ${reason}`);
    this.name = 'NotExecutableYet';
  }
}

export function notExecutableYet(reason: string): never {
  throw new NotExecutableYet(reason);
}

/** The compiler refused a corpus file; the problems are in the message, one per line. */
export class DeployRefused extends NotExecutableYet {
  constructor(
    readonly file: string,
    readonly problems: ModelProblem[],
  ) {
    super(`${file} does not deploy:\n${problems.map((p) => `  ${p.elementId ?? '(file)'}: ${p.message}`).join('\n')}`);
    this.name = 'DeployRefused';
  }
}
