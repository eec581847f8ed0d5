/** The session cookie a browser is given once someone has signed in (by password, organisation account or invitation). */
import type { FastifyReply } from 'fastify';
import type { AppServices } from '../../../context.ts';
import { replaceSession } from '../../../../services/identity/sessions.ts';
import { SESSION_COOKIE } from '../../security.ts';

/** Starts the user's session, ending the browser's previous one when its token is given, and sets the cookie. */
export async function startSession(services: AppServices, reply: FastifyReply, userId: number, previousToken?: string): Promise<void> {
  const { db, config } = services;
  const token = await replaceSession(db.kysely, userId, config.sessionTtlHours, previousToken);
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    maxAge: config.sessionTtlHours * 3600,
  });
}
