/**
 * Request mutations for the API fuzz test (test/integration/api-fuzz.test.ts),
 * drawn from a seeded PRNG so a failing run can be replayed exactly
 * (WEFT_FUZZ_SEED). Pure: no I/O; each case is a raw HTTP request whose path
 * is sent letter for letter (no URL normalisation of `..` or `%2e`).
 */

export interface FuzzCase {
  /** What was mutated, for the failure report. */
  label: string;
  method: string;
  /** The request target as sent: path and query, already percent-encoded (or deliberately not). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface FuzzRoute {
  method: string;
  /** Express path, e.g. `/process-definitions/:key/xml` (relative to `base`). */
  path: string;
  /** Mount point: `/api` or `` for routes outside it. */
  base: string;
  /** Real values for the route's parameters, so valid-looking requests reach deep code. */
  params: Record<string, string>;
  /** A body the route accepts, one field of which is mutated. */
  validBody?: Record<string, unknown>;
  /** Headers every request of this route carries (the admin token). */
  headers: Record<string, string>;
}

/** mulberry32: small, fast, and good enough to pick mutations. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)];

/** Path parameter values, as they go into the URL. `valid` is the real one. */
function pathValues(valid: string): string[] {
  return [
    '%E0%A4%A', '%', '%zz', '%ED%A0%80', '%C0%AF', '%00', 'a%00b', '%F0%9F%98%80', '%E6%97%A5%E6%9C%AC', 'x'.repeat(5000),
    '..', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '%2F', valid.toUpperCase(), `${valid}%00`, `${valid}x`, '-1', '0', '1e309',
    '99999999999999999999', "'%20OR%201=1--", '%20', 'null', '__proto__', 'constructor', '00000000-0000-0000-0000-000000000000', valid,
  ];
}

const QUERY_NAMES = ['limit', 'offset', 'processId', 'state', 'assignee', 'candidateGroup', 'processInstanceId', 'user', 'name', 'a'];

function queryString(random: Random): string {
  const n = pick(random, QUERY_NAMES);
  return pick(random, [
    `${n}=1&${n}=2`, `${n}[b]=1`, `${n}[]=1&${n}[]=2`, `${n}[__proto__][x]=1`, `__proto__[x]=1`, `${n}=abc`, `${n}=-1`, `${n}=1e999`,
    `${n}=99999999999999999999999`, `${n}=%00`, `${n}=%E0%A4%A`, `${n}=%ED%A0%80`, `%E0=1`, `${n}=`, n, '&&&=&', `${n}=${'x'.repeat(3000)}`,
    `${n}=%F0%9F%98%80`, `${n}=true`, `${n}=__proto__`, `${n}=1.5`, `${n}=0x10`, `${n}=%20`, `limit=0&offset=-5`, `processInstanceId=not-a-uuid`,
  ]);
}

/** Values for one body field: wrong types, edge numbers, what Postgres cannot store. Raw JSON text. */
const FIELD_VALUES = [
  '""', '" "', `"${'x'.repeat(20_000)}"`, '"a\\ud800b"', '"\\udfff"', '"a\\u0000b"', '"\\ud83d\\ude00"', '1e400', '-1e400', '-1', '0', '-0', '1.5',
  '9007199254740993', '123456789012345678901234567890', 'true', 'false', 'null', '[]', '[1,"a",null]', '{}', '{"a":{"b":{"c":[1]}}}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`, '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"toString":1}',
  '{"a\\u0000":1}', '{"\\ud800":1}', '"=1 + "', '"<script>alert(1)</script>"', `"${'%E0'.repeat(10)}"`,
];

const FIELD_NAMES = ['processId', 'version', 'variables', 'businessKey', 'type', 'maxJobs', 'workerId', 'timeoutMs', 'retries', 'errorMessage', 'retryBackoffMs', 'errorCode', 'assignee', 'name', 'role', 'groups', 'password', 'disabled', 'user', 'scopes', 'username', 'next', 'csrf'];

function jsonBody(random: Random, route: FuzzRoute): { label: string; text: string } {
  const kind = random();
  if (kind < 0.15) {
    const text = pick(random, ['[]', '"str"', '1', 'null', 'true', '{}', '[{}]', '1e400']);
    return { label: `body of the wrong type ${text}`, text };
  }
  if (kind < 0.25) {
    const text = pick(random, ['{', '{"a":}', '\u0000', 'undefined', '\ufeff{}', "{'a':1}", '{"a":1,}', '{"a":"\\x41"}', '{"a":"\\u12"}', `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`]);
    return { label: 'body that is not JSON', text };
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(route.validBody ?? {})) fields[JSON.stringify(key)] = JSON.stringify(value);
  const mutated: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const names = Object.keys(route.validBody ?? {});
    const name = names.length > 0 && random() < 0.6 ? pick(random, names) : pick(random, FIELD_NAMES);
    const value = pick(random, FIELD_VALUES);
    fields[JSON.stringify(name)] = value;
    mutated.push(`${name}=${value.slice(0, 40)}`);
  }
  if (random() < 0.1) fields['"__proto__"'] = '{"admin":true}';
  const text = `{${Object.entries(fields).map(([k, v]) => `${k}:${v}`).join(',')}}`;
  return { label: `body ${mutated.join(' ')}`, text };
}

