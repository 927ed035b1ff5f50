/**
 * Finding 3 of issue #8: a stdio MCP server named by an agent definition was
 * started with the server's whole environment (WEFT_ADMIN_TOKEN, DATABASE_URL,
 * provider keys). Now it gets a minimal set plus the variables named for it,
 * and a definition may name a command at all only when an administrator
 * turned WEFT_ALLOW_INLINE_MCP_COMMANDS on.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { agentDefinition, agentProcess, deployAgent, deployFiles, instanceIn, openIncident, startAgentTest, startInstance, type AgentTest } from '../fixtures/agents/agent-harness.js';
import { MINIMAL_ENV } from '../../connectors/agents/mcp-environment.js';
import { reachOf } from '../../engine/connections/server-reach.js';

const SERVER = fileURLToPath(new URL('../fixtures/agents/mcp-server.mjs', import.meta.url));
const SECRETS = { WEFT_ADMIN_TOKEN: 'admin-token-of-the-server', DATABASE_URL: 'postgres://weft:db-password-123@db/weft', OPENAI_API_KEY: 'sk-server-provider-key-123', KB_TOKEN: 'kb-token-for-the-kb-only' };

/** Deploys an agent whose one tool reports the MCP server's environment, runs it, returns what the server saw. */
async function environmentSeenBy(a: AgentTest, name: string, mcp: Record<string, unknown>): Promise<Record<string, string>> {
  const definition = agentDefinition({ name, tools: [{ name: 'reportEnvironment', kind: 'mcp', mcp, toolName: 'report_environment', policy: 'allow' }] });
  await deployAgent(a.t, definition, agentProcess({ id: name, agent: name }), name);
  const model = fakeModel()
    .respondWithTools([{ name: 'reportEnvironment', args: {}, id: 'e1' }])
    .respond(new AIMessage('{"answer": "seen"}'));
  a.worker(model);
  const id = await startInstance(a.t, name, { request: 'report' });
  await instanceIn(a.t, id, 'COMPLETED', 20_000);
  // What the model was handed as the tool's result (the records are redacted; this is what the server said).
  const content = JSON.parse(String(model.calls[1].messages.at(-1)!.content));
  return JSON.parse(Array.isArray(content) ? content[0] : content);
}

