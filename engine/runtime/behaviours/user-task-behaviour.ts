import type { Behaviour } from './behaviour.js';
import type { ValueOrExpression } from '../../model/types.js';
import { resolveValue, zonedDateTimeToIso, type FeelResult } from '../feel.js';

type Resolved<T> = { ok: true; value: T } | { ok: false; message: string };
type Resolve = (v: ValueOrExpression) => FeelResult;

/**
 * User task: a human task for the inbox, with assignment, schedule, form and
 * priority resolved (FEEL allowed) when the token arrives.
 */
export const userTaskBehaviour: Behaviour<'userTask'> = {
  activate(run, element, instance) {
    const variables = run.variablesFor(instance);
    const resolve: Resolve = (v) => resolveValue(v, variables, run.ctx.now);
    const assignee = optionalString(element.assignee, resolve, 'assignee');
    const groups = stringList(element.candidateGroups, resolve, 'candidateGroups');
    const users = stringList(element.candidateUsers, resolve, 'candidateUsers');
    const due = optionalDate(element.dueDate, resolve, 'dueDate');
    const followUp = optionalDate(element.followUpDate, resolve, 'followUpDate');
    const priority = priorityOf(element.priority, resolve);
    for (const r of [assignee, groups, users, due, followUp, priority]) {
      if (!r.ok) {
        run.openIncident(instance, { type: 'EXPRESSION_FAILED', message: r.message, retry: 'activate' });
        return;
      }
    }
    const id = run.ctx.newId();
    instance.taskId = id;
    run.emit({
      type: 'CREATE_TASK',
      task: {
        id,
        elementId: element.id,
        elementInstanceKey: instance.key,
        name: element.name,
        assignee: value(assignee),
        candidateGroups: value(groups),
        candidateUsers: value(users),
        dueDate: value(due),
        followUpDate: value(followUp),
        formId: element.formId,
        formKey: element.formKey,
        priority: value(priority),
        headers: element.headers,
        variables: run.variablesForWork(instance),
      },
    });
    run.audit('TASK_CREATED', instance, { taskId: id, assignee: value(assignee) ?? null });
  },
  terminate(run, _element, instance) {
    if (!instance.taskId) return;
    run.emit({ type: 'FINISH_TASK', taskId: instance.taskId, state: 'CANCELED' });
    run.audit('TASK_CANCELED', instance, { taskId: instance.taskId });
  },
};

/** The value of a result already checked to be ok. */
function value<T>(r: Resolved<T>): T {
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

function optionalString(v: ValueOrExpression | undefined, resolve: Resolve, field: string): Resolved<string | undefined> {
  if (!v) return { ok: true, value: undefined };
  const r = resolve(v);
  if (!r.ok) return r;
  if (r.value === null || r.value === '') return { ok: true, value: undefined };
  if (typeof r.value !== 'string') return { ok: false, message: `${field} must be a string, got ${JSON.stringify(r.value)}` };
  return { ok: true, value: r.value };
}

/** A literal is comma-separated (`sales, finance`); FEEL may give a list or one string. */
function stringList(v: ValueOrExpression | undefined, resolve: Resolve, field: string): Resolved<string[]> {
  if (!v) return { ok: true, value: [] };
  const r = resolve(v);
  if (!r.ok) return r;
  const value = r.value;
  if (value === null) return { ok: true, value: [] };
  if (typeof value === 'string') return { ok: true, value: value.split(',').map((s) => s.trim()).filter(Boolean) };
  if (Array.isArray(value) && value.every((x) => typeof x === 'string')) return { ok: true, value };
  return { ok: false, message: `${field} must be a list of strings, got ${JSON.stringify(value)}` };
}

function optionalDate(v: ValueOrExpression | undefined, resolve: Resolve, field: string): Resolved<string | undefined> {
  const s = optionalString(v, resolve, field);
  if (!s.ok || s.value === undefined) return s;
  const iso = zonedDateTimeToIso(s.value);
  if (iso === null) return { ok: false, message: `${field} must be an ISO 8601 date-time with a zone or offset, got '${s.value}'` };
  return { ok: true, value: iso };
}

function priorityOf(v: ValueOrExpression | undefined, resolve: Resolve): Resolved<number> {
  if (!v) return { ok: true, value: 50 };
  const r = resolve(v);
  if (!r.ok) return r;
  const n = Number(r.value);
  if (!Number.isInteger(n) || n < 0 || n > 100) return { ok: false, message: `priority must be an integer from 0 to 100, got ${JSON.stringify(r.value)}` };
  return { ok: true, value: n };
}
