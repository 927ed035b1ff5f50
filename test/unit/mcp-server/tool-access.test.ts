/** Each MCP tool is authorised by its /api route's own declaration, never by a table of its own. */
import { describe, expect, it } from 'vitest';
import { MESSAGE_PUBLISHERS, OPERATORS, STAFF, EVERYONE } from '../../../engine/api/access.js';
import type { Actor } from '../../../engine/api/auth.js';
import type { EngineApi } from '../../../engine/service/types.js';
import { accessOf, coreRouteAccess, refusal } from '../../../engine/features/mcp-server/tool-access.js';
import { TOOLS } from '../../../engine/features/mcp-server/tools/index.js';

const routes = coreRouteAccess({} as EngineApi);
const byName = Object.fromEntries(TOOLS.map((tool) => [tool.name, accessOf(tool, routes)]));

describe('MCP tool access', () => {
  it('takes each tool\'s access from the route it names', () => {
    expect(byName).toEqual({
      list_processes: EVERYONE,
      start_instance: STAFF,
      get_instance: OPERATORS,
      list_my_tasks: EVERYONE,
      claim_task: EVERYONE,
      complete_task: EVERYONE,
      publish_message: MESSAGE_PUBLISHERS,
    });
  });

  it('finds a tool naming a route nobody declared when the endpoint is built', () => {
    expect(() => accessOf({ name: 'drop_everything', route: 'DELETE /process-instances' }, routes)).toThrow('MCP tool drop_everything names no declared /api route: DELETE /process-instances');
  });

  it('refuses by role, or admits by a token scope, as the route does', () => {
    const user: Actor = { id: 'user:ann', user: 'ann', roles: ['user'] };
    const worker: Actor = { ...user, scopes: ['worker'] };
    const publish = TOOLS.find((tool) => tool.name === 'publish_message')!;
    expect(refusal(publish, byName.publish_message, user)).toBe('publish_message needs the admin or operator role, or a token with the worker or agent-worker scope (as POST /api/messages does)');
    expect(refusal(publish, byName.publish_message, worker)).toBeNull();
  });
});
