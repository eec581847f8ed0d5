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

interface NavGroup {
  text: string;
  /** Sections (the `section` a page renders with) that belong to the group. */
  sections: string[];
  /** `exact`: current only on its own address (the overview, whose address starts every other page's). */
  items: { href: string; text: string; exact?: boolean }[];
  /** Where the group's top-level link goes, when not its first page. */
  href?: string;
}

/**
 * The partnership menu, grouped around the yearly cycle: Overview, Plans, Performance, Reports, Meetings,
 * Strategic assessment, Settings. A group with several pages shows them as a sub-navigation on each of its pages; what a
 * role may not do is left out.
 */
function navGroups(base: string, role: Parameters<typeof can>[0]): NavGroup[] {
  const when = (ok: boolean, item: { href: string; text: string }) => (ok ? [item] : []);
  return [
    { text: 'Overview', sections: ['overview'], items: [{ href: base, text: 'Overview', exact: true }] },
    { text: 'Plans', sections: ['plans'], items: [{ href: `${base}/plans`, text: 'Plans' }] },
    {
      text: 'Performance',
      sections: ['performance', 'indicators', 'figures', 'my-figures'],
      items: [
        { href: `${base}/performance`, text: 'Dashboard' },
        { href: `${base}/indicators`, text: 'Indicators' },
        { href: `${base}/performance/spc`, text: 'SPC summary' },
        ...when(can(role, 'figure.write'), { href: `${base}/my-figures`, text: 'My figures' }),
        ...when(can(role, 'figure.write'), { href: `${base}/figures`, text: 'Enter figures' }),
        { href: `${base}/collection`, text: 'Collection' },
        { href: `${base}/completeness`, text: 'Completeness' },
      ],
    },
    {
      text: 'Reports',
      sections: ['reports'],
      items: [
        { href: `${base}/reports`, text: 'Board reports' },
        { href: `${base}/highlight-reports`, text: 'Highlight reports' },
        { href: `${base}/reviews`, text: 'Annual reviews' },
        { href: `${base}/documents`, text: 'Generated documents' },
      ],
    },
    {
      text: 'Meetings',
      sections: ['meetings'],
      items: [
        { href: `${base}/meetings`, text: 'Meetings' },
        { href: `${base}/actions`, text: 'Actions' },
        { href: `${base}/statutory-calendar`, text: 'Statutory calendar' },
        { href: `${base}/scrutiny`, text: 'Scrutiny' },
      ],
    },
    { text: 'Strategic assessment', sections: ['assessment'], items: [{ href: `${base}/assessment`, text: 'Strategic assessment' }] },
    {
      text: 'Settings',
      sections: ['settings', 'organisations', 'users', 'audit'],
      href: can(role, 'partnership.update') ? `${base}/settings` : undefined,
      items: [
        ...when(can(role, 'partnership.update'), { href: `${base}/settings`, text: 'Partnership' }),
        { href: `${base}/organisations`, text: 'Partner organisations' },
        ...when(can(role, 'member.manage'), { href: `${base}/users`, text: 'Users' }),
        ...when(can(role, 'audit.read'), { href: `${base}/audit`, text: 'Audit trail' }),
      ],
    },
  ];
}

/** The item of `items` whose address is the longest start of the page's path. */
function currentItem<T extends { href: string; exact?: boolean }>(items: T[], path: string): T | undefined {
  return items
    .filter((i) => path === i.href || (!i.exact && path.startsWith(`${i.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0];
}

export interface Navigation {
  navigation: NavItem[];
  /** The pages of the current group, when it has more than one. */
  subNavigation: (NavItem & { group: string })[];
}

export function navigationFor(request: FastifyRequest, section: string | undefined): Navigation {
  const access = request.access;
  if (!access) return { navigation: [], subNavigation: [] };
  const base = `/partnerships/${access.partnership.id}`;
  const path = request.url.split('?')[0]!;
  const groups = navGroups(base, access.role);
  const byPath = currentItem(
    groups.flatMap((g) => g.items.map((i) => ({ ...i, group: g }))),
    path,
  );
  const active = groups.find((g) => section !== undefined && g.sections.includes(section)) ?? byPath?.group;
  const navigation = groups.map((g) => ({ href: g.href ?? g.items[0]!.href, text: g.text, active: g === active }));
  if (!active || active.items.length < 2) return { navigation, subNavigation: [] };
  const current = currentItem(active.items, path);
  return {
    navigation,
    subNavigation: active.items.map((i) => ({ href: i.href, text: i.text, group: active.text, active: i === current })),
  };
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
    return withoutIndentation(
      views.render(template, {
        user,
        access: request.access,
        myPartnerships: user ? await partnershipsForUser(db, user) : [],
        ...navigationFor(request, context.section as string | undefined),
        csrfToken: request.csrfToken,
        cspNonce: request.cspNonce,
        flash: flash ? decodeURIComponent(flash) : undefined,
        can: (action: Parameters<typeof can>[1]) => (request.access ? can(request.access.role, action) : false),
        fragment: (name: string) => new nunjucks.runtime.SafeString(`<!--csphub-fragment:${name}-->`),
        ...context,
      }),
    );
  };
}

const KEEPS_WHITESPACE = /(<(pre|textarea)\b[\s\S]*?<\/\2>)/i;

/**
 * A page without the templates' indentation and blank lines (issue 15: about 1.7 KB of the dashboard): a line break
 * and the spaces after it read the same in HTML as the line break alone, except inside <pre> and <textarea>, which
 * are kept as they are.
 */
export function withoutIndentation(html: string): string {
  return html
    .split(KEEPS_WHITESPACE)
    .map((part, i) => (i % 3 === 0 ? part.replace(/\n[ \t\r\n]+/g, '\n') : i % 3 === 1 ? part : ''))
    .join('');
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
