/**
 * Which BullMQ queue a job type goes to. Agent jobs (`agent`, `agent:<name>`)
 * share the agent queue; every other type (built-in connectors and custom
 * workers) has a queue of its own, so a slow type cannot starve another.
 */
export const AGENT_QUEUE = 'agent';

export function queueForJobType(type: string): string {
  if (type === 'agent' || type.startsWith('agent:')) return AGENT_QUEUE;
  // BullMQ uses ':' as its key separator; keep queue names to a safe alphabet.
  return `job.${type.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}
