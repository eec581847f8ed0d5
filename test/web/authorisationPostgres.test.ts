/**
 * Every route's authorisation on PostgreSQL (test/support/authorisationWalk.ts); the SQLite walk is
 * test/web/authorisation.test.ts. A file of its own so that `npm test` runs the two walks side by side.
 */
import { ENGINES } from '../support/db.ts';
import { describeAuthorisationWalk } from '../support/authorisationWalk.ts';

if (ENGINES.includes('postgres')) describeAuthorisationWalk('postgres');
