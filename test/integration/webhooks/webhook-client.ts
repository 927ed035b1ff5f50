/** Calling a webhook as a provider would: a raw body, signed with HMAC-SHA-256 when a secret is given. */
import { createHmac } from 'node:crypto';

export interface WebhookCall {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  /** Signs the body into `X-Signature` (hex). */
  secret?: string;
}

export async function callWebhook(baseUrl: string, context: string, call: WebhookCall = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const body = call.body ?? '';
  const headers: Record<string, string> = { 'content-type': 'application/json', ...call.headers };
  if (call.secret !== undefined) headers['x-signature'] = createHmac('sha256', call.secret).update(body).digest('hex');
  const method = call.method ?? 'POST';
  const res = await fetch(`${baseUrl}/webhooks/${context}`, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
