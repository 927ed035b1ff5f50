/** The roles a user can have, and what each may do beyond its own inbox (see docs in auth.ts ROUTE_ROLES). */
export const ROLES = ['admin', 'modeler', 'operator', 'user'] as const;
export type Role = (typeof ROLES)[number];

/** Token scopes: `worker` lets a personal token use the job API. */
export const SCOPES = ['worker'] as const;
export type Scope = (typeof SCOPES)[number];

/** The actor id users act under in the audit log and the engine. */
export const actorId = (name: string) => `user:${name}`;

/** User and group names: letters, digits and . _ - @, as they appear in diagrams' assignments. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;
