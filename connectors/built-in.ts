/**
 * The connectors Weft ships, built from the connector settings (the
 * engine's configuration, or the environment of `npx weft connectors`).
 * Add one by adding it here: it then runs in both places and its element
 * template is offered by the modeler.
 */
import type { ConnectorsConfig } from '../engine/config.js';
import { registerElementTemplate } from '../engine/features/modeler/element-templates.js';
import type { Connector } from './sdk/define-connector.js';
import { addressPolicy } from './http/address-policy.js';
import { DEFAULT_MAX_RESPONSE_BYTES, httpConnector } from './http/http-connector.js';
import { mcpConnector } from './mcp/mcp-connector.js';
import { a2aTemplate } from './a2a/a2a-template.js';
import type { ServerReach } from '../engine/connections/server-reach.js';

const NO_REACH: ServerReach = { connections: {}, inline: { mcpCommands: false, mcpUrls: false } };

export const DEFAULT_CONNECTORS_CONFIG: ConnectorsConfig = { enabled: true, allow: [], maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES };

/** `reach`: the named connections the MCP connector may use (the server's; none when only templates are wanted). */
export function builtInConnectors(config: ConnectorsConfig = DEFAULT_CONNECTORS_CONFIG, reach: ServerReach = NO_REACH): Connector[] {
  const { policy, problems } = addressPolicy(config.allow);
  if (problems.length > 0) throw new Error(`WEFT_CONNECTOR_ALLOW: ${problems.join('; ')}`);
  return [httpConnector({ policy, maxResponseBytes: config.maxResponseBytes }), mcpConnector(reach)] as unknown as Connector[];
}

/** Every built-in connector's element template, for GET /api/element-templates (whether or not the workers run here). */
export function registerConnectorTemplates(): void {
  for (const connector of builtInConnectors()) registerElementTemplate(connector.elementTemplate());
  registerElementTemplate(a2aTemplate.elementTemplate());
}
