/**
 * Server-side validation of submitted task data against a form-js schema's
 * own rules: required, min/max, minLength/maxLength, pattern, email/phone,
 * number type and decimal digits, and the options of selects, radios,
 * checklists and tag lists. Messages match form-js's, so the page and the
 * server say the same thing. The browser is never trusted: form-js bundles its
 * own FEEL engine, so FEEL in rules (`=…`) and `conditional.hide` are
 * evaluated here with the engine's FEEL (feelin); a rule whose expression
 * fails is skipped, a field whose hide condition holds is not validated.
 */
import { evaluateFeel } from '../../runtime/feel.js';
import { describeLimit, feelLimits } from '../../runtime/feel-limits.js';
import { withinTime } from '../../runtime/feel-sandbox.js';
import type { Variables } from '../../runtime/types.js';

export interface FormComponent {
  type: string;
  id?: string;
  key?: string;
  path?: string;
  label?: string;
  validate?: {
    required?: boolean;
    min?: number | string;
    max?: number | string;
    minLength?: number | string;
    maxLength?: number | string;
    pattern?: string;
    patternErrorMessage?: string;
    validationType?: 'email' | 'phone' | 'custom';
  };
  values?: { label: string; value: unknown }[];
  components?: FormComponent[];
  conditional?: { hide?: string };
  decimalDigits?: number;
  serializeToString?: boolean;
  [other: string]: unknown;
}

export interface FormSchema {
  id: string;
  type?: string;
  components: FormComponent[];
  [other: string]: unknown;
}

export interface FieldProblem {
  /** The variable's path, e.g. `amount` or `address.city` or `items.0.qty`. */
  path: string;
  label?: string;
  message: string;
}

const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const PHONE = /^(\+|00)\d{6,20}$/;
const TEXT_TYPES = new Set(['textfield', 'textarea']);
const OPTION_TYPES = new Set(['select', 'radio']);
const MULTI_TYPES = new Set(['checklist', 'taglist']);

/** Deploy-time problems of a form file (messages only; the caller adds the file name). */
export function checkFormSchema(schema: unknown): string[] {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return ['Not a form: expected a form-js JSON object'];
  const s = schema as Partial<FormSchema>;
  const problems: string[] = [];
  if (typeof s.id !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/.test(s.id)) problems.push('The form needs an `id` (letters, digits, . _ -): user tasks link it as their formId');
  if (!Array.isArray(s.components)) return [...problems, 'The form needs a `components` array'];
  const keys = new Set<string>();
  walk(s.components, '', (component, path) => {
    const where = component.key ? `field '${path}'` : `component ${component.id ?? component.type}`;
    if (typeof component.type !== 'string') problems.push(`${where}: every component needs a type`);
    if (component.key) {
      if (keys.has(path)) problems.push(`${where}: the key is used twice`);
      keys.add(path);
    }
    const pattern = component.validate?.pattern;
    if (pattern !== undefined) {
      try {
        new RegExp(pattern);
      } catch {
        problems.push(`${where}: pattern ${pattern} is not a valid regular expression`);
      }
    }
    for (const rule of ['min', 'max', 'minLength', 'maxLength'] as const) {
      const value = component.validate?.[rule];
      if (value !== undefined && typeof value !== 'number' && !(typeof value === 'string' && value.startsWith('='))) {
        problems.push(`${where}: validate.${rule} must be a number or a FEEL expression`);
      }
    }
  });
  return problems;
}

/** Every rule the data breaks; empty when the form accepts it. */
export function validateFormData(schema: FormSchema, data: Variables): FieldProblem[] {
  const problems: FieldProblem[] = [];
  check(schema.components, data, '', data, problems);
  return problems;
}

function check(components: FormComponent[], scope: Variables, prefix: string, all: Variables, problems: FieldProblem[]): void {
  for (const component of components) {
    if (isHidden(component, all)) continue;
    if (component.type === 'dynamiclist' && component.path) {
      const items = get(scope, component.path);
      if (Array.isArray(items)) {
        items.forEach((item, index) => {
          if (item && typeof item === 'object') check(component.components ?? [], item as Variables, `${prefix}${component.path}.${index}.`, all, problems);
        });
      }
      continue;
    }
    if (component.components) {
      // A group with a path nests its fields' values under it.
      const nested = component.path ? ((get(scope, component.path) ?? {}) as Variables) : scope;
      check(component.components, nested, component.path ? `${prefix}${component.path}.` : prefix, all, problems);
      continue;
    }
    if (!component.key || component.type === 'expression' || component.type === 'filepicker') continue;
    for (const message of fieldErrors(component, get(scope, component.key), all)) {
      problems.push({ path: prefix + component.key, label: component.label, message });
    }
  }
}

