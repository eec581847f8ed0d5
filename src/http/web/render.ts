/** reply.render: renders a page with the shell's shared context (user, partnership switcher, navigation, CSRF). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/database/schema.ts';
import { can } from '../../services/partnerships/authorisation.ts';
import { partnershipsForUser } from '../../services/partnerships/partnerships.ts';

export const FLASH_COOKIE = 'csphub_flash';

export interface NavItem {
  href: string;
  text: string;
  active: boolean;
}

function navigation(request: FastifyRequest, section: string | undefined): NavItem[] {
  const access = request.access;
  if (!access) return [];
  const base = `/partnerships/${access.partnership.id}`;
  const items: NavItem[] = [
    { href: base, text: 'Overview', active: section === 'overview' },
    { href: `${base}/organisations`, text: 'Partner organisations', active: section === 'organisations' },
    { href: `${base}/plans`, text: 'Plans', active: section === 'plans' },
  ];
  items.push(
    { href: `${base}/performance`, text: 'Performance', active: section === 'performance' },
    { href: `${base}/indicators`, text: 'Indicators', active: section === 'indicators' },
  );
  items.push({ href: `${base}/assessment`, text: 'Strategic assessment', active: section === 'assessment' });
  items.push({ href: `${base}/reports`, text: 'Reports', active: section === 'reports' });
  if (can(access.role, 'figure.write')) {
    items.push({ href: `${base}/my-figures`, text: 'My figures', active: section === 'my-figures' });
    items.push({ href: `${base}/figures`, text: 'Enter figures', active: section === 'figures' });
  }
  if (can(access.role, 'member.manage')) items.push({ href: `${base}/users`, text: 'Users', active: section === 'users' });
  if (can(access.role, 'audit.read')) items.push({ href: `${base}/audit`, text: 'Audit trail', active: section === 'audit' });
  if (can(access.role, 'partnership.update')) items.push({ href: `${base}/settings`, text: 'Settings', active: section === 'settings' });
  return items;
}

/**
 * HTML rendered earlier and kept as UTF-8 bytes (say, a cached table of a page): a view places it with
 * `{{ fragment(name) }}` and the page is sent as bytes around it, so a large cached part is neither copied into
 * the page's string nor encoded again on each request.
 */
export type Fragments = Record<string, Buffer>;

const FRAGMENT_MARK = /<!--csphub-fragment:([a-z][a-zA-Z0-9]*)-->/g;

function withFragments(html: string, fragments: Fragments): Buffer {
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of html.matchAll(FRAGMENT_MARK)) {
    const fragment = fragments[m[1]!];
    if (!fragment) continue;
    parts.push(Buffer.from(html.slice(last, m.index)), fragment);
    last = m.index + m[0].length;
  }
  parts.push(Buffer.from(html.slice(last)));
  return Buffer.concat(parts);
}

/** A page's HTML with the shell's shared context, as a string (fragments not placed): for a hook that replaces a payload. */
export function makePageHtml(views: nunjucks.Environment, db: Kysely<Database>) {
  return async function pageHtml(reply: FastifyReply, template: string, context: Record<string, unknown> = {}): Promise<string> {
    const request = reply.request;
    const user = request.user;
    const flash = request.cookies[FLASH_COOKIE];
    if (flash) reply.clearCookie(FLASH_COOKIE, { path: '/' });
    return views.render(template, {
      user,
      access: request.access,
      myPartnerships: user ? await partnershipsForUser(db, user) : [],
      navigation: navigation(request, context.section as string | undefined),
      csrfToken: request.csrfToken,
      cspNonce: request.cspNonce,
      flash: flash ? decodeURIComponent(flash) : undefined,
      can: (action: Parameters<typeof can>[1]) => (request.access ? can(request.access.role, action) : false),
      fragment: (name: string) => new nunjucks.runtime.SafeString(`<!--csphub-fragment:${name}-->`),
      ...context,
    });
  };
}

export function makeRender(views: nunjucks.Environment, db: Kysely<Database>) {
  const pageHtml = makePageHtml(views, db);
  return async function render(
    this: FastifyReply,
    template: string,
    context: Record<string, unknown> & { fragments?: Fragments } = {},
    status = 200,
  ): Promise<FastifyReply> {
    const html = await pageHtml(this, template, context);
    return this.code(status)
      .type('text/html; charset=utf-8')
      .send(context.fragments ? withFragments(html, context.fragments) : html);
  };
}

/** Sets a one-time success message shown on the next page. */
export function setFlash(reply: FastifyReply, message: string, secure: boolean): void {
  reply.setCookie(FLASH_COOKIE, encodeURIComponent(message), { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 60 });
}
