/**
 * An instance's agent runs, each with its transcript on demand: messages,
 * tool calls (refused ones stand out), policy decisions, usage and cost.
 */
import type { AgentRunSummary, AgentTranscript, OperationsApi } from './api.js';

function escape(value: unknown): string {
  const span = document.createElement('span');
  span.textContent = typeof value === 'string' ? value : JSON.stringify(value);
  return span.innerHTML;
}

export function agentRunsSection(runs: AgentRunSummary[]): string {
  if (runs.length === 0) return '';
  return `<section aria-labelledby="agent-runs-title"><h3 id="agent-runs-title">Agent runs</h3>
    <ul class="agent-runs" data-testid="agent-runs">${runs
      .map(
        (r) => `<li><details data-run="${escape(r.id)}"><summary><strong>${escape(r.agent)}</strong> v${r.version} · ${escape(r.elementId)} ·
          <span class="run-status run-${escape(r.status.toLowerCase())}">${escape(r.status)}</span></summary>
          <div class="transcript" data-testid="transcript">Loading the transcript…</div></details></li>`,
      )
      .join('')}</ul></section>`;
}

/** Fills a run's transcript the first time its details open. */
export function wireAgentRuns(root: HTMLElement, api: OperationsApi): void {
  for (const details of root.querySelectorAll<HTMLDetailsElement>('details[data-run]')) {
    details.addEventListener(
      'toggle',
      async () => {
        const target = details.querySelector<HTMLElement>('.transcript')!;
        try {
          target.innerHTML = renderTranscript(await api.agentTranscript(details.dataset.run!));
        } catch (error) {
          target.textContent = `The transcript could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
        }
      },
      { once: true },
    );
  }
}

export function renderTranscript(t: AgentTranscript): string {
  const facts = `<p class="run-facts">${escape(t.agent.model ?? 'model unknown')} · ${t.modelCalls} model call(s) · ${t.usage.totalTokens} tokens ·
    ${t.latencyMs} ms · $${t.costUsd.toFixed(4)}${t.error ? ` · <span class="error">${escape(t.error)}</span>` : ''}</p>`;
  const messages = t.messages
    .map((m) => `<li class="msg msg-${escape(m.role)}"><span class="role">${escape(m.role)}${m.name ? ` ${escape(m.name)}` : ''}</span> <span class="content">${escape(m.content)}</span></li>`)
    .join('');
  const tools = t.toolCalls.length
    ? `<table class="tool-calls"><thead><tr><th>Tool</th><th>Arguments</th><th>Status</th><th>Result</th></tr></thead><tbody>${t.toolCalls
        .map(
          (c) => `<tr class="${c.status === 'refused' ? 'refused' : ''}"><td>${escape(c.name)}</td><td><code>${escape(c.args)}</code></td>
            <td>${escape(c.status)}${c.reason ? `<br><small>${escape(c.reason)}</small>` : ''}</td><td><code>${escape(c.result)}</code></td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const decisions = t.decisions.length
    ? `<ul class="decisions">${t.decisions.map((d) => `<li><strong>${escape(d.decision)}</strong> <code>${escape({ ...d, decision: undefined, step: undefined })}</code></li>`).join('')}</ul>`
    : '';
  return `${facts}<ol class="messages">${messages}</ol>${tools}${decisions}`;
}
