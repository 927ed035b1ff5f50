/**
 * The Agents view's markup (agent-view.ts wires it): the kill switches with
 * their state, and the runs with what each is doing now, its usage and its
 * limits as meters. Pure: data in, HTML out.
 */
import type { AgentDefinitionSwitch, AgentsBoard, BoardRun } from './api.js';
import { text, when } from './html.js';

const LIMIT_NAMES: Record<string, string> = { maxModelCalls: 'model calls', maxTokens: 'tokens', maxCostUsd: 'cost', wallTimeMs: 'work time' };

/** The latest version of each agent with its switch, and the global switch. */
export function switchesHtml(board: AgentsBoard): string {
  const latest = new Map<string, AgentDefinitionSwitch>();
  for (const d of board.items) if (!latest.has(d.name) || latest.get(d.name)!.version < d.version) latest.set(d.name, d);
  const global = board.allDisabled
    ? `<p class="switch-state off" data-testid="all-switch-state" role="status">All agents are stopped (global kill switch).</p>
       <button type="button" data-agent-action="enable-all">Start agents again</button>`
    : `<p class="switch-state" data-testid="all-switch-state" role="status">Agents are allowed to run.</p>
       <button type="button" class="danger" data-agent-action="disable-all">Stop all agents</button>`;
  const rows = [...latest.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(
      (d) => `<tr data-agent="${text(d.name)}"><th scope="row">${text(d.name)}</th><td>v${d.version}</td>
        <td><span class="run-status ${d.disabled ? 'run-failed' : 'run-completed'}" data-testid="switch-state">${d.disabled ? 'off' : 'on'}</span></td>
        <td>${
          d.disabled
            ? `<button type="button" data-agent-action="enable" data-agent-name="${text(d.name)}">Enable</button>`
            : `<button type="button" class="danger" data-agent-action="disable" data-agent-name="${text(d.name)}">Disable</button>`
        }</td></tr>`,
    )
    .join('');
  return `<div class="global-switch">${global}</div>
    <table class="instances agent-switches" data-testid="agent-switches" aria-labelledby="switches-title">
      <thead><tr><th scope="col">Agent</th><th scope="col">Latest</th><th scope="col">Switch</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
      <tbody>${rows || '<tr><td colspan="4">No agent definitions are deployed.</td></tr>'}</tbody></table>`;
}

export function agentOptions(board: AgentsBoard, chosen: string): string {
  const names = [...new Set(board.items.map((d) => d.name))].sort();
  return '<option value="">all</option>' + names.map((n) => `<option value="${text(n)}"${n === chosen ? ' selected' : ''}>${text(n)}</option>`).join('');
}

const ACTIVITY_CLASS: Record<string, string> = {
  done: 'run-completed',
  failed: 'run-failed',
  rejected: 'run-failed',
  'lease-expired': 'run-failed',
  'waiting-for-person': 'run-waiting',
  'waiting-for-tool-job': 'run-waiting',
  'stopped-by-kill-switch': 'run-waiting',
  waiting: 'run-waiting',
  'waiting-for-worker': 'run-waiting',
  retrying: 'run-waiting',
};

function activityHtml(run: BoardRun): string {
  const a = run.activity;
  const task = a.reviewTaskId ? ` · <a href="/inbox#task=${encodeURIComponent(a.reviewTaskId)}">review task</a>` : '';
  const reason = a.reason ? `<br><small>${text(a.reason)}</small>` : '';
  const retry = a.retryAt ? `<br><small data-testid="retry-at">retrying at ${text(when(a.retryAt))}</small>` : '';
  return `<span class="run-status ${ACTIVITY_CLASS[a.kind] ?? ''}" data-testid="activity" data-kind="${text(a.kind)}">${text(a.label)}</span>
    <br><small>since ${text(when(a.since))}</small>${retry}${task}${reason}`;
}

function meter(name: string, used: number, limit: number): string {
  const label = LIMIT_NAMES[name] ?? name;
  const shown = name === 'maxCostUsd' ? `$${used.toFixed(4)} / $${limit}` : name === 'wallTimeMs' ? `${Math.round(used)} / ${limit} ms` : `${used} / ${limit}`;
  return `<div class="limit"><span>${text(label)}</span> <meter min="0" max="${limit}" low="${limit * 0.7}" high="${limit * 0.9}" optimum="0" value="${Math.min(used, limit)}"
    aria-label="${text(`${label}: ${shown}`)}"></meter> <small>${text(shown)}</small></div>`;
}

export function runRowsHtml(runs: BoardRun[], open: ReadonlySet<string>, transcripts: ReadonlyMap<string, string>): string {
  if (runs.length === 0) return '<tr><td colspan="7" data-testid="no-runs">No agent runs match.</td></tr>';
  return runs
    .map((r) => {
      const expanded = open.has(r.id);
      const process = r.processName ?? r.processId;
      const row = `<tr data-run-row="${text(r.id)}">
        <td><strong>${text(r.agent)}</strong> v${r.version}<br><small>${text(r.elementId)}${r.attempt > 1 ? ` · attempt ${r.attempt}` : ''}</small></td>
        <td><a href="/operations?instance=${encodeURIComponent(r.processInstanceId)}" data-testid="run-instance">${text(process)}</a><br><small><code>${text(r.processInstanceId.slice(0, 8))}</code></small></td>
        <td>${activityHtml(r)}</td>
        <td>${text(when(r.startedAt))}</td>
        <td data-testid="tokens">${r.usage.inputTokens} in / ${r.usage.outputTokens} out<br><small data-testid="cost">$${r.usage.costUsd.toFixed(4)}</small></td>
        <td class="limits">${r.limits.map((l) => meter(l.name, l.used, l.limit)).join('')}</td>
        <td><button type="button" data-agent-action="transcript" data-run-id="${text(r.id)}" aria-expanded="${expanded}">${expanded ? 'Hide' : 'Transcript'}</button></td></tr>`;
      const transcript = expanded
        ? `<tr class="transcript-row"><td colspan="7"><div class="transcript" data-testid="transcript" data-transcript-for="${text(r.id)}">${transcripts.get(r.id) ?? 'Loading the transcript…'}</div></td></tr>`
        : '';
      return row + transcript;
    })
    .join('');
}
