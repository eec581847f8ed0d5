/**
 * The forms for every part of a plan version (priorities, objectives, delivery activities and their progress
 * updates, themes, governance groups, resources, risks, engagement, the calendar, links, funding streams and
 * allocations): one generic form driven by the part's fields, to add, change, remove and move each kind of part.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type AppServices } from '../../../context.ts';
import { ConflictError, ValidationError } from '../../../../domain/errors.ts';
import {
  asText,
  createPart,
  deletePart,
  formValues,
  movePart,
  PARENT_PARAM,
  PARENT_PATH,
  PARENT_SPEC,
  PART_KINDS,
  PART_PARAM,
  PART_SPECS,
  PICK_OTHER,
  joinNames,
  splitNames,
  updatePart,
  type FieldSpec,
  type PartKind,
  type PartSpec,
  type ReferenceOptions,
} from '../../../../services/plans/planParts.ts';
import {
  newPartForm,
  partForEditing,
  partInPlan,
  partPlace,
  placeOfPart,
  type PartEditing,
  type PartPlace,
} from '../../../../services/plans/partForms.ts';
import type { VersionWithPlan } from '../../../../services/plans/plans.ts';
import { typedDateText } from '../../dateInputs.ts';
import { base, body, page, param, pid, versionCrumbs, versionUrl } from './planPages.ts';

/** Where to go back to after changing a part: the priority page for things under a priority, else the version's page. */
function partUrl(r: FastifyRequest, kind: PartKind, place: PartPlace): string {
  if (place.priorityId !== null) return `${base(r)}/priorities/${place.priorityId}`;
  if (kind === 'stream' || kind === 'allocation') return `${versionUrl(r, place.versionId)}/funding`;
  if (kind === 'group') return `${versionUrl(r, place.versionId)}/governance`;
  return `${versionUrl(r, place.versionId)}#${PART_SPECS[kind].segment}`;
}

/** Where to go back to from adding a part: its parent's page. */
function parentUrl(r: FastifyRequest, spec: PartSpec, parent: PartPlace): string {
  if (spec.parent !== 'version') return partUrl(r, PARENT_SPEC[spec.parent], parent);
  const url = versionUrl(r, parent.versionId);
  return spec.kind === 'stream' ? `${url}/funding` : spec.kind === 'group' ? `${url}/governance` : url;
}

/**
 * A lead or partner responsible chosen from the partnership's organisations and members; a name not on the list
 * (typed before, or by the API) is shown as "someone else" with the name in the box beside it.
 */
function pickView(f: FieldSpec, refs: ReferenceOptions, values: Record<string, unknown>) {
  const names = [
    ...(f.pick !== 'member' ? refs.organisation.map((o) => o.text) : []),
    ...(f.pick !== 'organisation' ? refs.member.map((m) => m.text) : []),
  ];
  const value = asText(values[f.name]);
  const other = value === PICK_OTHER || (value !== '' && !names.includes(value));
  const otherText = value === PICK_OTHER ? asText(values[`${f.name}Other`]) : other ? value : '';
  const items = [
    { value: '', text: 'Not chosen yet' },
    ...[...new Set(names)].map((n) => ({ value: n, text: n, selected: n === value })),
    { value: PICK_OTHER, text: 'Someone else (enter the name below)', selected: other },
  ];
  const otherLabel = f.pick === 'organisation' ? 'Name of another organisation' : 'Name of someone else';
  const among = f.pick === 'organisation' ? 'organisations' : f.pick === 'member' ? 'members' : 'organisations and members';
  const pickHint = `Choose from the partnership's ${among}, or someone else`;
  return { ...f, kind: 'pick', value, items, pickHint, other: { name: `${f.name}Other`, value: otherText, label: otherLabel } };
}

/**
 * Partners involved ticked from the partnership's organisations, with a box for others; the stored text is split into
 * the names on the list (ticked) and the rest (in the box). Without organisations, the plain text box as before.
 */
function pickManyView(f: FieldSpec, refs: ReferenceOptions, values: Record<string, unknown>) {
  const raw = values[f.name];
  const orgs = refs.organisation.map((o) => o.text);
  if (orgs.length === 0) return { ...f, value: Array.isArray(raw) ? joinNames(raw, values[`${f.name}Other`]) : asText(raw), items: [] };
  const fromForm = Array.isArray(raw) || values[`${f.name}Other`] !== undefined;
  const names = fromForm ? ([] as unknown[]).concat(raw ?? []).map(asText) : splitNames(asText(raw));
  const other = fromForm ? asText(values[`${f.name}Other`]) : names.filter((n) => !orgs.includes(n)).join(', ');
  const items = [...new Set(orgs)].map((n) => ({ value: n, text: n, checked: names.includes(n) }));
  return { ...f, kind: 'pickMany', items, other: { name: `${f.name}Other`, value: other, label: 'Other partners (optional)' } };
}

