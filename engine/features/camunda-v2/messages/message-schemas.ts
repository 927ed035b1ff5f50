/**
 * The bodies of /v2/messages and /v2/signals, in Camunda's field names over
 * Weft's own limits: the message body is /api's (name and key sizes, the
 * variables' rules, 30 days of buffering at most) with Camunda's
 * `timeToLive` for Weft's `timeToLiveMs` and the one tenant.
 */
import { z } from 'zod';
import { broadcastSignalBody, publishMessageBody } from '../../../api/schemas.js';
import { tenantId } from '../search.js';

const { timeToLiveMs, ...message } = publishMessageBody.shape;

export const publicationBody = z.strictObject({ ...message, timeToLive: timeToLiveMs, tenantId: tenantId.optional() });

/** A correlation is delivered now or never: no time to live, no message id (Camunda's correlation takes neither). */
export const correlationBody = z.strictObject({ name: message.name, correlationKey: message.correlationKey, variables: message.variables, tenantId: tenantId.optional() });

export const signalBody = z.strictObject({ signalName: broadcastSignalBody.shape.name, variables: broadcastSignalBody.shape.variables, tenantId: tenantId.optional() });
