/**
 * Call activities, as Weft's I/O layer runs them: a step's
 * START_CHILD_INSTANCE starts the called process in the same transaction
 * (picked by the binding among the processes the test deployed: `latest` is
 * the last deployed with that id, `deployment` the one deployed with the
 * caller), or the parent gets CHILD_START_FAILED; a child's NOTIFY_PARENT
 * reaches its parent after the step as CHILD_COMPLETED or CHILD_ERROR; a
 * CANCEL_CHILD_INSTANCE cancels the child.
 */
import type { ExecutableProcess } from '../../../engine/model/types.js';
import type { ChildInstanceSpec, ChildOutcome, Command, ParentLink } from '../../../engine/runtime/types.js';
import type { Instance } from './instance.js';
import type { World } from './world.js';

/** The called process of `child` for a call activity of `caller`, or why there is none. */
export function calledProcess(world: World, caller: Instance, child: ChildInstanceSpec): ExecutableProcess | string {
  const { processId, binding } = child;
  if (binding.type === 'latest') return world.latest(processId) ?? `No process '${processId}' is deployed; deployed: ${world.processIds().join(', ')}`;
  if (binding.type === 'deployment') {
    const together = world.deployedWith(caller.model);
    return together.find((m) => m.id === processId) ?? `No process '${processId}' was deployed with ${caller.processId}; deployed with it: ${together.map((m) => m.id).join(', ')}`;
  }
  // The compiler keeps no process's version tag, so the harness has none to pick by.
  return `No version of '${processId}' has version tag '${binding.versionTag}' (the harness knows no version tags)`;
}

/** The command that tells the parent how its child ended. */
export function parentCommand(child: Instance, parent: ParentLink, outcome: ChildOutcome): Command {
  const common = { elementInstanceKey: parent.elementInstanceKey, childInstanceId: child.state.id, variables: outcome.variables };
  if (outcome.type === 'completed') return { type: 'CHILD_COMPLETED', ...common };
  const error: Command = { type: 'CHILD_ERROR', ...common, errorCode: outcome.errorCode };
  if (outcome.errorMessage !== undefined) error.errorMessage = outcome.errorMessage;
  return error;
}

/**
 * The parent still waits for this child at its call activity. A report that
 * comes after the call activity ended otherwise (its boundary event, a
 * cancel: the child's cancel is on its way) is dropped, as the I/O layer
 * drops a stale notification.
 */
export function stillWaiting(parent: Instance, link: ParentLink, childId: string): boolean {
  return !parent.ended && parent.state.elements[link.elementInstanceKey]?.childInstanceId === childId;
}
