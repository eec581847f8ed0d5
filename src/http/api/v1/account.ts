/** The API token's owner and their personal API tokens (create once-shown, list, revoke). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppServices } from '../../context.ts';
import { createToken, listTokens, revokeToken, type ApiTokenSummary } from '../../../services/identity/apiTokens.ts';
import { publicUser } from '../../../services/identity/users.ts';
import { assertValidId } from '../../../services/partnerships/partnerships.ts';
import * as s from './schemas.ts';

function tokenJson(t: ApiTokenSummary) {
  return { id: t.id, name: t.name, prefix: t.prefix, createdAt: t.created_at, lastUsedAt: t.last_used_at, revokedAt: t.revoked_at };
}

const param = (r: FastifyRequest, name: string, what: string) => assertValidId((r.params as Record<string, string>)[name], what);

export async function accountApi(app: FastifyInstance, { db }: Pick<AppServices, 'db'>): Promise<void> {
  const k = db.kysely;

  app.get('/me', { config: { auth: 'signed-in' }, schema: { tags: ['Account'], summary: 'The user the token belongs to' } }, async (r) => {
    const u = publicUser(r.user!);
    return { id: u.id, email: u.email, name: u.name, isPlatformAdmin: u.is_platform_admin === 1 };
  });

  app.get(
    '/tokens',
    {
      config: { auth: 'signed-in' },
      schema: { tags: ['Account'], summary: 'Your personal API tokens', response: { 200: { type: 'array', items: s.apiToken } } },
    },
    async (r) => (await listTokens(k, r.user!.id)).map(tokenJson),
  );
  app.post(
    '/tokens',
    {
      config: { auth: 'signed-in' },
      schema: {
        tags: ['Account'],
        summary: 'Create a personal API token (the token is returned once)',
        body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string' } } },
        response: { 201: { type: 'object', properties: { token: { type: 'string' }, summary: s.apiToken } }, ...s.errors },
      },
    },
    async (r, reply) => {
      const { token, summary } = await createToken(k, r.user!, (r.body as { name: string }).name);
      return reply.code(201).send({ token, summary: tokenJson(summary) });
    },
  );
  app.delete(
    '/tokens/:tokenId',
    {
      config: { auth: 'signed-in' },
      schema: {
        tags: ['Account'],
        summary: 'Revoke a personal API token',
        params: { type: 'object', properties: { tokenId: s.idParam } },
        response: { 204: { type: 'null' }, ...s.errors },
      },
    },
    async (r, reply) => {
      await revokeToken(k, r.user!, param(r, 'tokenId', 'API token'));
      return reply.code(204).send();
    },
  );
}
