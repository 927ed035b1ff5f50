/**
 * The HTTP connector's inputs, named as Camunda 8's REST connector names
 * them (template io.camunda.connectors.HttpJson.v2, job type
 * io.camunda:http-json:1), so its diagrams run unchanged. Literal inputs
 * arrive as text ("20", "false"): numbers and flags accept either.
 */
import { z } from 'zod';
import type { InputField } from '../sdk/define-connector.js';

const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const scalar = z.union([z.string(), z.number(), z.boolean()]);
// At most a day: past 2^31 ms node's timers fire at once, so a larger bound would be no bound at all.
const seconds = z.coerce.number({ error: 'must be a number of seconds' }).int('must be a whole number of seconds').min(0, 'must be 0 (no limit) or more').max(86_400, 'must be at most 86400 (a day)');
const httpUrl = (what: string) => z.string({ error: `must be ${what}` }).refine((u) => /^https?:\/\/[^/\s]/i.test(u.trim()), `must be ${what}`);
/** An HTTP header name (RFC 9110 token), and a value without line breaks. */
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/);
const headerValue = scalar.refine((v) => !/[\r\n\0]/.test(String(v)), 'must not hold a line break or NUL');
const text = (what: string) => z.string({ error: `must be ${what}` }).min(1, `must not be empty`);

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

const authentication = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('noAuth') }),
    z.object({ type: z.literal('bearer'), token: text('the bearer token') }),
    z.object({ type: z.literal('basic'), username: text('the user name'), password: z.string({ error: 'must be the password' }) }),
    z.object({
      type: z.literal('apiKey'),
      name: text('the API key name'),
      value: text('the API key'),
      apiKeyLocation: z.enum(['headers', 'query'], { error: "must be 'headers' or 'query'" }).default('headers'),
    }),
    z.object({
      type: z.literal('oauth-client-credentials-flow'),
      oauthTokenEndpoint: httpUrl('the token endpoint, an http:// or https:// URL'),
      clientId: text('the client id'),
      clientSecret: text('the client secret'),
      audience: z.string().nullish(),
      clientAuthentication: z.enum(['basicAuthHeader', 'credentialsBody'], { error: "must be 'basicAuthHeader' or 'credentialsBody'" }).default('basicAuthHeader'),
      scopes: z.string().nullish(),
    }),
  ],
  { error: "must be one of noAuth, bearer, basic, apiKey, oauth-client-credentials-flow" },
);

export const httpInputs = z.object({
  method: z
    .string({ error: 'must be an HTTP method' })
    .default('GET')
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(METHODS, { error: `must be one of ${METHODS.join(', ')}` })),
  url: httpUrl('an http:// or https:// URL'),
  headers: z.record(headerName, headerValue, { error: (issue) => (issue.code === 'invalid_type' ? 'must be a context of header names and values' : issue.code === 'invalid_key' ? 'is not an HTTP header name' : undefined) }).nullish(),
  queryParameters: z.record(z.string(), z.union([scalar, z.array(scalar), z.null()]), { error: 'must be a context of parameter names and values' }).nullish(),
  body: z.unknown().optional(),
  authentication: authentication.default({ type: 'noAuth' }),
  connectionTimeoutInSeconds: seconds.default(20),
  readTimeoutInSeconds: seconds.default(20),
  ignoreNullValues: flag.default(false),
});

export type HttpInputs = z.infer<typeof httpInputs>;
export type Authentication = HttpInputs['authentication'];

const onAuth = (type: string) => ({ field: 'authentication.type', equals: type });

