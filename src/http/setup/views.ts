/**
 * Pages: the Nunjucks views with GOV.UK Frontend, `reply.render` and `reply.flash`, and any page's GOV.UK tables as
 * CSV and XLSX downloads (?download=table-N.csv) with a download line after each table.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppServices } from '../context.ts';
import type { AssetSet } from '../web/assets.ts';
import { createViews } from '../web/views.ts';
import { makePageHtml, makeRender, setFlash } from '../web/render.ts';
import { registerTableDownloads } from '../web/tableDownloads.ts';

export function setUpViews(app: FastifyInstance, { db, config }: AppServices, assets: AssetSet): void {
  const views = createViews();
  views.addGlobal('asset', (name: string) => assets.url(name));
  app.decorate('views', views);
  app.decorateReply('render', makeRender(views, db.kysely));
  app.decorateReply('flash', function (this: FastifyReply, message: string) {
    setFlash(this, message, config.secureCookies);
    return this;
  });
  registerTableDownloads(app, makePageHtml(views, db.kysely));
}
