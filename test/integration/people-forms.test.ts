/**
 * People: `.form` files deployed with the diagrams (versioned by their id),
 * served to the inbox, and the server's own check of submitted data against
 * a form's rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { fixture } from '../fixtures/people/client.js';
import { validateFormData, type FormSchema } from '../../engine/features/people/form-validation.js';

describe('people: forms', () => {
  let t: TestWeft;
  const form = (changes: Record<string, unknown> = {}) => JSON.stringify({ ...JSON.parse(fixture('invoice-approval.form')), ...changes });

  beforeAll(async () => {
    t = await startTestWeft();
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('deployment', () => {
    it('deploys a form with its diagram and lists it; identical content keeps its version, new content is the next', async () => {
      // when
      const first = await t.api.deploy([
        { name: 'invoice-approval.bpmn', xml: fixture('invoice-approval.bpmn') },
        { name: 'invoice-approval.form', xml: form() },
      ]);
      const same = await t.api.deploy([{ name: 'invoice-approval.form', xml: form() }]);
      const changed = await t.api.deploy([{ name: 'invoice-approval.form', xml: form({ schemaVersion: 17 }) }]);
      // then
      expect(first.status).toBe(201);
      expect(first.body.forms).toEqual([{ key: expect.any(String), formId: 'invoice-approval-form', version: 1, resourceName: 'invoice-approval.form' }]);
      expect(same.body.forms[0]).toMatchObject({ version: 1, key: first.body.forms[0].key });
      expect(changed.body.forms[0]).toMatchObject({ version: 2 });
      const latest = await t.api.get('/api/forms/invoice-approval-form');
      expect(latest.body).toMatchObject({ formId: 'invoice-approval-form', version: 2, schema: { schemaVersion: 17 } });
      expect((await t.api.get('/api/forms/no-such-form')).status).toBe(404);
    });

    it('refuses a form that is not JSON, has no id, or a broken pattern, with 422 naming the file; nothing is stored', async () => {
      const notJson = await t.api.deploy([{ name: 'broken.form', xml: '{ nope' }]);
      const noId = await t.api.deploy([{ name: 'anonymous.form', xml: JSON.stringify({ components: [] }) }]);
      const badPattern = await t.api.deploy([
        { name: 'invoice-approval.bpmn', xml: fixture('invoice-approval.bpmn') },
        { name: 'pattern.form', xml: JSON.stringify({ id: 'pattern-form', components: [{ type: 'textfield', key: 'a', validate: { pattern: '([' } }] }) },
      ]);
      for (const res of [notJson, noId, badPattern]) expect(res.status).toBe(422);
      expect(notJson.body.error.details.problems[0]).toMatchObject({ file: 'broken.form', message: expect.stringMatching(/not JSON/) });
      expect(noId.body.error.details.problems[0].message).toMatch(/needs an `id`/);
      expect(badPattern.body.error.details.problems[0]).toMatchObject({ file: 'pattern.form', message: expect.stringMatching(/not a valid regular expression/) });
      expect((await t.api.get('/api/forms/pattern-form')).status).toBe(404);
    });
  });

  describe("the server's check of submitted data", () => {
    const schema: FormSchema = {
      id: 'f',
      components: [
        { type: 'textfield', key: 'name', label: 'Name', validate: { required: true, minLength: 2, maxLength: 5 } },
        { type: 'number', key: 'qty', validate: { min: 1, max: '=limit' }, decimalDigits: 0 },
        { type: 'textfield', key: 'email', validate: { validationType: 'email' } },
        { type: 'checkbox', key: 'agree', validate: { required: true } },
        { type: 'radio', key: 'size', values: [{ label: 'S', value: 's' }, { label: 'L', value: 'l' }] },
        { type: 'checklist', key: 'extras', values: [{ label: 'A', value: 'a' }] },
        { type: 'group', path: 'address', components: [{ type: 'textfield', key: 'city', validate: { required: true } }] },
        { type: 'dynamiclist', path: 'items', components: [{ type: 'number', key: 'price', validate: { required: true } }] },
        { type: 'textfield', key: 'secret', conditional: { hide: '=agree = true' }, validate: { required: true } },
      ],
    };
    const ok = { name: 'Ann', qty: 2, limit: 10, agree: true, address: { city: 'Oslo' }, items: [{ price: 1 }] };

    it('accepts data that keeps every rule (hidden fields are not checked)', () => {
      expect(validateFormData(schema, ok)).toEqual([]);
    });

    it('names each broken rule with the message form-js shows', () => {
      const problems = validateFormData(schema, {
        name: 'A very long name',
        qty: 11.5,
        limit: 10,
        email: 'not-an-email',
        agree: false,
        size: 'xl',
        extras: ['b'],
        address: {},
        items: [{ price: 1 }, { price: null }],
      });
      expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
        'name: Field must have maximum length of 5.',
        'qty: Value is expected to be an integer.',
        'qty: Field must have maximum value of 10.',
        'email: Field must be a valid email.',
        'agree: Field is required.',
        'size: Value is not one of the options.',
        'extras: Value is not one of the options.',
        'address.city: Field is required.',
        'items.1.price: Field is required.',
        'secret: Field is required.',
      ]);
    });

    it('refuses text in a number field and a number in a text field', () => {
      expect(validateFormData(schema, { ...ok, qty: '3' }).map((p) => p.message)).toEqual(['Value is not a number.']);
      expect(validateFormData(schema, { ...ok, name: 42 }).map((p) => p.message)).toEqual(['Value must be text.']);
    });
  });
});
