/**
 * Every built-in connector's generated element template is valid against
 * Camunda's element-templates JSON Schema (what Camunda Modeler and the
 * template chooser accept), and binds what the SDK reads at run time.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { builtInConnectors } from '../../../connectors/built-in.js';
import { elementTemplates } from '../../../engine/features/modeler/element-templates.js';
import '../../../engine/features/connectors.js';

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('@camunda/zeebe-element-templates-json-schema/resources/schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('connector element templates', () => {
  for (const connector of builtInConnectors()) {
    it(`${connector.name}: validates against the Zeebe element-templates schema`, () => {
      // given
      const template = connector.elementTemplate();

      // when
      const valid = validate(template);

      // then
      expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
      expect(valid).toBe(true);
    });
  }

  it('every template the modeler is offered validates (agents, job workers, connectors, A2A, webhooks)', async () => {
    // given every feature's templates registered, as the server does at start
    await import('../../../engine/features/index.js');
    const templates = elementTemplates();
    expect(templates.map((t) => t.id)).toEqual(expect.arrayContaining(['io.weft.agent', 'io.weft.connectors.http', 'io.weft.connectors.mcp', 'io.weft.connectors.a2a']));
    expect(templates.some((t) => t.id.includes('webhook'))).toBe(true);
    // then
    for (const template of templates) {
      validate(template);
      expect(validate.errors ?? [], `${template.id}: ${JSON.stringify(validate.errors, null, 2)}`).toEqual([]);
    }
  });

  it('a template that breaks the schema is caught (the check can fail)', () => {
    const template = { ...builtInConnectors()[0].elementTemplate(), properties: [{ type: 'Dropdown', binding: { type: 'zeebe:input', name: 'x' } }] };
    expect(validate(template)).toBe(false);
  });

  it('binds the HTTP connector to its job type, its inputs by their Camunda names, and the connector headers', () => {
    // given
    const template = builtInConnectors().find((c) => c.type === 'http')!.elementTemplate();
    const bindings = template.properties.map((p) => p.binding as Record<string, string>);

    // then
    expect(bindings).toContainEqual({ type: 'zeebe:taskDefinition', property: 'type' });
    expect(template.properties[0]).toMatchObject({ type: 'Hidden', value: 'http' });
    const inputs = bindings.filter((b) => b.type === 'zeebe:input').map((b) => b.name);
    expect(inputs).toEqual(expect.arrayContaining(['method', 'url', 'headers', 'queryParameters', 'body', 'authentication.type', 'authentication.token', 'authentication.username', 'authentication.password',
      'authentication.name', 'authentication.value', 'authentication.apiKeyLocation', 'authentication.oauthTokenEndpoint', 'authentication.clientId', 'authentication.clientSecret', 'authentication.audience',
      'authentication.clientAuthentication', 'authentication.scopes', 'connectionTimeoutInSeconds', 'readTimeoutInSeconds']));
    const headers = bindings.filter((b) => b.type === 'zeebe:taskHeader').map((b) => b.key);
    expect(headers).toEqual(['resultVariable', 'resultExpression', 'errorExpression', 'retryBackoff']);
  });

  it('is registered for GET /api/element-templates', () => {
    expect(elementTemplates().map((t) => t.id)).toContain('io.weft.connectors.http');
  });
});
