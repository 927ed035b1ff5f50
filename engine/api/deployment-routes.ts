/**
 * POST /api/deployments — BPMN files as multipart (field `files`, several at
 * once) or one raw XML body (name from `?name=` or `X-Resource-Name`).
 */
import express, { type RequestHandler } from 'express';
import { MODELERS } from './access.js';
import { routes, type ApiRoute } from './api-routes.js';
import multer from 'multer';
import type { DeploymentResource, EngineApi } from '../service/types.js';
import { WeftError } from '../errors.js';
import { actorOf } from './auth.js';
import { guardParts } from './request-guard.js';
import { z } from 'zod';
import { queryOf } from './route-input.js';
import { resourceName } from './schemas.js';

export const MAX_RESOURCE_BYTES = 5 * 1024 * 1024;
const XML_TYPES = ['application/xml', 'text/xml', 'application/*+xml'];

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_RESOURCE_BYTES, files: 20 } });

/** multer hands busboy's own errors (e.g. a missing boundary) through as plain Errors: they are the client's fault. */
const uploadFiles: RequestHandler = (req, res, next) => {
  upload.array('files')(req, res, (err?: unknown) => {
    if (err && !(err instanceof multer.MulterError)) {
      return next(new WeftError('BAD_REQUEST', `Malformed multipart body: ${(err as Error).message}`));
    }
    next(err);
  });
};

const rawXml = express.raw({ type: XML_TYPES, limit: MAX_RESOURCE_BYTES });

/** Parse the body by its content type; an empty request falls through to the "no resources" 400. */
const parseResources: RequestHandler = (req, res, next) => {
  if (req.is('multipart/form-data')) return uploadFiles(req, res, next);
  if (req.is(XML_TYPES)) return rawXml(req, res, next);
  const noBody = req.is('*/*') === null || req.get('content-length') === '0';
  if (!noBody) {
    throw new WeftError('UNSUPPORTED_MEDIA_TYPE', `Unsupported Content-Type '${req.get('content-type')}'; send multipart/form-data (field 'files') or application/xml`);
  }
  next();
};

/** `?name=` names a raw XML body (or the X-Resource-Name header does). */
const deploymentQuery = z.object({ name: resourceName.optional().describe('The file name of a raw XML body (or header X-Resource-Name); diagram.bpmn by default') });

/** What the multipart body holds, for the document: multer reads it (parseResources). */
const deploymentForm = z.object({
  files: z.array(z.string().meta({ format: 'binary' })).describe('.bpmn, .dmn, .form and .agent.json files, up to 20, each up to 5 MiB'),
});

function resourcesOf(req: express.Request, res: express.Response): DeploymentResource[] {
  if (Array.isArray(req.files)) {
    // Parsed after the request guard ran: a name like `filename*=utf-8''a%00b.bpmn` decodes to NUL.
    guardParts('body', req.files.map((f, i) => ({ path: `files.${i}.filename`, value: f.originalname })));
    return req.files.map((f) => ({ name: f.originalname, content: f.buffer }));
  }
  if (Buffer.isBuffer(req.body) && req.body.length > 0) {
    const name = queryOf(res, deploymentQuery).name ?? resourceName.parse(req.get('x-resource-name') ?? 'diagram.bpmn');
    return [{ name, content: req.body }];
  }
  return [];
}

export function deploymentRoutes(engine: EngineApi): ApiRoute[] {
  return routes('/deployments', (router) => {
    const spec = { access: MODELERS, summary: 'Deploy BPMN, DMN, form and agent files (multipart field files, or one application/xml body)', query: deploymentQuery, form: { contentType: 'multipart/form-data', schema: deploymentForm } };
    router.post('/', spec, parseResources, async (req, res) => {
      const resources = resourcesOf(req, res);
      if (resources.length === 0) {
        throw new WeftError('BAD_REQUEST', "No BPMN resources: send files in multipart field 'files' or an application/xml body");
      }
      const result = await engine.deploy(resources, actorOf(res).id);
      res.status(201).json(result);
    });
  });
}
