/**
 * /v2/messages/publication, /v2/messages/correlation and
 * /v2/signals/broadcast over Weft's own message and signal delivery, allowed
 * to the callers of POST /api/messages and POST /api/signals.
 *
 * Publication is Weft's publish (buffered for its time to live); a message id
 * still buffered is Camunda's 409, where Weft's API answers `duplicate`.
 * Correlation is a publish with no time to live that must reach someone: it
 * answers the instance it reached (the first one, when it reached one per
 * process as Weft's publish does), and 404 when it reached no one — the
 * message is then gone, as in Camunda.
 */
import type express from 'express';
import { actorOf } from '../../../api/auth.js';
import { parseBody } from '../../../api/schemas.js';
import { WeftError } from '../../../errors.js';
import type { PartDeps } from '../deployment-routes.js';
import { keyOf } from '../keys.js';
import { DEFAULT_TENANT } from '../search.js';
import { allow } from '../v2-access.js';
import { correlationBody, publicationBody, signalBody } from './message-schemas.js';

export function messagePart(deps: PartDeps) {
  const { db, engine } = deps;
  const publishers = allow(deps.access('POST /messages'), 'POST /messages');

  return (router: express.Router) => {
    router.post('/messages/publication', publishers, async (req, res) => {
      const { timeToLive, tenantId: _tenant, ...message } = parseBody(publicationBody, req.body);
      const published = await engine.publishMessage({ ...message, timeToLiveMs: timeToLive }, actorOf(res).id);
      if (published.duplicate) {
        throw new WeftError('MESSAGE_ALREADY_PUBLISHED', `A message named '${message.name}' with id '${message.messageId}' and correlation key '${message.correlationKey ?? ''}' is still buffered; it was not published again`);
      }
      res.json({ tenantId: DEFAULT_TENANT, messageKey: await keyOf(db, 'message', published.messageKey) });
    });

    router.post('/messages/correlation', publishers, async (req, res) => {
      const { tenantId: _tenant, ...message } = parseBody(correlationBody, req.body);
      const published = await engine.publishMessage({ ...message, timeToLiveMs: 0 }, actorOf(res).id);
      const reached = published.correlated[0] ?? published.started[0];
      if (!reached) {
        throw new WeftError('NOT_FOUND', `No instance waits for a message named '${message.name}' with correlation key '${message.correlationKey ?? ''}', and no process starts with it: nothing was correlated`);
      }
      const [messageKey, processInstanceKey] = await Promise.all([keyOf(db, 'message', published.messageKey), keyOf(db, 'process-instance', reached.processInstanceId)]);
      res.json({ tenantId: DEFAULT_TENANT, messageKey, processInstanceKey });
    });

    router.post('/signals/broadcast', allow(deps.access('POST /signals'), 'POST /signals'), async (req, res) => {
      const { signalName, variables } = parseBody(signalBody, req.body);
      const broadcast = await engine.broadcastSignal({ name: signalName, variables }, actorOf(res).id);
      res.json({ tenantId: DEFAULT_TENANT, signalKey: await keyOf(db, 'signal', broadcast.signalKey) });
    });
  };
}
