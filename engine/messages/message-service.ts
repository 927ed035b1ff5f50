/**
 * Messages as the engine offers them: publish (POST /api/messages), the pass
 * that hands buffered messages to what a commit opened, and the background
 * sweeps. Wired by EngineService; the deploy hook registering message start
 * events is registerMessageStartEvents.
 */
import { assertStorable } from '../persistence/storable.js';
import type { MessageOpenings } from '../persistence/write-set.js';
import type { BackgroundDuty } from '../queue/background.js';
import { deliverBuffered } from './buffered-delivery.js';
import { expire, redeliver } from './message-sweeps.js';
import type { PublishMessageRequest, PublishMessageResult } from './message-types.js';
import { Publisher, type MessageDeps } from './publish.js';

export class Messages {
  private readonly publisher: Publisher;

  constructor(private readonly deps: MessageDeps) {
    this.publisher = new Publisher(deps);
  }

  publish(req: PublishMessageRequest, actor: string): Promise<PublishMessageResult> {
    // Names, keys and ids are text columns too: a NUL or a lone surrogate is the caller's 4xx, not Postgres's error.
    assertStorable(req, 'message');
    return this.publisher.publish(req, actor);
  }

  deliverBuffered(openings: MessageOpenings): Promise<void> {
    return deliverBuffered(this.deps, openings);
  }

  /** The sweeps every engine runs (engine/queue/background.ts). */
  duties(everyMs = 5000): BackgroundDuty[] {
    return [
      { name: 'buffered messages', everyMs, work: () => redeliver(this.deps) },
      { name: 'expired messages', everyMs, work: () => expire(this.deps) },
    ];
  }
}
