/** The roles and token scopes are the API's (each route declares which it admits: engine/api/access.ts). */
export { ROLES, SCOPES, type Role, type Scope } from '../../api/access.js';

/** The actor id users act under in the audit log and the engine. */
export const actorId = (name: string) => `user:${name}`;

/** User and group names: letters, digits and . _ - @, as they appear in diagrams' assignments. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;
