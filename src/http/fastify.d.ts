/**
 * Everything CSP Hub adds to Fastify's types, in one place: what each request carries once the user is known
 * (src/http/setup/identity.ts), what each route declares (`config.auth`, `config.identity`), the reply helpers for pages
 * (src/http/web/render.ts, decorated in src/http/setup/views.ts) and the app-wide helpers decorated in
 * src/http/setup/views.ts and src/http/setup/backgroundWork.ts.
 */
import type nunjucks from 'nunjucks';
import type { User } from '../adapters/database/schema.ts';
import type { DocumentPrinter } from '../adapters/chromium/pdfPrinter.ts';
import type { CrimeData } from '../services/assessment/crimeData.ts';
import type { DocumentRunner } from '../services/documents/documentRunner.ts';
import type { AppMetrics } from '../adapters/metrics/metrics.ts';
import type { CycleRunner } from '../services/cycle/reminders.ts';
import type { PartnershipAccess, RouteAuth } from './context.ts';
import type { Fragments } from './web/render.ts';

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
    /**
     * `false`: the request is not matched to a user (no session or API token lookup, no CSRF token), for routes that
     * answer for the process itself, such as liveness and metrics, which must answer while the database does not.
     * Only for `auth: 'public'` routes (checked at start-up).
     */
    identity?: boolean;
  }
  interface FastifyReply {
    render(template: string, context?: Record<string, unknown> & { fragments?: Fragments }, status?: number): Promise<FastifyReply>;
    flash(message: string): FastifyReply;
  }
  interface FastifyInstance {
    /** The app's Nunjucks environment, for fragments a route renders once and caches (reply.render for pages). */
    views: nunjucks.Environment;
    /** The police.uk store and its import jobs; one per app, closed with the app. */
    crimeData: CrimeData;
    /** Generates requested documents in the background of this process. */
    documentRunner: DocumentRunner;
    /** Reminders and email jobs (src/services/cycle/reminders.ts). */
    cycleRunner: CycleRunner;
    /** Prints PDF documents; one Chromium per app, closed with the app. */
    pdfPrinter: DocumentPrinter;
    /** This instance's Prometheus metrics (src/http/setup/operations.ts), read at /metrics. */
    metrics: AppMetrics;
    /** Runs the retention clean-up now (it also runs every CLEANUP_INTERVAL_MINUTES). */
    cleanUp(): Promise<void>;
  }
}
