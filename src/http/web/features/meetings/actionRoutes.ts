/**
 * The action log (across the partnership or for one group, open or all) and each action's page with its dated
 * updates and the form to give one or close it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ACTION_STATUSES } from '../../../../adapters/database/schema.ts';
import { ValidationError, type FieldError } from '../../../../domain/errors.ts';
import { assertValidId } from '../../../../services/partnerships/partnerships.ts';
import { actionUpdates, getActionDetails, listActions, updateAction } from '../../../../services/meetings/actions.ts';
import { groupLineages } from '../../../../services/meetings/meetings.ts';
import { ACTION_STATUS_LABELS } from '../../../../presentation/meetingLabels.ts';

export async function actionRoutes(app: FastifyInstance, { db }: AppServices): Promise<void> {
  const k = db.kysely;
  const pid = (r: FastifyRequest) => r.access!.partnership.id;
  const base = (r: FastifyRequest) => `/partnerships/${pid(r)}`;
  const crumbs = (r: FastifyRequest) => [
    { text: 'Home', href: '/' },
    { text: r.access!.partnership.name, href: base(r) },
    { text: 'Meetings', href: `${base(r)}/meetings` },
  ];

  app.get('/partnerships/:partnershipId/actions', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const q = request.query as { group?: string; status?: string };
    const groups = await groupLineages(k, pid(request));
    const group = groups.find((g) => g.ids.includes(Number(q.group)));
    const status = q.status === 'all' || q.status === 'closed' ? q.status : 'open';
    const actions = await listActions(k, pid(request), { groupId: group?.id, status });
    return reply.render('features/meetings/actions.njk', {
      title: group ? `Action log: ${group.name}` : 'Action log',
      section: 'meetings',
      breadcrumbs: crumbs(request),
      actions: actions.map((a) => ({ ...a, statusText: ACTION_STATUS_LABELS[a.status] })),
      groupItems: [{ value: '', text: 'All groups' }, ...groups.map((g) => ({ value: String(g.id), text: g.name }))],
      statusItems: [
        { value: 'open', text: 'Open and in progress' },
        { value: 'closed', text: 'Closed' },
        { value: 'all', text: 'All' },
      ],
      group: group ? String(group.id) : '',
      status,
      base: base(request),
    });
  });

  const actionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown>,
    errors?: FieldError[],
    status = 200,
  ) => {
    const id = assertValidId((request.params as { actionId: string }).actionId, 'Action');
    const action = await getActionDetails(k, pid(request), id);
    const updates = await actionUpdates(k, pid(request), id);
    return reply.render(
      'features/meetings/action.njk',
      {
        title: `Action: ${action.title}`,
        section: 'meetings',
        breadcrumbs: [...crumbs(request), { text: 'Action log', href: `${base(request)}/actions` }],
        action: { ...action, statusText: ACTION_STATUS_LABELS[action.status] },
        updates: updates.map((u) => ({ ...u, statusText: ACTION_STATUS_LABELS[u.status] })),
        statusItems: ACTION_STATUSES.map((s) => ({ value: s, text: ACTION_STATUS_LABELS[s] })),
        values,
        errors,
        base: base(request),
      },
      status,
    );
  };

  app.get('/partnerships/:partnershipId/actions/:actionId', { config: { auth: 'partnership.read' } }, async (request, reply) => {
    const meeting = (request.query as { meeting?: string }).meeting;
    return actionPage(request, reply, { meetingId: meeting && /^\d+$/.test(meeting) ? meeting : '', status: 'in_progress' });
  });

  app.post('/partnerships/:partnershipId/actions/:actionId/updates', { config: { auth: 'action.update' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const id = assertValidId((request.params as { actionId: string }).actionId, 'Action');
    try {
      const { action } = await updateAction(k, actorOf(request.user!), pid(request), id, body);
      const back =
        typeof body.meetingId === 'string' && /^\d+$/.test(body.meetingId)
          ? `${base(request)}/meetings/${body.meetingId}#actions`
          : `${base(request)}/actions/${id}`;
      return reply
        .flash(action.status === 'closed' ? `The action "${action.title}" is closed` : `The update on "${action.title}" has been saved`)
        .redirect(back, 303);
    } catch (e) {
      if (e instanceof ValidationError) return actionPage(request, reply, body, e.errors, 400);
      throw e;
    }
  });
}
