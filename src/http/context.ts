/** What every request carries once CSP Hub has identified who is asking, and what a route requires. */
import type { Db } from '../adapters/database/database.ts';
import type { Config } from '../config.ts';
import type { Role, User } from '../adapters/database/schema.ts';
import type { Action } from '../services/partnerships/authorisation.ts';
import type { PartnershipDetails } from '../services/partnerships/partnerships.ts';
import type { Actor } from '../services/platform/audit.ts';
import type { OrganisationSignIn } from '../adapters/oidc/oidcClient.ts';

export interface AppServices {
  db: Db;
  config: Config;
  /** Sign-in with an organisation account (OpenID Connect), when the OIDC_* settings are given. */
  oidc: OrganisationSignIn | null;
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

export function actorOf(user: User): Actor {
  return { userId: user.id, label: user.email };
}
