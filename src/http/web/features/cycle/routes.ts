/**
 * The monthly and quarterly cycle (decision 0022): the collection calendar of every indicator (due, overdue,
 * received), an indicator's owner and schedule, the partnership's collection settings and members' organisations,
 * a delivery activity's owner, "my figures" (what is the signed-in person's to do, with one form for all their
 * figures) and the completeness score per owner, organisation and partnership.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import {
  collectionSettings,
  getActivity,
  MAX_DUE_WORKING_DAYS,
  ownerChoices,
  setActivityOwner,
  setCollectionSettings,
  setIndicatorCollection,
} from '../../../../services/cycle/owners.ts';
import {
  completenessReport,
  completenessWindow,
  myWork,
  partnershipCollection,
  type IndicatorCollection,
} from '../../../../services/cycle/collection.ts';
import { enterFigures } from '../../../../services/performance/figures.ts';
import { getIndicator, label, PERIOD_EXAMPLES } from '../../../../services/performance/indicators.ts';
import { ConflictError, ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { formatPeriodLabel } from '../../../../domain/index.ts';
import type { Completeness, ExpectedFigure } from '../../../../domain/collection.ts';

const STATUS_TEXT: Record<ExpectedFigure['status'], string> = { received: 'Received', due: 'Due', overdue: 'Overdue' };
const STATUS_TAG: Record<ExpectedFigure['status'], string> = {
  received: 'govuk-tag--green',
  due: 'govuk-tag--blue',
  overdue: 'govuk-tag--red',
};

/** An expected figure for a table: labels, status tag and whether it came in on time. */
export function expectedView(f: ExpectedFigure) {
  return {
    ...f,
    periodLabel: formatPeriodLabel(f.period),
    statusText: f.status === 'received' && f.onTime === false ? 'Received late' : STATUS_TEXT[f.status],
    tagClass: f.status === 'received' && f.onTime === false ? 'govuk-tag--yellow' : STATUS_TAG[f.status],
  };
}

/** The collection calendar of one indicator, for its page (hook in the performance routes). */
export function indicatorCollectionView(c: IndicatorCollection | null) {
  if (!c) return null;
  return {
    ...c,
    ownerLabel: c.ownerName ? `${c.ownerName}${c.ownerOrganisationName ? ` (${c.ownerOrganisationName})` : ''}` : c.ownerText || 'No owner',
    rows: [...c.expected].reverse().map(expectedView),
  };
}

function scoreText(c: Completeness): string {
  return c.score === null ? 'Nothing due yet' : `${c.score.toLocaleString('en-GB')}%`;
}