describe('the environment of stdio MCP servers', () => {
  let a: AgentTest;
  const previous: Record<string, string | undefined> = {};
  beforeAll(async () => {
    for (const [key, value] of Object.entries(SECRETS)) {
      previous[key] = process.env[key];
      process.env[key] = value;
    }
    a = await startAgentTest({
      connections: { kb: { kind: 'mcp', command: process.execPath, args: [SERVER], env: { KB_TOKEN: '{{env.KB_TOKEN}}', KB_MODE: 'strict' } } },
      inline: { mcpCommands: true },
    });
  });
  afterAll(async () => {
    await a?.stop();
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('an inline command (allowed by the administrator) sees only the minimal set and the variables the definition names', async () => {
    // when
    const seen = await environmentSeenBy(a, 'env-inline', { command: process.execPath, args: [SERVER], env: { REPORT_STYLE: 'json' } });

    // then
    expect(seen.REPORT_STYLE).toBe('json');
    expect(seen.PATH).toBe(process.env.PATH);
    for (const key of Object.keys(seen)) expect([...MINIMAL_ENV, 'REPORT_STYLE']).toContain(key);
    for (const secret of Object.values(SECRETS)) expect(JSON.stringify(seen)).not.toContain(secret);
  });

  it('a configured connection gets its named variables, resolved from the server environment when it starts, and nothing else', async () => {
    // when
    const seen = await environmentSeenBy(a, 'env-connection', { connection: 'kb' });

    // then
    expect(seen).toMatchObject({ KB_TOKEN: SECRETS.KB_TOKEN, KB_MODE: 'strict' });
    for (const key of Object.keys(seen)) expect([...MINIMAL_ENV, 'KB_TOKEN', 'KB_MODE']).toContain(key);
    for (const key of ['WEFT_ADMIN_TOKEN', 'DATABASE_URL', 'OPENAI_API_KEY']) expect(seen[key]).toBeUndefined();
  });

  it('a definition cannot pull a server variable into an inline command: its env is taken literally', async () => {
    // when
    const seen = await environmentSeenBy(a, 'env-reference', { command: process.execPath, args: [SERVER], env: { STOLEN: '{{env.WEFT_ADMIN_TOKEN}}' } });

    // then
    expect(seen.STOLEN).toBe('{{env.WEFT_ADMIN_TOKEN}}');
  });

  it('when the administrator turned inline commands off after the deploy, the run gets an incident that says so and no process starts', async () => {
    // given: deployed while inline commands were allowed
    const dir = mkdtempSync(join(tmpdir(), 'weft-mcp-'));
    const started = join(dir, 'started');
    try {
      const definition = agentDefinition({ name: 'env-later-off', tools: [{ name: 'search', kind: 'mcp', mcp: { command: process.execPath, args: [SERVER, started] }, toolName: 'search_known_issues', policy: 'allow' }] });
      await deployAgent(a.t, definition, agentProcess({ id: 'env-later-off', agent: 'env-later-off' }), 'env-later-off');
      // when: the worker runs with the setting off
      const reach = reachOf(a.t.config);
      a.worker(fakeModel().respond(new AIMessage('{"answer": "never asked"}')), { reach: { ...reach, inline: { ...reach.inline, mcpCommands: false } } });
      const id = await startInstance(a.t, 'env-later-off', { request: 'x' });

      // then
      const incident = await openIncident(a.t, id);
      expect(incident.message).toContain('tools.0.mcp.command');
      expect(incident.message).toContain('WEFT_ALLOW_INLINE_MCP_COMMANDS');
      expect(existsSync(started)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a definition names an MCP connection that was removed since the deploy, the run gets an incident naming it', async () => {
    // given
    const definition = agentDefinition({ name: 'env-gone', tools: [{ name: 'search', kind: 'mcp', mcp: { connection: 'kb' }, toolName: 'search_known_issues', policy: 'allow' }] });
    await deployAgent(a.t, definition, agentProcess({ id: 'env-gone', agent: 'env-gone' }), 'env-gone');
    // when
    const reach = reachOf(a.t.config);
    const { kb: _, ...others } = reach.connections;
    a.worker(fakeModel().respond(new AIMessage('{"answer": "never asked"}')), { reach: { ...reach, connections: others } });
    const id = await startInstance(a.t, 'env-gone', { request: 'x' });

    // then
    const incident = await openIncident(a.t, id);
    expect(incident.message).toMatch(/tools\.0\.mcp\.connection: no MCP connection named 'kb'/);
  });
});

describe('deploying definitions that name MCP servers inline, on a server that does not allow it (the default)', () => {
  let a: AgentTest;
  beforeAll(async () => {
    a = await startAgentTest({ connections: { kb: { kind: 'mcp', command: process.execPath, args: [SERVER] } } });
  });
  afterAll(async () => {
    await a?.stop();
  });

  const deploy = (name: string, mcp: Record<string, unknown>) =>
    deployFiles(a.t, [{ name: `${name}.agent.json`, content: JSON.stringify(agentDefinition({ name, tools: [{ name: 'search', kind: 'mcp', mcp, policy: 'allow' }] })) }]);

  it('refuses a command with a 422 naming the file, the field and the setting', async () => {
    // when
    const res = await deploy('inline-command', { command: 'sh', args: ['-c', 'env'] });

    // then
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems).toEqual([
      { file: 'inline-command.agent.json', field: 'tools.0.mcp.command', message: expect.stringMatching(/does not start commands named in a definition.*tools\.0\.mcp\.connection \(known: kb\).*WEFT_ALLOW_INLINE_MCP_COMMANDS=true/) },
    ]);
  });

  it('refuses a URL with a 422 naming the field and its setting', async () => {
    // when
    const res = await deploy('inline-url', { url: 'http://169.254.169.254/mcp' });

    // then
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems).toEqual([{ file: 'inline-url.agent.json', field: 'tools.0.mcp.url', message: expect.stringContaining('WEFT_ALLOW_INLINE_MCP_URLS=true') }]);
  });

  it('refuses an unknown connection with a 422 listing the known ones', async () => {
    // when
    const res = await deploy('unknown-connection', { connection: 'wiki' });

    // then
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems).toEqual([{ file: 'unknown-connection.agent.json', field: 'tools.0.mcp.connection', message: "tools.0.mcp.connection: no MCP connection named 'wiki' on this server (known MCP connections: kb)" }]);
  });
});
