/**
 * Review tasks created by agents (connectors/agents/human-review.ts): the
 * task's variables carry `kind` (`output-review` or `tool-approval`), the
 * agent, and the proposal, confidence, reasoning and evidence — or the tool
 * call. The person approves (for a review: optionally with an edited
 * proposal) or rejects, with a comment; the task completes with
 * `{approved, output?, comment?}`. The server checks an approved output like
 * the agent's own (schema, policies) and refuses it by field (listed in
 * `.field-errors`, as for forms).
 */
import type { Task } from './api.js';
import { escapeHtml } from './format.js';

export const isReviewTask = (task: Task) => task.variables.kind === 'output-review' || task.variables.kind === 'tool-approval';

const pretty = (value: unknown) => escapeHtml(JSON.stringify(value, null, 2));

export function renderReview(section: HTMLElement, task: Task, editable: boolean, complete: (variables: Record<string, unknown>) => void, fail: (message: string) => void): void {
  const v = task.variables as Record<string, any>;
  const output = v.kind === 'output-review';
  const confidence = typeof v.confidence === 'number' ? `${Math.round(v.confidence * 100)}%` : 'not given';
  section.innerHTML = `
    <div class="review" data-testid="review">
      <h3>${output ? `Agent <em>${escapeHtml(v.agent)}</em> asks you to review its proposal` : `Agent <em>${escapeHtml(v.agent)}</em> asks to call a tool`}</h3>
      ${v.reason ? `<p><strong>Why you are asked:</strong> ${escapeHtml(v.reason)}</p>` : ''}
      ${output ? `<p><strong>Confidence:</strong> <span data-testid="confidence">${confidence}</span></p>` : ''}
      ${v.reasoning ? `<details open><summary>Reasoning</summary><p class="reasoning">${escapeHtml(v.reasoning)}</p></details>` : ''}
      ${v.evidence !== undefined ? `<details><summary>Evidence</summary><pre>${pretty(v.evidence)}</pre></details>` : ''}
      ${v.toolCall ? `<p><strong>Tool:</strong> <code>${escapeHtml(v.toolCall.name)}</code></p><pre data-testid="tool-args">${pretty(v.toolCall.args)}</pre>` : ''}
      ${
        output
          ? `<label for="proposal"><strong>Proposal</strong>${editable ? ' (edit before approving if needed)' : ''}</label>
             <textarea id="proposal" class="output" rows="8" spellcheck="false" data-testid="proposal" ${editable ? '' : 'readonly'}>${pretty(v.proposal ?? v.output)}</textarea>`
          : ''
      }
      ${
        editable
          ? `<ul class="field-errors" data-testid="field-errors" hidden></ul>
             <label for="comment">Comment</label><input id="comment" class="comment" data-testid="comment" />
             <div class="actions">
               <button type="button" class="primary" data-action="approve" data-testid="approve">Approve</button>
               <button type="button" data-action="reject" data-testid="reject">Reject</button>
             </div>`
          : '<p class="hint">Claim the task to decide.</p>'
      }
    </div>`;
  const comment = () => section.querySelector<HTMLInputElement>('.comment')?.value.trim() || undefined;
  section.querySelector('[data-action=approve]')?.addEventListener('click', () => {
    const decision: Record<string, unknown> = { approved: true };
    if (output) {
      try {
        const edited = JSON.parse(section.querySelector<HTMLTextAreaElement>('#proposal')!.value);
        if (JSON.stringify(edited) !== JSON.stringify(v.proposal ?? v.output)) decision.output = edited;
      } catch (error) {
        return fail(`The proposal is not valid JSON: ${(error as Error).message}`);
      }
    }
    if (comment()) decision.comment = comment();
    complete(decision);
  });
  section.querySelector('[data-action=reject]')?.addEventListener('click', () => {
    if (!comment()) return fail('Say why you reject it (the comment goes back to the process).');
    complete({ approved: false, comment: comment() });
  });
}
