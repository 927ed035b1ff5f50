/**
 * Decisions (DMN) on a real Postgres: .dmn files deploy beside the diagrams,
 * versioned per file and per decision id (the same file again is the same
 * version, a changed one the next); POST /api/decisions/:id/evaluate
 * evaluates a version and records it; a decision that cannot be evaluated
 * is a 422 naming the decision and the input; bad tables are refused at
 * deploy naming file, decision and rule. Also the look-up a business rule
 * task's binding makes (latest, deployment, versionTag).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';

const dmn = (name: string) => readFileSync(new URL(`../fixtures/dmn/${name}`, import.meta.url), 'utf8');
const bpmn = readFileSync(new URL('../fixtures/runtime/business-rule-task.bpmn', import.meta.url), 'utf8');
const discount = dmn('discount.dmn');
const order = { customer: { status: 'gold' }, lines: [{ price: 600, quantity: 2 }] };

describe('decisions', () => {
  let t: TestWeft;

  beforeAll(async () => {
    t = await startTestWeft({ features: false });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('deploy with the diagram, and the deployment lists them', async () => {
    // when
    const res = await t.api.deploy([{ name: 'business-rule-task.bpmn', xml: bpmn }, { name: 'discount.dmn', xml: discount }]);
    // then
    expect(res.status).toBe(201);
    expect(res.body.processes.map((p: { processId: string }) => p.processId).sort()).toEqual(['by-worker', 'pricing', 'regional']);
    expect(res.body.decisions).toEqual([
      expect.objectContaining({ decisionId: 'discount', version: 1, name: 'Discount', decisionRequirementsId: 'discount-rules', resourceName: 'discount.dmn', versionTag: null }),
      expect.objectContaining({ decisionId: 'orderTotal', version: 1 }),
      expect.objectContaining({ decisionId: 'summary', version: 1 }),
    ]);
    const listed = await t.api.get('/api/decisions');
    expect(listed.body.items.map((d: { decisionId: string; version: number }) => `${d.decisionId}@${d.version}`)).toEqual(['discount@1', 'orderTotal@1', 'summary@1']);
  });

  it('evaluate through the API: the result, the matched rules and every decision evaluated, recorded in the audit', async () => {
    // when
    const res = await t.api.post('/api/decisions/discount/evaluate', { variables: order });
    // then
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ decisionId: 'discount', version: 1, result: 0.15, matchedRules: [{ ruleId: 'gold-large', ruleIndex: 1, outputs: { discount: 0.15 } }] });
    expect(res.body.evaluatedDecisions.map((d: { decisionId: string }) => d.decisionId)).toEqual(['orderTotal', 'discount']);
    const audit = await t.weft.db('audit').where({ type: 'DECISION_EVALUATED' }).orderBy('id', 'desc').first();
    expect(audit).toMatchObject({ actor: 'admin', process_instance_id: null, payload: expect.objectContaining({ decisionId: 'discount', version: 1, result: 0.15 }) });
  });

  it('a decision that cannot be evaluated with the variables is a 422 naming the decision and the input', async () => {
    const res = await t.api.post('/api/decisions/discount/evaluate', { variables: { lines: [] } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('DECISION_EVALUATION_FAILED');
    expect(res.body.error.message).toMatch(/^Decision 'discount' could not be evaluated: input "Customer status" \(customer.status\): /);
    expect(res.body.error.details.failure).toMatchObject({ decisionId: 'discount', input: { id: 'in-status', name: 'Customer status' } });
  });

  it('an unknown decision or version is a 404, a bad body a 400', async () => {
    expect((await t.api.post('/api/decisions/nope/evaluate', { variables: {} })).body.error).toMatchObject({ code: 'DECISION_NOT_FOUND', message: "No decision 'nope' is deployed" });
    expect((await t.api.post('/api/decisions/discount/evaluate', { variables: {}, version: 9 })).status).toBe(404);
    const bad = await t.api.post('/api/decisions/discount/evaluate', { variables: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: 'variables', message: 'must be a JSON object' }]);
  });

  it('are versioned like processes: the same file again is the same version, a changed one the next', async () => {
    // when the same file is deployed again
    const again = await t.api.deploy([{ name: 'discount.dmn', xml: discount }]);
    // then
    expect(again.status).toBe(201);
    expect(again.body.decisions.map((d: { decisionId: string; version: number }) => `${d.decisionId}@${d.version}`)).toEqual(['discount@1', 'orderTotal@1', 'summary@1']);
    expect(again.body.processes).toEqual([]);

    // when a changed file is deployed (gold customers get 20 % on large orders)
    const changed = await t.api.deploy([{ name: 'discount.dmn', xml: discount.replace('<text>0.15</text>', '<text>0.2</text>') }]);
    // then every decision of the file has a new version, the new one is evaluated by default, the old one on request
    expect(changed.body.decisions.map((d: { decisionId: string; version: number }) => `${d.decisionId}@${d.version}`)).toEqual(['discount@2', 'orderTotal@2', 'summary@2']);
    expect((await t.api.post('/api/decisions/discount/evaluate', { variables: order })).body).toMatchObject({ version: 2, result: 0.2 });
    expect((await t.api.post('/api/decisions/discount/evaluate', { variables: order, version: 1 })).body).toMatchObject({ version: 1, result: 0.15 });
    const file = await fetch(`${t.weft.url}/api/decisions/discount/xml?version=2`, { headers: { authorization: `Bearer ${t.config.adminToken}` } });
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="discount.dmn"');
    expect(await file.text()).toContain('<text>0.2</text>');
  });

  it('a business rule task\'s binding finds the latest, the one deployed with its process, or the one with a version tag', async () => {
    // given: pricing was deployed with discount version 1; discount is at version 2 now; a tagged risk-eu
    const pricing = await t.weft.db('process_definitions').where({ process_id: 'pricing' }).first('deployment_id');
    const tagged = dmn('hit-policies.dmn').replace('id="hit-policies"', 'id="risk"').replace(/id="unique"/, 'id="risk-eu"')
      .replace('<decision id="risk-eu" name="Unique">', '<decision id="risk-eu" name="Unique"><extensionElements><zeebe:versionTag value="2026" /></extensionElements>')
      .replace('<definitions ', '<definitions xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" ');
    expect((await t.api.deploy([{ name: 'risk.dmn', xml: tagged }])).status).toBe(201);
    const { decisions } = t.weft.engine;
    // then
    expect(await decisions.resolve('discount', { type: 'latest' }, pricing.deployment_id)).toMatchObject({ decisionId: 'discount', version: 2 });
    expect(await decisions.resolve('discount', { type: 'deployment' }, pricing.deployment_id)).toMatchObject({ version: 1 });
    expect(await decisions.resolve('risk-eu', { type: 'versionTag', versionTag: '2026' }, pricing.deployment_id)).toMatchObject({ version: 1 });
    expect(await decisions.resolve('risk-eu', { type: 'versionTag', versionTag: '2025' }, pricing.deployment_id)).toBeUndefined();
    expect(await decisions.resolve('nope', { type: 'latest' }, pricing.deployment_id)).toBeUndefined();
  });

  it('a file with bad tables is refused whole, naming the file, the decision and the rule or input', async () => {
    // when
    const res = await t.api.deploy([{ name: 'business-rule-task.bpmn', xml: bpmn.replace(/"pricing"/g, '"pricing-2"') }, { name: 'bad-tables.dmn', xml: dmn('bad-tables.dmn') }]);
    // then
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('INVALID_MODEL');
    expect(res.body.error.details.problems[0]).toEqual({
      file: 'bad-tables.dmn',
      elementId: 'bad-entry',
      elementKind: 'dmn:DecisionTable',
      field: 'rule:broken-rule/input:status',
      message: 'Decision "bad-entry": rule 1 ("broken-rule"), input "Status" (status): ">= "gold" ,," is not a valid FEEL unary test: unexpected "," at position 12',
    });
    expect(await t.weft.db('process_definitions').where({ process_id: 'pricing-2' })).toEqual([]);
    expect(await t.weft.db('decision_definitions').where({ decision_id: 'bad-entry' })).toEqual([]);
  });

  it('a .dmn that is not XML is a 400, two files holding one decision a 422', async () => {
    const broken = await t.api.deploy([{ name: 'broken.dmn', xml: '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"><decision' }]);
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('INVALID_XML');
    const copy = discount.replace('id="discount-rules"', 'id="discount-copy"');
    const twice = await t.api.deploy([{ name: 'a.dmn', xml: copy }, { name: 'b.dmn', xml: copy.replace('id="discount-copy"', 'id="discount-copy-2"') }]);
    expect(twice.status).toBe(422);
    expect(twice.body.error.details.problems).toEqual([expect.objectContaining({ file: 'b.dmn', elementId: 'discount', message: 'Decision "discount" is in two files of this deployment' })]);
  });
});

describe('business rule tasks', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft({ features: false });
    expect((await t.api.deploy([{ name: 'business-rule-task.bpmn', xml: bpmn }, { name: 'discount.dmn', xml: discount }])).status).toBe(201);
  });
  afterAll(async () => t?.stop());

  it('evaluate their decision in the step that reaches them, and the process goes on with the result', async () => {
    // when
    const started = await t.api.post('/api/process-instances', { processId: 'pricing', variables: order });
    // then
    expect(started.status).toBe(201);
    const instance = await t.api.get(`/api/process-instances/${started.body.id}`);
    expect(instance.body.variables).toMatchObject({ discount: expect.any(Number), percent: expect.any(Number) });
    expect(instance.body.variables.percent).toBeCloseTo(instance.body.variables.discount * 100);
    const job = await t.weft.db('jobs').where({ process_instance_id: started.body.id }).first('type', 'element_id');
    expect(job).toEqual({ type: 'charge', element_id: 'charge' });
  });

  it('a decision that is not deployed for the binding is an incident naming it', async () => {
    // when
    const started = await t.api.post('/api/process-instances', { processId: 'regional', variables: { region: 'north' } });
    // then
    const incidents = await t.api.get(`/api/incidents?processInstanceId=${started.body.id}`);
    expect(incidents.body.items).toMatchObject([{ type: 'CALLED_DECISION_NOT_FOUND', elementId: 'classify', message: expect.stringContaining('risk-north') }]);
  });
});
