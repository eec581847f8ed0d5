/**
 * Every route's authorisation on SQLite: refusals across partnerships, each role against each action, signed out
 * (test/support/authorisationWalk.ts). The PostgreSQL walk is test/web/authorisationPostgres.test.ts.
 */
import { describeAuthorisationWalk } from '../support/authorisationWalk.ts';

describeAuthorisationWalk('sqlite');