export async function cycleRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const base = (r: FastifyRequest) => `/partnerships/${pid(r)}`;
  const crumbs = (r: FastifyRequest, extra: { text: string; href: string }[] = []) => [
    { text: 'Home', href: '/' },
    { text: r.access!.partnership.name, href: base(r) },
    ...extra,
  ];
  const str = (v: unknown) => (typeof v === 'string' ? v : '');

  // ---- The collection calendar of every indicator ----
  app.get('/partnerships/:partnershipId/collection', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const c = await partnershipCollection(k, pid(request));
    return reply.render('features/cycle/collection.njk', {
      title: 'Figures due and overdue',
      section: 'performance',
      breadcrumbs: crumbs(request, [{ text: 'Performance', href: `${base(request)}/performance` }]),
      base: base(request),
      collection: c,
      rows: c.indicators.map((i) => ({
        ...i,
        ownerLabel: i.ownerName ?? (i.ownerText || 'No owner'),
        nextView: i.next ? expectedView(i.next) : null,
        overdueLabels: i.expected.filter((f) => f.status === 'overdue').map((f) => formatPeriodLabel(f.period)),
      })),
    });
  });

  // ---- An indicator's owner and schedule ----
  async function indicatorForm(
    request: FastifyRequest,
    reply: FastifyReply,
    values?: Record<string, string>,
    errors?: FieldError[],
    status = 200,
  ) {
    const i = await getIndicator(k, pid(request), assertValidId((request.params as { indicatorId: string }).indicatorId, 'Indicator'));
    const choices = await ownerChoices(k, pid(request));
    const settings = await collectionSettings(k, pid(request));
    const v = values ?? {
      ownerUserId: i.owner_user_id ? String(i.owner_user_id) : '',
      ownerOrganisationId: i.owner_organisation_id ? String(i.owner_organisation_id) : '',
      dueWorkingDays: i.due_working_days === null ? '' : String(i.due_working_days),
      collectFrom: i.collect_from ?? '',
      expectedUpdatedAt: i.updated_at,
    };
    return reply.render(
      'features/cycle/indicator-collection.njk',
      {
        title: `Owner and collection of ${label(i)}`,
        section: 'indicators',
        breadcrumbs: crumbs(request, [
          { text: 'Indicators', href: `${base(request)}/indicators` },
          { text: label(i), href: `${base(request)}/indicators/${i.id}` },
        ]),
        indicator: i,
        base: base(request),
        values: v,
        errors,
        defaultDays: settings.dueWorkingDays,
        maxDays: MAX_DUE_WORKING_DAYS,
        periodExample: PERIOD_EXAMPLES[i.frequency],
        memberItems: [
          { value: '', text: 'No one with an account' },
          ...choices.members.map((m) => ({
            value: String(m.userId),
            text: `${m.name} (${m.email})`,
            selected: v.ownerUserId === String(m.userId),
          })),
        ],
        organisationItems: [
          { value: '', text: "The owner's organisation, or none" },
          ...choices.organisations.map((o) => ({ value: String(o.id), text: o.name, selected: v.ownerOrganisationId === String(o.id) })),
        ],
      },
      status,
    );
  }

  app.get(
    '/partnerships/:partnershipId/indicators/:indicatorId/collection',
    { config: { auth: 'indicator.write' } },
    async (request, reply) => indicatorForm(request, reply),
  );
  app.post(
    '/partnerships/:partnershipId/indicators/:indicatorId/collection',
    { config: { auth: 'indicator.write' } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const id = assertValidId((request.params as { indicatorId: string }).indicatorId, 'Indicator');
      const values = Object.fromEntries(
        ['ownerUserId', 'ownerOrganisationId', 'dueWorkingDays', 'collectFrom', 'expectedUpdatedAt'].map((f) => [f, str(body[f])]),
      );
      try {
        const i = await setIndicatorCollection(k, actorOf(request.user!), pid(request), id, values);
        return reply
          .flash(`The owner and collection schedule of ${label(i)} have been saved`)
          .redirect(`${base(request)}/indicators/${id}#collection`, 303);
      } catch (e) {
        if (e instanceof ValidationError) return indicatorForm(request, reply, values, e.errors, 400);
        if (e instanceof ConflictError)
          return indicatorForm(request, reply, undefined, [{ field: 'ownerUserId', message: e.message }], 409);
        throw e;
      }
    },
  );

  // ---- Collection settings: default due date, contributors' restriction, members' organisations ----
  async function settingsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    values?: Record<string, unknown>,
    errors?: FieldError[],
    status = 200,
  ) {
    const settings = await collectionSettings(k, pid(request));
    const choices = await ownerChoices(k, pid(request));
    const orgValue = (userId: number, current: number | null) => {
      const sent = values?.[`organisation-${userId}`];
      return typeof sent === 'string' ? sent : current ? String(current) : '';
    };
    return reply.render(
      'features/cycle/settings.njk',
      {
        title: 'Collecting figures',
        section: 'settings',
        breadcrumbs: crumbs(request, [{ text: 'Settings', href: `${base(request)}/settings` }]),
        base: base(request),
        errors,
        dueWorkingDays: values ? str(values.dueWorkingDays) : String(settings.dueWorkingDays),
        contributorsOwnOnly: values ? values.contributorsOwnOnly === 'yes' : settings.contributorsOwnOnly,
        maxDays: MAX_DUE_WORKING_DAYS,
        members: choices.members.map((m) => ({
          ...m,
          field: `organisation-${m.userId}`,
          items: [
            { value: '', text: 'None' },
            ...choices.organisations.map((o) => ({
              value: String(o.id),
              text: o.name,
              selected: orgValue(m.userId, m.organisationId) === String(o.id),
            })),
          ],
        })),
      },
      status,
    );
  }
  app.get('/partnerships/:partnershipId/collection/settings', { config: { auth: 'partnership.update' } }, async (request, reply) =>
    settingsPage(request, reply),
  );
  app.post('/partnerships/:partnershipId/collection/settings', { config: { auth: 'partnership.update' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const organisations: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body))
      if (key.startsWith('organisation-')) organisations[key.slice('organisation-'.length)] = value;
    try {
      await setCollectionSettings(k, actorOf(request.user!), pid(request), {
        dueWorkingDays: body.dueWorkingDays,
        contributorsOwnOnly: body.contributorsOwnOnly,
        organisations,
      });
      return reply.flash('Collection settings saved').redirect(`${base(request)}/collection/settings`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return settingsPage(request, reply, body, e.errors, 400);
      throw e;
    }
  });

  // ---- A delivery activity's owner ----
  async function activityForm(
    request: FastifyRequest,
    reply: FastifyReply,
    values?: Record<string, string>,
    errors?: FieldError[],
    status = 200,
  ) {
    const activityId = assertValidId((request.params as { activityId: string }).activityId, 'Activity');
    const a = await getActivity(k, pid(request), activityId);
    const choices = await ownerChoices(k, pid(request));
    const v = values ?? {
      ownerUserId: a.owner_user_id ? String(a.owner_user_id) : '',
      ownerOrganisationId: a.owner_organisation_id ? String(a.owner_organisation_id) : '',
    };
    return reply.render(
      'features/cycle/activity-owner.njk',
      {
        title: `Owner of ${a.title}`,
        section: 'plans',
        breadcrumbs: crumbs(request, [{ text: 'Plans', href: `${base(request)}/plans` }]),
        activity: a,
        base: base(request),
        values: v,
        errors,
        memberItems: [
          { value: '', text: 'No one with an account' },
          ...choices.members.map((m) => ({
            value: String(m.userId),
            text: `${m.name} (${m.email})`,
            selected: v.ownerUserId === String(m.userId),
          })),
        ],
        organisationItems: [
          { value: '', text: "The owner's organisation, or none" },
          ...choices.organisations.map((o) => ({ value: String(o.id), text: o.name, selected: v.ownerOrganisationId === String(o.id) })),
        ],
      },
      status,
    );
  }
  app.get('/partnerships/:partnershipId/activities/:activityId/owner', { config: { auth: 'plan.write' } }, async (request, reply) =>
    activityForm(request, reply),
  );
  app.post('/partnerships/:partnershipId/activities/:activityId/owner', { config: { auth: 'plan.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { ownerUserId: str(body.ownerUserId), ownerOrganisationId: str(body.ownerOrganisationId) };
    const activityId = assertValidId((request.params as { activityId: string }).activityId, 'Activity');
    try {
      await setActivityOwner(k, actorOf(request.user!), pid(request), activityId, values);
      return reply.flash('The activity owner has been saved').redirect(`${base(request)}/my-figures`, 303);
    } catch (e) {
      if (e instanceof ValidationError) return activityForm(request, reply, values, e.errors, 400);
      throw e;
    }
  });

  // ---- My figures: what is the signed-in person's to do, and one form for all their figures ----
  async function myFigures(
    request: FastifyRequest,
    reply: FastifyReply,
    values?: Record<string, string>,
    errors?: FieldError[],
    status = 200,
  ) {
    const work = await myWork(k, pid(request), request.user!.id);
    const periodFilter = str((request.query as { period?: unknown }).period);
    const figures = work.figures
      .filter((f) => !periodFilter || f.period === periodFilter)
      .map((f, index) => ({ ...expectedView(f), row: index + 1, field: `value-${f.indicatorId}-${f.period.replace(' ', '_')}` }));
    return reply.render(
      'features/cycle/my-figures.njk',
      {
        title: 'My figures',
        section: 'my-figures',
        breadcrumbs: crumbs(request),
        base: base(request),
        work,
        figures,
        periods: [...new Set(work.figures.map((f) => f.period))].map((p) => ({
          value: p,
          text: formatPeriodLabel(p),
          selected: p === periodFilter,
        })),
        periodFilter,
        overdue: work.figures.filter((f) => f.status === 'overdue').length,
        values: values ?? {},
        errors,
      },
      status,
    );
  }
  app.get('/partnerships/:partnershipId/my-figures', { config: { auth: 'figure.write' } }, async (request, reply) =>
    myFigures(request, reply),
  );
  app.post('/partnerships/:partnershipId/my-figures', { config: { auth: 'figure.write' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values: Record<string, string> = {};
    const rows: { row: number; indicatorId: string; period: string; value: string }[] = [];
    let row = 0;
    for (const [key, raw] of Object.entries(body)) {
      const m = /^value-(\d{1,9})-(.+)$/.exec(key);
      if (!m) continue;
      row += 1;
      const value = str(raw).trim();
      values[key] = value;
      if (value !== '') rows.push({ row, indicatorId: m[1]!, period: m[2]!.replace('_', ' '), value });
    }
    try {
      const result = await enterFigures(k, actorOf(request.user!), pid(request), rows, { fieldPrefix: 'figure' });
      return reply
        .flash(`${result.created + result.revised} figure${result.created + result.revised === 1 ? '' : 's'} saved`)
        .redirect(`${base(request)}/my-figures`, 303);
    } catch (e) {
      if (e instanceof ValidationError) {
        // The grid's field names (figure-<row>-value) point at the form's inputs.
        const byRow = new Map(rows.map((r) => [r.row, `value-${r.indicatorId}-${r.period.replace(' ', '_')}`]));
        const errors = e.errors.map((x) => {
          const m = /^figure-(\d+)-/.exec(x.field);
          return m && byRow.has(Number(m[1])) ? { ...x, field: byRow.get(Number(m[1]))! } : x;
        });
        return myFigures(request, reply, values, errors, 400);
      }
      throw e;
    }
  });

  // ---- Completeness ----
  app.get('/partnerships/:partnershipId/completeness', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const q = request.query as { from?: unknown; to?: unknown };
    let window: { from: string; to: string };
    let errors: FieldError[] | undefined;
    try {
      window = completenessWindow(q);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      errors = e.errors;
      window = completenessWindow({});
    }
    const report = await completenessReport(k, pid(request), window);
    const rowsOf = (list: { name: string; completeness: Completeness }[]) =>
      list.map((r) => ({ ...r, scoreText: scoreText(r.completeness) }));
    return reply.render(
      'features/cycle/completeness.njk',
      {
        title: 'Data completeness',
        section: 'performance',
        breadcrumbs: crumbs(request, [{ text: 'Performance', href: `${base(request)}/performance` }]),
        base: base(request),
        report,
        values: { from: str(q.from) || window.from, to: str(q.to) || window.to },
        errors,
        partnershipScore: scoreText(report.partnership),
        owners: rowsOf(report.owners),
        organisations: rowsOf(report.organisations),
        indicators: rowsOf(report.indicators),
      },
      errors ? 400 : 200,
    );
  });
}