function fieldView(f: FieldSpec, refs: ReferenceOptions, values: Record<string, unknown>) {
  if (f.pick) return pickView(f, refs, values);
  if (f.pickMany) return pickManyView(f, refs, values);
  const value = values[f.name];
  const items = (
    f.kind === 'reference'
      ? [{ value: '', text: 'None' }, ...refs[f.reference!]]
      : f.kind === 'priorities'
        ? refs.priority
        : (f.choices ?? [])
  ).map((c) => ({
    ...c,
    checked:
      f.kind === 'priorities'
        ? ([] as unknown[])
            .concat(value ?? [])
            .map(asText)
            .includes(c.value)
        : asText(value) === c.value,
    selected: asText(value) === c.value,
  }));
  return { ...f, value: value ?? '', items };
}

interface FormContext {
  values: Record<string, unknown>;
  errors?: unknown;
  /** What the editor tried to save, shown beside someone else's newer save. */
  yours?: Record<string, unknown>;
  action: string;
  cancel: string;
  title: string;
  deleteHref?: string;
  submitText: string;
}

function partForm(
  r: FastifyRequest,
  reply: FastifyReply,
  spec: PartSpec,
  form: { version: VersionWithPlan; refs: ReferenceOptions },
  ctx: FormContext,
  status = 200,
) {
  const yours = ctx.yours
    ? spec.fields.map((f) => ({
        label: f.label,
        value:
          f.kind === 'date'
            ? typedDateText(ctx.yours![f.name])
            : f.pick && ctx.yours![f.name] === PICK_OTHER
              ? asText(ctx.yours![`${f.name}Other`])
              : f.pickMany
                ? joinNames(ctx.yours![f.name], ctx.yours![`${f.name}Other`])
                : ([] as unknown[]).concat(ctx.yours![f.name] ?? '').join(', '),
      }))
    : undefined;
  return page(
    r,
    reply,
    'part-form.njk',
    {
      ...ctx,
      spec,
      // A risk asks for the 3x3 words or the 1-5 scores, as the partnership scores risks.
      fields: spec.fields.filter((f) => !f.scoring || f.scoring === form.refs.scoring).map((f) => fieldView(f, form.refs, ctx.values)),
      breadcrumbs: versionCrumbs(r, form.version),
      yours,
    },
    status,
  );
}

/** A route pattern filled in with the request's parameters. */
const fill = (r: FastifyRequest, url: string) =>
  url.replace(/:([A-Za-z]+)/g, (_m, n: string) => String((r.params as Record<string, string>)[n]));
const newUrl = (spec: PartSpec) => `/partnerships/:partnershipId/${PARENT_PATH[spec.parent]}/${spec.segment}/new`;
const itemUrl = (spec: PartSpec) => `/partnerships/:partnershipId/${spec.segment}/:${PART_PARAM[spec.kind]}`;

