/** Every tool Weft's MCP endpoint offers; add a tool by adding it here. */
import type { McpTool } from '../mcp-tool.js';
import { publishMessage } from './message-tools.js';
import { getInstance, listProcesses, startInstance } from './process-tools.js';
import { claimTask, completeTask, listMyTasks } from './task-tools.js';

export const TOOLS = [listProcesses, startInstance, getInstance, listMyTasks, claimTask, completeTask, publishMessage] as unknown as McpTool[];