/** The form, field by field, as Camunda's REST connector template lays it out. */
export const httpFields: Record<string, InputField> = {
  'authentication.type': {
    label: 'Type',
    description: "Choose the authentication type. Select 'None' if no authentication is necessary",
    group: 'authentication',
    value: 'noAuth',
    choices: [
      { name: 'API key', value: 'apiKey' },
      { name: 'Basic', value: 'basic' },
      { name: 'Bearer token', value: 'bearer' },
      { name: 'None', value: 'noAuth' },
      { name: 'OAuth 2.0', value: 'oauth-client-credentials-flow' },
    ],
  },
  'authentication.apiKeyLocation': {
    label: 'API key location',
    group: 'authentication',
    value: 'headers',
    choices: [
      { name: 'Headers', value: 'headers' },
      { name: 'Query parameters', value: 'query' },
    ],
    when: onAuth('apiKey'),
  },
  'authentication.name': { label: 'API key name', group: 'authentication', feel: 'optional', when: onAuth('apiKey') },
  'authentication.value': { label: 'API key value', group: 'authentication', feel: 'optional', secret: true, placeholder: '{{secrets.MY_API_KEY}}', when: onAuth('apiKey') },
  'authentication.username': { label: 'Username', group: 'authentication', feel: 'optional', when: onAuth('basic') },
  'authentication.password': { label: 'Password', group: 'authentication', feel: 'optional', secret: true, when: onAuth('basic') },
  'authentication.token': { label: 'Bearer token', group: 'authentication', feel: 'optional', secret: true, placeholder: '{{secrets.MY_TOKEN}}', when: onAuth('bearer') },
  'authentication.oauthTokenEndpoint': { label: 'OAuth 2.0 token endpoint', group: 'authentication', feel: 'optional', when: onAuth('oauth-client-credentials-flow') },
  'authentication.clientId': { label: 'Client ID', group: 'authentication', feel: 'optional', when: onAuth('oauth-client-credentials-flow') },
  'authentication.clientSecret': { label: 'Client secret', group: 'authentication', feel: 'optional', secret: true, when: onAuth('oauth-client-credentials-flow') },
  'authentication.audience': { label: 'Audience', group: 'authentication', feel: 'optional', optional: true, when: onAuth('oauth-client-credentials-flow') },
  'authentication.clientAuthentication': {
    label: 'Client authentication',
    group: 'authentication',
    value: 'basicAuthHeader',
    choices: [
      { name: 'Send client credentials in body', value: 'credentialsBody' },
      { name: 'Send as Basic Auth header', value: 'basicAuthHeader' },
    ],
    when: onAuth('oauth-client-credentials-flow'),
  },
  'authentication.scopes': { label: 'Scopes', group: 'authentication', feel: 'optional', optional: true, placeholder: 'read:contacts', when: onAuth('oauth-client-credentials-flow') },
  method: { label: 'Method', group: 'endpoint', value: 'GET', choices: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => ({ name: m, value: m })) },
  url: { label: 'URL', group: 'endpoint', feel: 'optional', description: 'Calls to private and loopback addresses need the administrator’s WEFT_CONNECTOR_ALLOW' },
  headers: { label: 'Headers', group: 'endpoint', feel: 'required', optional: true, description: 'Map of HTTP headers to add to the request' },
  queryParameters: { label: 'Query parameters', group: 'endpoint', feel: 'required', optional: true, description: 'Map of query parameters to add to the request URL' },
  connectionTimeoutInSeconds: { label: 'Connection timeout in seconds', group: 'timeout', type: 'String', value: '20', description: 'Use 0 for no limit' },
  readTimeoutInSeconds: { label: 'Read timeout in seconds', group: 'timeout', type: 'String', value: '20', description: 'Use 0 for no limit' },
  body: { label: 'Request body', group: 'payload', type: 'Text', feel: 'optional', optional: true, description: 'JSON unless a Content-Type header says otherwise', when: { field: 'method', oneOf: ['POST', 'PUT', 'PATCH'] } },
};

export const httpGroups = [
  { id: 'authentication', label: 'Authentication' },
  { id: 'endpoint', label: 'HTTP endpoint' },
  { id: 'timeout', label: 'Connection timeout' },
  { id: 'payload', label: 'Payload' },
];
