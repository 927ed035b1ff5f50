/**
 * Every /v2 route (Camunda 8's REST API on Weft) and the /api route whose
 * callers it admits (null: any authenticated caller). The route matrix
 * (test/integration/security/route-access-matrix.test.ts) checks the roles
 * against it and the API fuzz (test/integration/api-fuzz.test.ts) mutates
 * every entry, so a /v2 route added without a row here is a gap both show.
 */
export const V2_ROUTES: [route: string, apiRoute: string | null][] = [
  ['GET /v2/topology', null],
  ['GET /v2/authentication/me', null],
  ['POST /v2/deployments', 'POST /deployments'],
  ['POST /v2/process-instances', 'POST /process-instances'],
  ['POST /v2/process-instances/search', 'GET /process-instances'],
  ['GET /v2/process-instances/:key', 'GET /process-instances/:id'],
  ['POST /v2/process-instances/:key/cancellation', 'POST /process-instances/:id/cancel'],
  ['POST /v2/jobs/activation', 'POST /jobs/activate'],
  ['POST /v2/jobs/search', 'POST /jobs/activate'],
  ['POST /v2/jobs/:jobKey/completion', 'POST /jobs/:key/complete'],
  ['POST /v2/jobs/:jobKey/failure', 'POST /jobs/:key/fail'],
  ['POST /v2/jobs/:jobKey/error', 'POST /jobs/:key/bpmn-error'],
  ['PATCH /v2/jobs/:jobKey', 'POST /jobs/:key/fail'],
  ['POST /v2/messages/publication', 'POST /messages'],
  ['POST /v2/messages/correlation', 'POST /messages'],
  ['POST /v2/signals/broadcast', 'POST /signals'],
  ['POST /v2/incidents/search', 'GET /incidents'],
  ['GET /v2/incidents/:incidentKey', 'GET /incidents'],
  ['POST /v2/incidents/:incidentKey/resolution', 'POST /incidents/:id/resolve'],
  ['POST /v2/variables/search', 'GET /process-instances/:id'],
  ['GET /v2/variables/:variableKey', 'GET /process-instances/:id'],
  ['POST /v2/user-tasks/search', 'GET /tasks'],
  ['GET /v2/user-tasks/:userTaskKey', 'GET /tasks/:id'],
  ['POST /v2/user-tasks/:userTaskKey/assignment', 'POST /tasks/:id/claim'],
  ['DELETE /v2/user-tasks/:userTaskKey/assignee', 'POST /tasks/:id/unclaim'],
  ['POST /v2/user-tasks/:userTaskKey/completion', 'POST /tasks/:id/complete'],
  ['GET /v2/user-tasks/:userTaskKey/form', 'GET /tasks/:id'],
  ['POST /v2/user-tasks/:userTaskKey/variables/search', 'GET /tasks/:id'],
  ['POST /v2/process-definitions/search', 'GET /process-definitions'],
  ['GET /v2/process-definitions/:processDefinitionKey', 'GET /process-definitions'],
  ['GET /v2/process-definitions/:processDefinitionKey/xml', 'GET /process-definitions/:key/xml'],
];
