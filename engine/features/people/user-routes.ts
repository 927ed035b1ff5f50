/**
 * /api/users (admins) and /api/tokens (your own tokens; admins: anyone's),
 * and /api/me (who am I, and my session's CSRF token for the pages).
 */
import { ADMINS, EVERYONE } from '../../api/access.js';
import { routes, type ApiRoute } from '../../api/api-routes.js';
import { z } from 'zod';
import { actorOf, isAdmin } from '../../api/auth.js';
import { bodyOf, queryOf } from '../../api/route-input.js';
import { userName } from '../../api/task-routes.js';
import { WeftError } from '../../errors.js';
import type { IdentityRepository } from './identity-repository.js';
import type { Sessions } from './sessions.js';

const name = z.string().trim().min(1).max(100);
const addUserBody = z.object({
  name,
  role: z.string().optional(),
  groups: z.array(name).max(100).optional(),
  password: z.string().max(1000).optional(),
});
const updateUserBody = z.object({
  role: z.string().optional(),
  groups: z.array(name).max(100).optional(),
  password: z.string().max(1000).optional(),
  disabled: z.boolean().optional(),
});
const createTokenBody = z.object({
  user: name.optional(),
  name: z.string().trim().max(100).optional(),
  scopes: z.array(z.string()).max(10).optional(),
});

const tokenListQuery = z.object({ user: z.string().optional().describe("Admins: only this user's tokens (others always see their own)") });
const userParams = z.object({ name: z.string().describe("The user's name") });

const param = (value: string | string[]) => (Array.isArray(value) ? value[0] : value);

export function userRoutes(identity: IdentityRepository): ApiRoute[] {
  return routes('/users', (router) => {
    router.get('/', { access: ADMINS, summary: 'List users' }, async (_req, res) => {
      res.json({ items: await identity.users() });
    });
    router.post('/', { access: ADMINS, summary: 'Add a user', body: addUserBody }, async (_req, res) => {
      res.status(201).json(await identity.addUser(bodyOf(res, addUserBody), actorOf(res).id));
    });
    router.get('/:name', { access: ADMINS, summary: 'A user', params: userParams }, async (req, res) => {
      res.json(await identity.user(param(req.params.name)));
    });
    router.patch('/:name', { access: ADMINS, summary: "Change a user's role, groups, password or disabled flag", params: userParams, body: updateUserBody }, async (req, res) => {
      res.json(await identity.updateUser(param(req.params.name), bodyOf(res, updateUserBody), actorOf(res).id));
    });
    router.delete('/:name', { access: ADMINS, summary: 'Remove a user', params: userParams }, async (req, res) => {
      await identity.removeUser(param(req.params.name), actorOf(res).id);
      res.status(204).end();
    });
  });
}

export function tokenRoutes(identity: IdentityRepository): ApiRoute[] {
  const own = (res: Parameters<typeof actorOf>[0]) => {
    const actor = actorOf(res);
    if (!actor.user && !isAdmin(actor)) throw new WeftError('FORBIDDEN', 'Only users have personal tokens');
    return actor;
  };
  // Everyone manages their own tokens; admins anyone's (checked per request).
  return routes('/tokens', (router) => {
    router.get('/', { access: EVERYONE, summary: 'List personal tokens (your own; admins: anyone\'s)', query: tokenListQuery }, async (_req, res) => {
      const actor = own(res);
      const user = isAdmin(actor) ? queryOf(res, tokenListQuery).user : userName(actor);
      res.json({ items: await identity.tokens({ user }) });
    });
    router.post('/', { access: EVERYONE, summary: 'Create a personal token (shown once); only admins grant scopes', body: createTokenBody }, async (_req, res) => {
      const actor = own(res);
      const body = bodyOf(res, createTokenBody);
      const user = body.user ?? actor.user;
      if (!user) throw new WeftError('BAD_REQUEST', 'Name the user the token is for (`user`)');
      if (!isAdmin(actor) && user !== actor.user) throw new WeftError('FORBIDDEN', 'You can create tokens for yourself only');
      if (!isAdmin(actor) && body.scopes?.length) throw new WeftError('FORBIDDEN', 'Only admins grant token scopes');
      res.status(201).json(await identity.createToken(user, body, actor.id));
    });
    router.post('/:id/revoke', { access: EVERYONE, summary: 'Revoke a personal token', params: z.object({ id: z.guid().describe("The token's id") }) }, async (req, res) => {
      const actor = own(res);
      const id = param(req.params.id);
      if (!z.guid().safeParse(id).success) throw new WeftError('NOT_FOUND', `No token ${id}`);
      const [token] = await identity.tokens({ id });
      if (!token || (!isAdmin(actor) && token.user !== actor.user)) throw new WeftError('NOT_FOUND', `No token ${id}`);
      res.json(await identity.revokeToken(id, actor.id));
    });
  });
}

export function meRoutes(sessions: Sessions): ApiRoute[] {
  return routes('/me', (router) => {
    router.get('/', { access: EVERYONE, summary: 'Who the caller is, and a session\'s CSRF token' }, async (req, res) => {
      const actor = actorOf(res);
      const session = actor.via === 'session' ? await sessions.resolve(req) : null;
      // `assignee`: the name tasks are assigned to this caller by — for the admin token, which has
      // no user, `admin` — so the pages know which tasks are the caller's own whatever signed them in.
      res.json({ id: actor.id, user: actor.user ?? null, assignee: userName(actor), roles: actor.roles, groups: actor.groups ?? [], csrfToken: session?.csrfToken ?? null });
    });
  });
}
