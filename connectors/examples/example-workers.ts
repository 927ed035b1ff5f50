/**
 * Workers for the shipped example processes (processes/), so that under
 * `npm start` a new user sees an agent call a tool and a process run to its
 * end without writing a worker first. They stand in for the systems a real
 * deployment has (an ERP, a knowledge base, an identity service, a ticket
 * system) with a few fixed records.
 *
 * Their job types start with `example.`, so they never take work meant for a
 * real worker; `WEFT_EXAMPLE_WORKERS=off` stops them. Each one is an ordinary
 * worker (engine/worker/create-worker.ts): an agent's tool call reaches it as
 * a job, exactly as it would reach a worker on another host.
 */
import type { JobHandler } from '../../engine/worker/create-worker.js';
import { BpmnError } from '../../engine/worker/bpmn-error.js';

const PURCHASE_ORDERS: Record<string, { vendor: string; amount: number; currency: string }> = {
  'PO-1': { vendor: 'Acme GmbH', amount: 1000, currency: 'EUR' },
  'PO-2': { vendor: 'Globex Ltd', amount: 2450, currency: 'GBP' },
  'PO-3': { vendor: 'Initech Inc', amount: 310.5, currency: 'USD' },
};

const KNOWN_ISSUES = [
  { id: 'KB-42', keywords: ['vpn', 'disconnect'], resolution: 'Reinstall the VPN profile from the self-service portal' },
  { id: 'KB-17', keywords: ['password', 'locked', 'login'], resolution: 'Reset the password; the account unlocks after the reset' },
  { id: 'KB-08', keywords: ['printer', 'print'], resolution: 'Remove and re-add the printer from the print server' },
];

export const exampleWorkers: Record<string, JobHandler> = {
  /** invoice-extractor's lookupPurchaseOrder. */
  'example.erp-lookup-po': (job) => {
    const poNumber = String(job.variables.poNumber ?? '').trim().toUpperCase();
    const order = PURCHASE_ORDERS[poNumber];
    if (!order) throw new BpmnError('PO_NOT_FOUND', `No purchase order ${poNumber || '(none given)'}; known: ${Object.keys(PURCHASE_ORDERS).join(', ')}`);
    return { poNumber, ...order };
  },
  /** ticket-triage's searchKnownIssues. */
  'example.kb-search': (job) => {
    const query = String(job.variables.query ?? '').toLowerCase();
    const matches = KNOWN_ISSUES.filter((issue) => issue.keywords.some((k) => query.includes(k))).map(({ id, resolution }) => ({ id, resolution }));
    return { matches };
  },
  /** ticket-triage's resetPassword (needs a person's approval first). */
  'example.idm-reset-password': (job) => ({ reset: true, user: job.variables.user ?? job.variables.reporter ?? null, temporaryPasswordSentBy: 'email' }),
  /** it-ticket-triage's "Resolve with known fix". */
  'example.ticket-resolve': (job) => ({ closed: true, ticketId: job.variables.ticketId ?? null, resolution: job.variables.resolution ?? null }),
};
