/**
 * The features this Weft build includes; each is one module (see types.ts).
 * Add a feature by adding its module to this list.
 */
import type { Feature } from './types.js';
import { agentsFeature } from './agents.js';
import { modelerFeature } from './modeler.js';
import { people } from './people/index.js';
import { exampleWorkersFeature } from './example-workers.js';
import { secretsFeature } from './secrets.js';
import { mcpServerFeature } from './mcp-server/index.js';
import { connectorsFeature } from './connectors.js';
import { webhooks } from './webhooks/index.js';
import { a2aFeature } from './a2a.js';
import { camundaV2Feature } from './camunda-v2/index.js';
import { batchOperationsFeature } from './batch-operations/index.js';
import { historyRetentionFeature } from './history-retention/index.js';

export const features: Feature[] = [agentsFeature, modelerFeature, people, secretsFeature, mcpServerFeature, connectorsFeature, webhooks, a2aFeature, camundaV2Feature, batchOperationsFeature, historyRetentionFeature, exampleWorkersFeature];