const CONTENT_TYPES = [
  'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/json; charset=bogus', 'application/json;;',
  'application/JSON', 'application/vnd.api+json', 'application/json; charset="utf-8"', 'text/plain', 'application/xml', 'multipart/form-data',
  'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/octet-stream', '*/*', 'application/', ';', 'a'.repeat(2000),
];

/** The path with its parameters filled in: the valid values, or `mutate` for one of them. */
function fill(route: FuzzRoute, mutate?: { name: string; value: string }): string {
  return route.base + route.path.replace(/:(\w+)/g, (_, name: string) => (mutate?.name === name ? mutate.value : encodeURIComponent(route.params[name] ?? 'x')));
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** `perRoute` cases for one route: path, query, body and header mutations in turn. */
export function casesFor(route: FuzzRoute, random: Random, perRoute: number): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const takesBody = route.method !== 'GET';
  const validBody = Buffer.from(JSON.stringify(route.validBody ?? {}));
  for (let i = 0; i < perRoute; i++) {
    const at = `${route.method} ${route.base}${route.path} #${i}`;
    const kind = i % 5;
    if (kind === 0 || (kind === 1 && names.length > 1)) {
      if (names.length === 0) {
        // No parameters: the static path itself, in other spellings.
        const path = pick(random, [`${fill(route)}/`, `${fill(route)}%00`, fill(route).toUpperCase(), `${fill(route)}/..`, `${fill(route)}/%E0%A4%A`, `${fill(route)};x=1`, `${fill(route)}//`]);
        cases.push({ label: `${at} path ${path}`, method: route.method, path, headers: { ...route.headers, ...JSON_TYPE }, body: takesBody ? validBody : undefined });
        continue;
      }
      const name = pick(random, names);
      const value = pick(random, pathValues(encodeURIComponent(route.params[name] ?? 'x')));
      cases.push({ label: `${at} :${name}=${value.slice(0, 60)}`, method: route.method, path: fill(route, { name, value }), headers: { ...route.headers, ...JSON_TYPE }, body: takesBody ? validBody : undefined });
    } else if (kind === 1 || kind === 2 && !takesBody) {
      const query = queryString(random);
      cases.push({ label: `${at} ?${query.slice(0, 80)}`, method: route.method, path: `${fill(route)}?${query}`, headers: { ...route.headers, ...JSON_TYPE }, body: takesBody ? validBody : undefined });
    } else if (kind === 2 || kind === 3) {
      const { label, text } = jsonBody(random, route);
      cases.push({ label: `${at} ${label.slice(0, 160)}`, method: route.method, path: fill(route), headers: { ...route.headers, ...JSON_TYPE }, body: Buffer.from(text) });
    } else {
      const type = pick(random, CONTENT_TYPES);
      const body = random() < 0.2 ? Buffer.alloc(0) : random() < 0.5 ? validBody : Buffer.from('a=1&b[c]=2&__proto__[x]=1');
      const headers: Record<string, string> = { ...route.headers, 'content-type': type };
      if (random() < 0.25) headers['content-encoding'] = pick(random, ['gzip', 'br', 'deflate', 'bogus', 'identity, gzip']);
      if (random() < 0.2) headers['x-resource-name'] = pick(random, ['../../etc/passwd', 'a'.repeat(300), 'x.form', '%00.bpmn', 'é.bpmn']);
      if (random() < 0.2) headers.cookie = pick(random, ['weft_session=%E0%A4%A', 'weft_session=', 'weft_session=a%00b', '=;;=', `weft_session=${'a'.repeat(4000)}`]);
      cases.push({ label: `${at} content-type ${type.slice(0, 60)} (${body.length} bytes) ${headers['content-encoding'] ?? ''}`, method: route.method, path: fill(route), headers, body });
    }
  }
  return cases;
}

const XML_HEAD = '<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">';
const xmlProcess = (inner: string, attrs = '') => `${XML_HEAD}<bpmn:process id="fz" isExecutable="true"${attrs}>${inner}</bpmn:process></bpmn:definitions>`;

