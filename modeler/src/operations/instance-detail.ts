/**
 * The parts of an open instance below its diagram: links to its parent and
 * children, incidents by element name (retries and resolve), variables by
 * scope (each editable, with a reason), agent runs and the audit timeline.
 * Built as HTML from what the API answered; `nameOf` turns element ids into
 * the names the diagram gives them.
 */
import type { AgentRunSummary, AuditEntry, InstanceDetail } from './api.js';
import { agentRunsSection } from './agent-runs.js';
import { text, when } from './html.js';

type NameOf = (elementId: string) => string;

export function headHtml(instance: InstanceDetail): string {
  return `<header class="detail-head">
      <h2>${text(instance.processId)} <small>v${instance.version}</small></h2>
      <span class="state state-${text(instance.state.toLowerCase())}" data-testid="instance-state">${text(instance.state)}</span>
      <span class="spacer"></span>
      ${instance.state === 'ACTIVE' ? '<button type="button" data-action="cancel" class="danger">Cancel instance</button>' : ''}
    </header>
    <dl class="facts">
      <dt>Id</dt><dd><code>${text(instance.id)}</code></dd>
      <dt>Business key</dt><dd>${text(instance.businessKey) || '—'}</dd>
      <dt>Started</dt><dd>${when(instance.createdAt)}</dd>
      <dt>Ended</dt><dd>${when(instance.endedAt)}</dd>
    </dl>`;
}

export function sectionsHtml(instance: InstanceDetail, audit: AuditEntry[], runs: AgentRunSummary[], nameOf: NameOf): string {
  return `${relativesHtml(instance, nameOf)}${incidentsHtml(instance, nameOf)}${variablesHtml(instance, nameOf)}
    <section aria-labelledby="timeline-title"><h3 id="timeline-title">Audit timeline</h3>
      ${agentRunsSection(runs)}
      ${auditHtml(audit, nameOf)}
    </section>`;
}

function relativesHtml(instance: InstanceDetail, nameOf: NameOf): string {
  if (!instance.parent && instance.children.length === 0) return '';
  const link = (id: string, label: string) => `<a href="?instance=${encodeURIComponent(id)}" data-open-instance="${text(id)}">${label}</a>`;
  const parent = instance.parent
    ? `<p data-testid="parent">Started by ${text(instance.parent.elementId)} of ${link(instance.parent.instanceId, `${text(instance.parent.processId)} <code>${text(instance.parent.instanceId.slice(0, 8))}</code>`)}</p>`
    : '';
  const children = instance.children.length
    ? `<ul class="children" data-testid="children">${instance.children
        .map((c) => `<li>${link(c.id, `${text(c.processId)} v${c.version} <code>${text(c.id.slice(0, 8))}</code>`)} · <span class="state state-${text(c.state.toLowerCase())}">${text(c.state)}</span>${c.elementId ? ` · from ${text(nameOf(c.elementId))}` : ''}</li>`)
        .join('')}</ul>`
    : '';
  return `<section aria-labelledby="relatives-title"><h3 id="relatives-title">Parent and child instances</h3>${parent}${children}</section>`;
}

function incidentsHtml(instance: InstanceDetail, nameOf: NameOf): string {
  const items = instance.incidents.length
    ? instance.incidents
        .map((i) => {
          const open = i.state === 'OPEN';
          const retries = open && i.jobKey
            ? `<label>Retries <input type="number" min="1" value="1" name="retries" data-retries-for="${text(i.id)}"></label>`
            : '';
          return `<li class="${open ? 'open' : ''}" data-incident="${text(i.id)}"><strong data-testid="incident-element">${text(nameOf(i.elementId))}</strong> · ${text(i.type)} · ${text(i.state)} · <small>${when(i.createdAt)}</small>
            <p data-testid="incident-message">${text(i.message)}</p>
            ${open ? `<div class="incident-actions">${retries}<button type="button" data-resolve="${text(i.id)}"${i.jobKey ? ` data-job="${text(i.jobKey)}"` : ''}>Resolve and retry</button></div>` : ''}</li>`;
        })
        .join('')
    : '<li class="empty">None.</li>';
  const hint = instance.incidents.some((i) => i.state === 'OPEN') ? '<p class="hint">Fix what the message names — a variable below, or the job\'s retries — then resolve to try again.</p>' : '';
  return `<section aria-labelledby="incidents-title"><h3 id="incidents-title">Incidents</h3>${hint}<ul class="incidents" data-testid="incidents">${items}</ul></section>`;
}

function variablesHtml(instance: InstanceDetail, nameOf: NameOf): string {
  const active = instance.state === 'ACTIVE';
  const scopes = instance.scopes.length ? instance.scopes : [{ key: instance.id, elementId: instance.processId, variables: instance.variables }];
  const body = scopes
    .map((scope) => {
      const names = Object.keys(scope.variables).sort();
      const label = scope.key === instance.id ? 'Process' : text(nameOf(scope.elementId));
      const rows = names.length
        ? names.map((n) => `<tr><th scope="row">${text(n)}</th><td><code>${text(JSON.stringify(scope.variables[n]))}</code></td></tr>`).join('')
        : '<tr><td colspan="2" class="empty">No variables.</td></tr>';
      const id = `scope-${scope.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
      const form = active
        ? `<form class="variable-edit" data-edit-scope="${text(scope.key)}" aria-label="Change a variable of ${label}">
            <label>Name <input name="name" required list="${id}-names" autocomplete="off"></label>
            <datalist id="${id}-names">${names.map((n) => `<option value="${text(n)}"></option>`).join('')}</datalist>
            <label>Value (JSON) <input name="value" required placeholder='42, "text", true, {"a":1}' autocomplete="off"></label>
            <label>Reason <input name="reason" required placeholder="why (kept in the audit)" autocomplete="off"></label>
            <button type="submit">Save</button>
            <p class="error" data-testid="variable-error" role="alert" hidden></p>
          </form>`
        : '';
      return `<div class="scope" data-scope="${text(scope.key)}"><h4>${label}</h4>
        <table class="variables" data-testid="variables"><tbody>${rows}</tbody></table>${form}</div>`;
    })
    .join('');
  return `<section aria-labelledby="variables-title"><h3 id="variables-title">Variables</h3>${body}</section>`;
}

function auditHtml(audit: AuditEntry[], nameOf: NameOf): string {
  const rows = audit
    .map((e) => {
      const payload = e.payload ? JSON.stringify(e.payload) : '';
      const details = payload.length > 120 ? `<details><summary><code>${text(payload.slice(0, 100))}…</code></summary><pre>${text(JSON.stringify(e.payload, null, 2))}</pre></details>` : `<code>${text(payload)}</code>`;
      return `<tr><td><small>${new Date(e.at).toLocaleTimeString()}</small></td><td>${text(e.type)}</td><td>${e.elementId ? text(nameOf(e.elementId)) : ''}</td><td>${text(e.actor)}</td><td>${details}</td></tr>`;
    })
    .join('');
  return `<table class="audit" data-testid="audit"><thead><tr><th>Time</th><th>Event</th><th>Element</th><th>Actor</th><th>Details</th></tr></thead><tbody>${rows}</tbody></table>`;
}