function fieldErrors(field: FormComponent, value: unknown, all: Variables): string[] {
  const errors: string[] = [];
  const rules = field.validate ?? {};
  const empty = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0) || (field.type === 'checkbox' && value === false);
  if (rules.required && empty) return ['Field is required.'];
  if (empty) return [];

  if (field.type === 'number') {
    const number = typeof value === 'number' ? value : field.serializeToString && typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(number)) return ['Value is not a number.'];
    if (typeof field.decimalDigits === 'number' && field.decimalDigits >= 0 && decimals(number) > field.decimalDigits) {
      errors.push(field.decimalDigits === 0 ? 'Value is expected to be an integer.' : `Value is expected to have at most ${field.decimalDigits} decimal digit${field.decimalDigits > 1 ? 's' : ''}.`);
    }
    const min = ruleNumber(rules.min, all);
    const max = ruleNumber(rules.max, all);
    if (min !== undefined && number < min) errors.push(`Field must have minimum value of ${min}.`);
    if (max !== undefined && number > max) errors.push(`Field must have maximum value of ${max}.`);
    return errors;
  }
  if (field.type === 'checkbox') return typeof value === 'boolean' ? [] : ['Value must be true or false.'];
  if (OPTION_TYPES.has(field.type) && field.values) {
    return field.values.some((o) => o.value === value) ? [] : ['Value is not one of the options.'];
  }
  if (MULTI_TYPES.has(field.type)) {
    if (!Array.isArray(value)) return ['Value must be a list.'];
    if (field.values && !value.every((v) => field.values!.some((o) => o.value === v))) errors.push('Value is not one of the options.');
    return errors;
  }
  if (TEXT_TYPES.has(field.type) || field.type === 'datetime') {
    if (typeof value !== 'string') return ['Value must be text.'];
    const text = value;
    if (rules.pattern) errors.push(...matchPattern(rules.pattern, text, rules.patternErrorMessage));
    const minLength = ruleNumber(rules.minLength, all);
    const maxLength = ruleNumber(rules.maxLength, all);
    if (minLength !== undefined && text.trim().length < minLength) errors.push(`Field must have minimum length of ${minLength}.`);
    if (maxLength !== undefined && text.trim().length > maxLength) errors.push(`Field must have maximum length of ${maxLength}.`);
    if (rules.validationType === 'email' && !EMAIL.test(text)) errors.push('Field must be a valid email.');
    if (rules.validationType === 'phone' && !PHONE.test(text)) errors.push('Field must be a valid  international phone number. (e.g. +4930664040900)');
  }
  return errors;
}

/**
 * The form author's pattern against the submitted text, on the event loop: a pattern that
 * backtracks catastrophically (`(a+)+$`) is stopped at the FEEL time limit, as user expressions are.
 */
function matchPattern(pattern: string, text: string, message: string | undefined): string[] {
  const { timeMs } = feelLimits();
  const matched = withinTime(timeMs, () => new RegExp(pattern).test(text));
  if (!matched.ok) return [`Field pattern ${pattern} could not be checked: it ran past the ${describeLimit('timeMs', timeMs)}.`];
  return matched.value ? [] : [message || `Field must match pattern ${pattern}.`];
}

function isHidden(component: FormComponent, data: Variables): boolean {
  const hide = component.conditional?.hide;
  if (typeof hide !== 'string' || !hide.trim()) return false;
  const result = evaluateFeel(hide.replace(/^\s*=/, ''), data, new Date().toISOString());
  return result.ok && result.value === true;
}

function ruleNumber(rule: number | string | undefined, data: Variables): number | undefined {
  if (typeof rule === 'number') return rule;
  if (typeof rule !== 'string' || !rule.startsWith('=')) return undefined;
  const result = evaluateFeel(rule.slice(1), data, new Date().toISOString());
  return result.ok && typeof result.value === 'number' ? result.value : undefined;
}

function decimals(n: number): number {
  const text = String(n);
  if (text.includes('e-')) return Number(text.split('e-')[1]);
  return text.includes('.') ? text.split('.')[1].length : 0;
}

function get(scope: unknown, path: string): unknown {
  let current = scope;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function walk(components: FormComponent[], prefix: string, visit: (c: FormComponent, path: string) => void): void {
  for (const component of components ?? []) {
    if (!component || typeof component !== 'object') continue;
    visit(component, prefix + (component.key ?? ''));
    if (Array.isArray(component.components)) walk(component.components, component.path ? `${prefix}${component.path}.` : prefix, visit);
  }
}
