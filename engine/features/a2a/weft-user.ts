/** The A2A SDK's view of the caller: the Weft actor the Bearer token spoke for. */
import type { User, ServerCallContext } from '@a2a-js/sdk/server';
import type { Actor } from '../../api/auth.js';

export class WeftUser implements User {
  constructor(readonly actor: Actor) {}
  get isAuthenticated(): boolean {
    return true;
  }
  get userName(): string {
    return this.actor.id;
  }
}

/** The actor of a call that passed the endpoint's authentication; anything else is a bug. */
export function actorOfCall(context: ServerCallContext): Actor {
  const user = context.user;
  if (!(user instanceof WeftUser)) throw new Error('an A2A call reached Weft without an authenticated actor');
  return user.actor;
}
