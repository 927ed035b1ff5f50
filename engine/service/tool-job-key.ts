/**
 * The key of the job an agent's tool call becomes: a UUID derived from the
 * agent's job key and the tool call id (SHA-256, shaped as a version 8 UUID),
 * so an attempt that asks again after a crash names the same job and the
 * step creates it once.
 */
import { createHash } from 'node:crypto';

export function toolJobKeyOf(parentJobKey: string, toolCallId: string): string {
  const hex = createHash('sha256').update(`${parentJobKey}\u0000${toolCallId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