/** Adding a part under its parent (a version, priority, objective, activity or funding stream). */
function addPartRoutes(app: FastifyInstance, { db }: AppServices, spec: PartSpec): void {
  const k = db.kysely;
  const url = newUrl(spec);
  const auth = { config: { auth: spec.action } };
  const parentId = (r: FastifyRequest) => param(r, PARENT_PARAM[spec.parent], 'Page');
  const texts = { title: `Add ${/^[aeiou]/.test(spec.noun) ? 'an' : 'a'} ${spec.noun}`, submitText: `Add ${spec.noun}` };

  app.get(url, auth, async (r, reply) => {
    const form = await newPartForm(k, pid(r), spec.parent, parentId(r));
    const values: Record<string, unknown> = {};
    if (spec.kind === 'activity') values.status = 'not_started';
    if (spec.kind === 'allocation') values.boardApproved = 'no';
    return partForm(r, reply, spec, form, { values, action: fill(r, url), cancel: parentUrl(r, spec, form.parent), ...texts });
  });
  app.post(url, auth, async (r, reply) => {
    const id = parentId(r);
    try {
      const row = await createPart(k, actorOf(r.user!), pid(r), spec.kind, id, body(r));
      return reply
        .flash(`The ${spec.noun} has been added`)
        .redirect(partUrl(r, spec.kind, await placeOfPart(k, pid(r), spec.kind, row)), 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const form = await newPartForm(k, pid(r), spec.parent, id);
      return partForm(
        r,
        reply,
        spec,
        form,
        { values: body(r), errors: e.errors, action: fill(r, url), cancel: parentUrl(r, spec, form.parent), ...texts },
        400,
      );
    }
  });
}

/** Changing a part, with the check for someone else's newer save. */
function editPartRoutes(app: FastifyInstance, { db }: AppServices, spec: PartSpec): void {
  const k = db.kysely;
  const url = `${itemUrl(spec)}/edit`;
  const auth = { config: { auth: spec.action } };
  const partId = (r: FastifyRequest) => param(r, PART_PARAM[spec.kind], 'Page');
  const texts = (r: FastifyRequest, part: PartEditing) => ({
    action: fill(r, url),
    cancel: partUrl(r, spec.kind, part.place),
    title: `Change ${spec.noun}`,
    deleteHref: fill(r, `${itemUrl(spec)}/delete`),
    submitText: 'Save changes',
  });

  app.get(url, auth, async (r, reply) => {
    const part = await partForEditing(k, pid(r), spec.kind, partId(r));
    return partForm(r, reply, spec, part, { ...texts(r, part), values: formValues(spec, part.row, part.priorityIds) });
  });
  app.post(url, auth, async (r, reply) => {
    const id = partId(r);
    try {
      const after = await updatePart(k, actorOf(r.user!), pid(r), spec.kind, id, body(r));
      return reply
        .flash(`The ${spec.noun} has been saved`)
        .redirect(partUrl(r, spec.kind, await placeOfPart(k, pid(r), spec.kind, after)), 303);
    } catch (e) {
      if (e instanceof ValidationError) {
        const part = await partForEditing(k, pid(r), spec.kind, id);
        return partForm(r, reply, spec, part, { ...texts(r, part), values: body(r), errors: e.errors }, 400);
      }
      if (e instanceof ConflictError && e.name !== 'VersionLockedError') {
        const latest = await partForEditing(k, pid(r), spec.kind, id);
        return partForm(
          r,
          reply,
          spec,
          latest,
          {
            ...texts(r, latest),
            values: formValues(spec, latest.row, latest.priorityIds),
            yours: body(r),
            errors: [{ field: spec.fields[0]!.name, message: e.message }],
          },
          409,
        );
      }
      throw e;
    }
  });
}

/** Removing a part (after a confirmation page), and moving it up or down among its siblings. */
function removeAndMovePartRoutes(app: FastifyInstance, { db }: AppServices, spec: PartSpec): void {
  const k = db.kysely;
  const url = itemUrl(spec);
  const auth = { config: { auth: spec.action } };
  const partId = (r: FastifyRequest) => param(r, PART_PARAM[spec.kind], 'Page');

  app.get(`${url}/delete`, auth, async (r, reply) => {
    const { row, version, place } = await partInPlan(k, pid(r), spec.kind, partId(r));
    return page(r, reply, 'part-delete.njk', {
      title: `Remove this ${spec.noun}?`,
      breadcrumbs: versionCrumbs(r, version),
      spec,
      name: asText(row[spec.titleColumn]),
      action: fill(r, `${url}/delete`),
      cancel: partUrl(r, spec.kind, place),
    });
  });
  app.post(`${url}/delete`, auth, async (r, reply) => {
    const id = partId(r);
    // Where to go afterwards, found while the part is still there: a removed priority's page is gone, so its version.
    const place = await partPlace(k, pid(r), spec.kind, id);
    const back = spec.kind === 'priority' ? versionUrl(r, place.versionId) : partUrl(r, spec.kind, place);
    await deletePart(k, actorOf(r.user!), pid(r), spec.kind, id);
    return reply.flash(`The ${spec.noun} has been removed`).redirect(back, 303);
  });

  if (spec.movable) {
    app.post(`${url}/move`, auth, async (r, reply) => {
      const id = partId(r);
      const place = await partPlace(k, pid(r), spec.kind, id);
      const back = spec.kind === 'priority' ? `${versionUrl(r, place.versionId)}#priorities` : partUrl(r, spec.kind, place);
      await movePart(k, actorOf(r.user!), pid(r), spec.kind, id, body(r).direction);
      return reply.redirect(back, 303);
    });
  }
}

export async function partRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  for (const kind of PART_KINDS) {
    const spec = PART_SPECS[kind];
    addPartRoutes(app, services, spec);
    editPartRoutes(app, services, spec);
    removeAndMovePartRoutes(app, services, spec);
  }
}
