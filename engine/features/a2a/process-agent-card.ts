/**
 * The Agent Card Weft publishes for an exposed process: its name and skills
 * as the administrator described them, one JSON-RPC interface at
 * `/a2a/:processId` (protocol 1.0, and 0.3 for older clients), and the security scheme every call needs: a Weft API
 * token as `Authorization: Bearer`, whose role decides, as for
 * POST /api/process-instances, whether it may start the process.
 */
import { AgentCard } from '@a2a-js/sdk';
import type { Exposure } from './exposed-repository.js';

export const SECURITY_SCHEME = 'weftToken';

export function processAgentCard(exposure: Exposure, processName: string | null, endpointUrl: string): AgentCard {
  return AgentCard.fromJSON({
    name: exposure.name ?? processName ?? exposure.processId,
    description: exposure.description ?? `Starts the Weft process '${exposure.processId}' with the message (its text as a2aMessage, a data part's fields as variables) and reports the instance as the task.`,
    version: '1.0.0',
    provider: { organization: 'Weft', url: new URL(endpointUrl).origin },
    supportedInterfaces: [
      { url: endpointUrl, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
      { url: endpointUrl, protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
    ],
    capabilities: { streaming: false, pushNotifications: false },
    securitySchemes: { [SECURITY_SCHEME]: { httpAuthSecurityScheme: { scheme: 'Bearer', description: 'A Weft API token (POST /api/tokens) of a role that may start process instances' } } },
    securityRequirements: [{ schemes: { [SECURITY_SCHEME]: { list: [] } } }],
    defaultInputModes: ['text/plain', 'application/json'],
    defaultOutputModes: ['application/json'],
    skills: exposure.skills.length > 0 ? exposure.skills : [{ id: exposure.processId, name: processName ?? exposure.processId, description: `Runs the process '${exposure.processId}'`, tags: ['weft', 'process'] }],
  });
}
