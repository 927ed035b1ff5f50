/**
 * The instance list: the search form read into a query, the table (with
 * each instance's open incidents) and the pager. The definitions overview
 * above it counts instances per version; choosing a version filters by it.
 */
import type { DefinitionStatistics, InstanceListItem, InstanceQuery } from './api.js';
import { text, when } from './html.js';

export const PAGE = 25;

/** The search form as a query; date-time fields in the browser's time zone, sent as instants. */
export function queryOf(form: HTMLFormElement, offset: number): InstanceQuery {
  const data = new FormData(form);
  const field = (name: string) => String(data.get(name) ?? '').trim();
  const instant = (name: string) => (field(name) ? new Date(field(name)).toISOString() : undefined);
  const [sortBy, sortOrder] = (field('sort') || 'createdAt:desc').split(':');
  return {
    processId: field('processId') || undefined,
    version: field('version') || undefined,
    state: field('state') || undefined,
    hasIncident: field('hasIncident') || undefined,
    businessKey: field('businessKey') || undefined,
    variableName: field('variableName') || undefined,
    variableValue: field('variableName') ? field('variableValue') : undefined,
    startedAfter: instant('startedAfter'),
    startedBefore: instant('startedBefore'),
    endedAfter: instant('endedAfter'),
    endedBefore: instant('endedBefore'),
    sortBy,
    sortOrder,
    limit: PAGE,
    offset,
  };
}

export function instanceRows(items: InstanceListItem[], selected: string | null): string {
  if (items.length === 0) return '<tr><td colspan="4" class="empty">No instances match.</td></tr>';
  return items
    .map(
      (i) => `<tr data-instance="${text(i.id)}" tabindex="0" class="${selected === i.id ? 'selected' : ''}${i.openIncidents ? ' has-incident' : ''}">
    <td><strong>${text(i.processId)}</strong> <small>v${i.version}</small>${i.businessKey ? `<br><small>${text(i.businessKey)}</small>` : ''}</td>
    <td><span class="state state-${text(i.state.toLowerCase())}">${text(i.state)}</span></td>
    <td data-testid="incident-cell">${i.openIncidents ? `<span class="incident-count" title="${i.openIncidents} open incident(s)">${i.openIncidents} incident${i.openIncidents > 1 ? 's' : ''}</span>` : '<span class="none">—</span>'}</td>
    <td><small>${when(i.createdAt)}</small></td></tr>`,
    )
    .join('');
}

export function statisticsRows(items: DefinitionStatistics[]): string {
  if (items.length === 0) return '<tr><td colspan="5" class="empty">Nothing deployed yet.</td></tr>';
  return items
    .map(
      (d) => `<tr data-definition="${text(d.processId)}" data-version="${d.version}" tabindex="0" title="Show the instances of this version">
    <td><strong>${text(d.name ?? d.processId)}</strong> <small>v${d.version}</small></td>
    <td data-stat="active">${d.active}</td>
    <td data-stat="incidents" class="${d.withIncidents ? 'incident-count' : ''}">${d.withIncidents}</td>
    <td data-stat="completed">${d.completed}</td>
    <td data-stat="canceled">${d.canceled + d.terminated}</td></tr>`,
    )
    .join('');
}
