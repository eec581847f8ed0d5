/**
 * A linked meeting paper can point at a page of the same partnership in CSP Hub (a Board pack, a report, an
 * indicator, another meeting). Its address names the partnership's ids, which all change on import, so the import
 * rewrites such an address to the new ids (ADR 0052). Only addresses inside the exported partnership are touched:
 * a link within CSP Hub (starting /), or a full address on the exporting instance or on this one, whose path is
 * /partnerships/<the exported partnership's id>/... (or the same under /api/v1). Anything else is left as it is.
 */

/** The path segment before an id in CSP Hub's addresses, and the exported table that id belongs to. */
const SEGMENT_TABLES: Record<string, string> = {
  actions: 'meeting_actions',
  activities: 'delivery_activities',
  duties: 'statutory_duties',
  'highlight-reports': 'highlight_reports',
  indicators: 'indicators',
  meetings: 'meetings',
  organisations: 'organisations',
  papers: 'meeting_papers',
  'plan-versions': 'plan_versions',
  plans: 'plans',
  priorities: 'priorities',
  'review-areas': 'review_areas',
  'review-priorities': 'review_priorities',
  reviews: 'reviews',
  scrutiny: 'scrutiny_recommendations',
  users: 'users',
  versions: 'plan_versions',
};

/** Query parameters that carry an id, and its table. */
const QUERY_TABLES: Record<string, string> = { meeting: 'meetings', group: 'governance_groups', indicator: 'indicators' };

export interface LinkRemap {
  /** The partnership's id in the file. */
  oldPartnershipId: number;
  newPartnershipId: number;
  /** Origins (like https://csphub.example.org) whose full addresses count as CSP Hub's: the exporting instance's and this one's. */
  origins: string[];
  /** The new id of a row of the file, or null when that table is not exported (a generated document) or the row did not come in. */
  map: (table: string, id: number) => number | null;
}

const PATH = /^(\/api\/v1)?\/partnerships\/(\d+)(\/[^?#]*)?(\?[^#]*)?(#.*)?$/;

/** The address with the partnership's ids made the new ones, or the address unchanged when it points elsewhere. */
export function remapPartnershipLink(url: string, remap: LinkRemap): string {
  let origin = '';
  let rest = url;
  if (!url.startsWith('/')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return url;
    }
    if (!remap.origins.includes(parsed.origin)) return url;
    origin = parsed.origin;
    rest = url.slice(origin.length);
  }
  const m = PATH.exec(rest);
  if (!m || Number(m[2]) !== remap.oldPartnershipId) return url;
  const [, api = '', , tail = '', query = '', hash = ''] = m;
  const segments = tail.split('/');
  for (let i = 1; i < segments.length; i++) {
    const table = SEGMENT_TABLES[segments[i - 1]!];
    if (!table || !/^\d+$/.test(segments[i]!)) continue;
    const mapped = remap.map(table, Number(segments[i]));
    if (mapped !== null) segments[i] = String(mapped);
  }
  let newQuery = query;
  if (query) {
    const params = new URLSearchParams(query.slice(1));
    let changed = false;
    for (const [name, table] of Object.entries(QUERY_TABLES)) {
      const v = params.get(name);
      const mapped = v && /^\d+$/.test(v) ? remap.map(table, Number(v)) : null;
      if (mapped !== null) {
        params.set(name, String(mapped));
        changed = true;
      }
    }
    // Left exactly as written unless an id in it changed.
    if (changed) newQuery = `?${params.toString()}`;
  }
  return `${origin}${api}/partnerships/${remap.newPartnershipId}${segments.join('/')}${newQuery}${hash}`;
}
