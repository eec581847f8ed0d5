/**
 * JSON API under /api/v1: everything the pages can do, with the same services and the same authorisation
 * (a personal API token acts as its owner). The OpenAPI document is generated from these route schemas; each
 * group of resources registers its routes from its own file.
 */
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { AppServices } from '../../context.ts';
import { accountApi } from './account.ts';
import { partnershipApi } from './partnerships.ts';
import { organisationApi } from './organisations.ts';
import { userApi } from './users.ts';
import { auditApi } from './audit.ts';
import { planApiRoutes } from './plans.ts';
import { performanceApi } from './performance.ts';
import { commentaryApi } from './commentary.ts';
import { spcApi } from './spc.ts';
import { meetingsApi } from './meetings.ts';
import { transferApi } from './transfer.ts';
import { planDocumentApi } from './planDocuments.ts';
import { reportApi } from './reports.ts';
import { documentApi } from './documents.ts';
import { assessmentApi } from './assessment.ts';
import { evidenceApi } from './evidence.ts';
import { officialSourcesApi } from './officialSources.ts';
import { officialImportsApi } from './officialImports.ts';
import { cycleApi } from './cycle.ts';
import { retirementApi } from './retirement.ts';
import { settingsApi } from './performanceSettings.ts';
import { reviewApi } from './reviews.ts';

const bearer = [{ bearerAuth: [] }];

export async function apiRoutes(app: FastifyInstance, { db, config }: AppServices): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CSP Hub API',
        version: '1.0.0',
        description:
          'Planning and performance data of Community Safety Partnerships. Authenticate with a personal API token created on your account page.',
      },
      servers: [{ url: config.baseUrl }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'A personal API token (csphub_...)' } } },
      security: bearer,
    },
    hideUntagged: true,
  });

  app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await accountApi(app, { db });
  await partnershipApi(app, { db });
  await organisationApi(app, { db });
  await userApi(app, { db, config });
  await auditApi(app, { db });
  await performanceApi(app, { db });
  await commentaryApi(app, { db });
  await spcApi(app, { db });
  await meetingsApi(app, { db });
  await planApiRoutes(app, { db });
  await transferApi(app, { db, config });
  await planDocumentApi(app, { db });
  await reportApi(app, { db });
  await documentApi(app, { db });
  await assessmentApi(app, { db });
  await evidenceApi(app, { db });
  await officialSourcesApi(app, { db });
  await officialImportsApi(app, { db });
  await cycleApi(app, { db });
  await retirementApi(app, { db });
  settingsApi(app, { db });
  reviewApi(app, { db });
}
