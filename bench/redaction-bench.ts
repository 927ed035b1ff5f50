/**
 * `npx tsx bench/redaction-bench.ts`: what the secret scrub (engine/security)
 * costs where it runs most often — the audit rows of one token move, and one
 * log line — against the same work without it. Prints one JSON object, times
 * in microseconds per operation (best of 5 rounds, so a loaded machine
 * disturbs it less).
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createLogger } from '../engine/security/logger.js';
import { registerEnvironmentSecrets, registerSecret, scrubJson } from '../engine/security/redaction.js';
import { round } from './stats.js';

// A typical production set: a few provider keys, the admin token, a database password.
registerEnvironmentSecrets({
  OPENAI_API_KEY: 'sk-proj-0123456789abcdefghijklmnopqrstuvwxyz',
  ANTHROPIC_API_KEY: 'sk-ant-api03-0123456789abcdefghijklmnopqrstuvwxyz',
  ACME_CRM_TOKEN: 'crm-token-0123456789abcdef',
  WEFT_ADMIN_TOKEN: 'admin-token-0123456789abcdef',
  DATABASE_URL: 'postgres://weft:db-password-0123@db:5432/weft',
});
registerSecret('generated-admin-token-0123456789abcdefghijk');

const at = new Date().toISOString();
const row = (type: string, payload: Record<string, unknown>) => ({ process_instance_id: 'c0a8012e-6f1d-4b7e-9a55-2a1f3c4d5e6f', at, actor: 'worker:host:123', type, element_id: 'charge', element_instance_key: 'f1e2d3c4-b5a6-4789-8a1b-2c3d4e5f6a7b', payload });
/** The audit of one token move of the bench's process: a job completed, its element completed, the next activated, its job created. */
const auditRows = [
  row('JOB_COMPLETED', { jobKey: 'a1b2c3d4-e5f6-4789-8a1b-2c3d4e5f6a7b', variables: { orderId: 'o-12345', amount: 129.5, customer: { name: 'Ada Lovelace', email: 'ada@example.com' } }, actor: 'worker:host:123' }),
  row('ELEMENT_COMPLETED', { kind: 'serviceTask' }),
  row('ELEMENT_ACTIVATED', { kind: 'serviceTask', flowId: 'f2', scopeKey: '9f8e7d6c-5b4a-4321-8fed-cba987654321' }),
  row('JOB_CREATED', { jobKey: 'b2c3d4e5-f6a7-4890-9b1c-3d4e5f6a7b8c', jobType: 'ship', retries: 3 }),
];

function timePerOp(ops: number, task: () => void): number {
  let best = Infinity;
  for (let round_ = 0; round_ < 5; round_++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) task();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1000 / ops);
  }
  return round(best, 2);
}

const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
const plain = pino({ level: 'info' }, sink);
const weft = createLogger({ level: 'info' }, sink);
const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });

const audit = { stringify: timePerOp(20_000, () => JSON.stringify(auditRows)), stringifyAndScrub: timePerOp(20_000, () => scrubJson(JSON.stringify(auditRows))) };
const info = { plain: timePerOp(20_000, () => plain.info({ count: 3 }, 'outbox sweep: re-dispatched')), weft: timePerOp(20_000, () => weft.info({ count: 3 }, 'outbox sweep: re-dispatched')) };
const warnErr = { plain: timePerOp(5_000, () => plain.warn({ err }, 'outbox relay failed')), weft: timePerOp(5_000, () => weft.warn({ err }, 'outbox relay failed')) };

console.log(
  JSON.stringify({
    auditBytes: JSON.stringify(auditRows).length,
    auditPerMoveUs: { ...audit, scrubAddsUs: round(audit.stringifyAndScrub - audit.stringify, 2) },
    infoLineUs: { ...info, addsUs: round(info.weft - info.plain, 2) },
    errorLineUs: { ...warnErr, addsUs: round(warnErr.weft - warnErr.plain, 2) },
  }),
);
