/** Every route must say who may call it (`config.auth`); the app fails closed at start-up when one does not. */
import type { FastifyInstance } from 'fastify';
import { ACTIONS } from '../../services/partnerships/authorisation.ts';
import type { RouteAuth } from '../context.ts';

export interface RouteRecord {
  method: string;
  url: string;
  auth: RouteAuth;
}

/** Checks each route's `config.auth` as it is added and records it (the authorisation tests walk the records). */
export function requireRouteAuth(app: FastifyInstance): RouteRecord[] {
  const routeRecords: RouteRecord[] = [];
  app.decorate('routeRecords', routeRecords);
  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth;
    // @fastify/static's folders; every other route, the public pages under /public/ included, names its auth.
    if (route.url.startsWith('/public/') && route.url.endsWith('*')) return;
    if (auth === undefined) throw new Error(`Route ${String(route.method)} ${route.url} has no config.auth`);
    if (!['public', 'signed-in', 'platform-admin'].includes(auth) && !(ACTIONS as readonly string[]).includes(auth))
      throw new Error(`Route ${route.url}: unknown auth ${auth}`);
    // A route that does not look up who is asking can only be public: any other auth would always refuse.
    if (route.config?.identity === false && auth !== 'public') throw new Error(`Route ${route.url}: identity: false needs auth 'public'`);
    for (const m of ([] as string[]).concat(route.method)) if (m !== 'HEAD') routeRecords.push({ method: m, url: route.url, auth });
  });
  return routeRecords;
}
