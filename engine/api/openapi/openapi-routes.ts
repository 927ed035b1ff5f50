/**
 * GET /api/openapi.json: the document of every declared /api route
 * (openapi-document.ts), built once from the catalog the app mounted.
 *
 * Any authenticated caller may read it: it lists routes, parameters and who
 * may call each — what the code and the README say anyway — and no data.
 * Anonymous callers get 401 like every other /api path, so a server on a
 * network does not describe itself to whoever asks.
 */
import { EVERYONE } from '../access.js';
import { routes, type ApiRoute, type RouteInfo } from '../api-routes.js';
import { openApiDocument } from './openapi-document.js';

export const WEFT_API_INFO = {
  title: 'Weft REST API',
  version: '1',
  description: "Weft's own REST API under /api. Camunda 8's REST API under /v2 is described by Camunda's documentation, not here.",
};

export function openApiRoutes(catalog: () => RouteInfo[]): ApiRoute[] {
  let document: object | undefined;
  return routes('/openapi.json', (router) => {
    router.get('/', { access: EVERYONE, summary: 'This document: OpenAPI 3.1 for every /api route' }, (_req, res) => {
      document ??= openApiDocument(catalog(), WEFT_API_INFO);
      res.json(document);
    });
  });
}