/** Deployments get their own mutations: XML a parser or a compiler can choke on, and odd multipart parts. */
export function deploymentCases(headers: Record<string, string>): FuzzCase[] {
  let nested = '<bpmn:startEvent id="s"/>';
  for (let i = 300; i >= 1; i--) nested = `<bpmn:subProcess id="sp${i}">${nested}</bpmn:subProcess>`;
  const xmls: [string, string][] = [
    ['not XML', '<<<'],
    ['empty', ''],
    ['unclosed', `${XML_HEAD}<bpmn:process id="p">`],
    ['300 nested sub-processes', xmlProcess(nested)],
    ['10,000 levels of plain XML', xmlProcess(`<bpmn:extensionElements>${'<x>'.repeat(10_000)}${'</x>'.repeat(10_000)}</bpmn:extensionElements><bpmn:startEvent id="s"/>`)],
    ['2,000 attributes', xmlProcess(`<bpmn:startEvent id="s" ${Array.from({ length: 2000 }, (_, i) => `a${i}="1"`).join(' ')}/>`)],
    ['duplicate attributes', xmlProcess('<bpmn:startEvent id="s" id="t"/>')],
    ['surrogate reference', xmlProcess('<bpmn:startEvent id="s" name="&#xD800;"/>')],
    ['astral reference', xmlProcess('<bpmn:startEvent id="s" name="&#65536;"/>')],
    ['NUL reference', xmlProcess('<bpmn:startEvent id="s" name="&#0;"/>')],
    ['unknown entity', xmlProcess('<bpmn:startEvent id="s" name="&nbsp;&bogus;"/>')],
    ['DOCTYPE', `<!DOCTYPE x [<!ENTITY a "b">]>${xmlProcess('')}`],
    ['CDATA and comments', xmlProcess('<!-- &#0; --><![CDATA[ <x> ]]><bpmn:startEvent id="s"/>')],
    ['wrong namespace', '<?xml version="1.0"?><definitions xmlns="urn:x"><process id="p"/></definitions>'],
    ['bad FEEL', xmlProcess('<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="g"><bpmn:conditionExpression>=(((</bpmn:conditionExpression></bpmn:sequenceFlow>')],
    ['flow to nowhere', xmlProcess('<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="nowhere"/>')],
    ['ids colliding with prototypes', xmlProcess('<bpmn:startEvent id="__proto__"/><bpmn:endEvent id="constructor"/><bpmn:sequenceFlow id="toString" sourceRef="__proto__" targetRef="constructor"/>')],
    ['a 4,000-character id', xmlProcess(`<bpmn:startEvent id="${'s'.repeat(4000)}"/>`)],
    ['service task with huge retries', xmlProcess('<bpmn:startEvent id="s"/><bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="x" retries="99999999999999999999"/></bpmn:extensionElements></bpmn:serviceTask><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/>')],
  ];
  const raw = (label: string, body: Buffer | string, type = 'application/xml', query = ''): FuzzCase => ({
    label: `POST /api/deployments ${label}`,
    method: 'POST',
    path: `/api/deployments${query}`,
    headers: { ...headers, 'content-type': type },
    body: Buffer.from(body),
  });
  const multipart = (label: string, disposition: string, content: string, extra = ''): FuzzCase => {
    const boundary = 'fuzz-boundary';
    const body = [`--${boundary}`, `Content-Disposition: form-data; ${disposition}`, 'Content-Type: application/xml', '', content, extra, `--${boundary}--`, ''].join('\r\n');
    return raw(`multipart ${label}`, body, `multipart/form-data; boundary=${boundary}`);
  };
  const small = xmlProcess('<bpmn:startEvent id="s"/>');
  return [
    ...xmls.map(([label, xml]) => raw(`XML ${label}`, xml)),
    raw('UTF-16 with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(small, 'utf16le')])),
    raw('invalid UTF-8', Buffer.from([0x3c, 0xc3, 0x28, 0xa0, 0xa1, 0x3e])),
    raw('name with NUL', small, 'application/xml', '?name=a%00.bpmn'),
    raw('name with a bad escape', small, 'application/xml', '?name=%E0%A4%A.bpmn'),
    raw('name of 5,000 characters', small, 'application/xml', `?name=${'n'.repeat(5000)}.bpmn`),
    raw('name as an array', small, 'application/xml', '?name=a.bpmn&name=b.bpmn'),
    raw('a form that is not JSON', '{', 'application/xml', '?name=x.form'),
    raw('an agent definition nested 5,000 deep', `{"name":"a","x":${'['.repeat(5000)}${']'.repeat(5000)}}`, 'application/xml', '?name=x.agent.json'),
    multipart('file name with NUL (filename*)', `name="files"; filename*=utf-8''a%00.bpmn`, small),
    multipart('file name with traversal', 'name="files"; filename="../../etc/passwd.bpmn"', small),
    multipart('empty file name', 'name="files"; filename=""', small),
    multipart('no file name', 'name="files"', small),
    multipart('another field', 'name="other"; filename="x.bpmn"', small),
    multipart('a bad escape in filename*', `name="files"; filename*=utf-8''%E0%A4%A.bpmn`, small),
    multipart('a truncated part', 'name="files"; filename="x.bpmn"', small.slice(0, 50), '--fuzz-boundary\r\nContent-Disposition: form-data'),
    raw('multipart with no parts', '--fuzz-boundary--\r\n', 'multipart/form-data; boundary=fuzz-boundary'),
    raw('multipart that never ends', '--fuzz-boundary\r\nContent-Disposition: form-data; name="files"; filename="x.bpmn"\r\n\r\n<x', 'multipart/form-data; boundary=fuzz-boundary'),
  ];
}
