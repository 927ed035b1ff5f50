/**
 * POST /v2/deployments: multipart, one part per file in the field
 * `resources`, an optional `tenantId` field. The files go through the
 * engine's own deploy (BPMN, DMN, forms, agent definitions: what
 * POST /api/deployments takes, allowed to the same roles); the answer lists
 * one entry per deployed thing with Camunda's numeric keys, the unused kinds
 * present and null, as the clients' types expect.
 */
import type express from 'express';
import type { Knex } from 'knex';
import multer from 'multer';
import { z } from 'zod';
import type { Access } from '../../api/access.js';
import { actorOf } from '../../api/auth.js';
import { MAX_RESOURCE_BYTES } from '../../api/deployment-routes.js';
import { guardParts } from '../../api/request-guard.js';
import { WeftError } from '../../errors.js';
import type { DecisionSummary, DeploymentResult, EngineApi } from '../../service/types.js';
import { keyOf, keysOf } from './keys.js';
import { DEFAULT_TENANT, tenantId } from './search.js';
import { allow, type ApiRouteId } from './v2-access.js';

export interface PartDeps {
  db: Knex;
  engine: EngineApi;
  access: (route: ApiRouteId) => Access;
}

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_RESOURCE_BYTES, files: 20, fields: 5 } });

const uploadResources: express.RequestHandler = (req, res, next) => {
  if (!req.is('multipart/form-data')) throw new WeftError('UNSUPPORTED_MEDIA_TYPE', "Send multipart/form-data with one part per file in the field 'resources'");
  upload.array('resources')(req, res, (err?: unknown) => {
    if (err instanceof multer.MulterError && err.code === 'LIMIT_UNEXPECTED_FILE') return next(new WeftError('BAD_REQUEST', `Unexpected file field '${err.field}': send files in the field 'resources'`));
    if (err && !(err instanceof multer.MulterError)) return next(new WeftError('BAD_REQUEST', `Malformed multipart body: ${(err as Error).message}`));
    next(err);
  });
};

const fields = z.object({ tenantId: tenantId.optional() });

interface Named {
  key: string;
  resourceName?: string;
}

async function entries(db: Knex, result: DeploymentResult, names: Map<string, string>) {
  const processKeys = await keysOf(db, 'process-definition', result.processes.map((p) => p.key));
  const out: Record<string, unknown>[] = [];
  const empty = { processDefinition: null, decisionDefinition: null, decisionRequirements: null, form: null, resource: null };
  for (const p of result.processes) {
    const processDefinition = { processDefinitionId: p.processId, processDefinitionVersion: p.version, resourceName: names.get(p.key) ?? `${p.processId}.bpmn`, tenantId: DEFAULT_TENANT, processDefinitionKey: processKeys.get(p.key)! };
    out.push({ ...empty, processDefinition });
  }
  for (const d of (result.decisions ?? []) as DecisionSummary[]) {
    const decisionRequirementsKey = await keyOf(db, 'decision-requirements', `${d.decisionRequirementsId}@${d.resourceName}`);
    const decisionDefinition = { decisionDefinitionId: d.decisionId, version: d.version, name: d.name ?? d.decisionId, tenantId: DEFAULT_TENANT, decisionRequirementsId: d.decisionRequirementsId, decisionDefinitionKey: await keyOf(db, 'decision-definition', d.key), decisionRequirementsKey };
    out.push({ ...empty, decisionDefinition });
  }
  for (const f of (result.forms ?? []) as (Named & { formId: string; version: number })[]) {
    out.push({ ...empty, form: { formId: f.formId, version: f.version, resourceName: f.resourceName ?? `${f.formId}.form`, tenantId: DEFAULT_TENANT, formKey: await keyOf(db, 'form', f.key) } });
  }
  return out;
}

export function deploymentPart(deps: PartDeps) {
  const route: ApiRouteId = 'POST /deployments';
  return (router: express.Router) => {
    router.post('/deployments', allow(deps.access(route), route), uploadResources, async (req, res) => {
      const files = Array.isArray(req.files) ? req.files : [];
      guardParts('body', files.map((f, i) => ({ path: `resources.${i}.filename`, value: f.originalname })));
      const { tenantId: tenant } = fields.parse(req.body ?? {});
      if (files.length === 0) throw new WeftError('BAD_REQUEST', "No resources: send one part per file in the multipart field 'resources'");
      const result = await deps.engine.deploy(files.map((f) => ({ name: f.originalname, content: f.buffer })), actorOf(res).id);
      const names = new Map<string, string>();
      const defs = await deps.engine.listDefinitions({ keys: result.processes.map((p) => p.key) });
      for (const d of defs) names.set(d.key, d.resourceName);
      res.json({ deploymentKey: await keyOf(deps.db, 'deployment', result.id), tenantId: tenant ?? DEFAULT_TENANT, deployments: await entries(deps.db, result, names) });
    });
  };
}
