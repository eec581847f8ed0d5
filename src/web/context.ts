/** What every request carries once CSP Hub has identified who is asking, and what a route requires. */
import type { Db } from '../db/database.ts';
import type { Config } from '../config.ts';
import type { Role, User } from '../db/schema.ts';
import type { Action } from '../services/authorisation.ts';
import type { PartnershipDetails } from '../services/partnerships.ts';
import type { Actor } from '../services/audit.ts';
import type { OidcClient } from './features/sign-in/oidc.ts';

export interface AppServices {
  db: Db;
  config: Config;
  oidc: OidcClient | null;
}

/**
 * Every route declares what it needs in `config.auth`; a route without it fails the app at start-up.
 * - 'public': anyone, signed in or not
 * - 'signed-in': any signed-in user
 * - 'platform-admin': the platform administrator
 * - an Action: a user whose role in the partnership named by :partnershipId allows the action
 */
export type RouteAuth = 'public' | 'signed-in' | 'platform-admin' | Action;

export interface PartnershipAccess {
  partnership: PartnershipDetails;
  role: Role;
  /** The partnership's data version when the request began: the key of cached partnership data. */
  version: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
    /** Hashed session id, when signed in through the browser. */
    sessionId: string | null;
    currentPartnershipId: number | null;
    /** The partnership named in the URL and the user's role in it, for partnership routes. */
    access: PartnershipAccess | null;
    isApi: boolean;
    cspNonce: string;
    csrfToken: string;
  }
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
}

export function actorOf(user: User): Actor {
  return { userId: user.id, label: user.email };
}
