import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { elementTemplates } from '../../../engine/features/modeler/element-templates.js';
import '../../../engine/features/webhooks/webhook-templates.js';

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('@camunda/zeebe-element-templates-json-schema/resources/schema.json'), 'utf8'));

describe("Weft's webhook element templates", () => {
  const webhooks = elementTemplates().filter((t) => t.id.startsWith('io.weft.webhook.'));

  it('are offered for the start, message start, catch and boundary events', () => {
    expect(webhooks.map((t) => t.id).sort()).toEqual(['io.weft.webhook.boundary', 'io.weft.webhook.intermediate', 'io.weft.webhook.message-start', 'io.weft.webhook.start']);
  });

  it("are valid Zeebe element templates, with Camunda's property bindings", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate({ id: 'x', properties: [{ binding: { type: 'zeebe:property' } }] })).toBe(false);
    for (const template of webhooks) {
      expect(validate(template), `${template.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
      const bound = template.properties.map((p) => (p.binding as { name?: string }).name);
      expect(bound).toEqual(expect.arrayContaining(['inbound.type', 'inbound.context', 'inbound.method', 'inbound.shouldValidateHmac', 'inbound.hmacSecret', 'inbound.hmacHeader', 'inbound.hmacAlgorithm', 'inbound.auth.type', 'resultVariable', 'resultExpression', 'activationCondition']));
    }
  });
});
