import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { makePartnership } from '../support/app.ts';
import { getAssessmentArea, parseLsoaCodes, saveAssessmentArea } from '../../src/services/assessment/assessmentAreas.ts';
import { ValidationError, Validator } from '../../src/domain/errors.ts';
import { listAudit, SYSTEM_ACTOR } from '../../src/services/platform/audit.ts';

const LOOKUP = `LSOA21CD,LSOA21NM,LAD22CD,LAD22NM
E01007626,Rotherham 012A,E08000018,Rotherham
E01007627,Rotherham 012B,E08000018,Rotherham
E01007801,Sheffield 001A,E08000019,Sheffield
"E01033264","Rotherham 035E","E08000018","Rotherham"
`;

describe('parseLsoaCodes', () => {
  it('reads a typed list in any separator, upper-cased, without duplicates', () => {
    const v = new Validator();
    assert.deepEqual(parseLsoaCodes('e01007626, E01007627\nE01007626;W01000001', [], v), ['E01007626', 'E01007627', 'W01000001']);
    assert.equal(v.errors.length, 0);
  });
  it('keeps only the chosen local authorities from an ONS lookup CSV', () => {
    const v = new Validator();
    assert.deepEqual(parseLsoaCodes(LOOKUP, ['Rotherham'], v), ['E01007626', 'E01007627', 'E01033264']);
    assert.deepEqual(parseLsoaCodes(LOOKUP, [], v), ['E01007626', 'E01007627', 'E01007801', 'E01033264']);
    assert.equal(v.errors.length, 0);
  });
  it('names the line and value of each code that is not an LSOA code', () => {
    const v = new Validator();
    parseLsoaCodes('E01007626\nE0100762 X01000001', [], v);
    assert.deepEqual(
      v.errors.map((e) => e.message),
      ['Line 2: "E0100762" is not an LSOA code (like E01007626)', 'Line 2: "X01000001" is not an LSOA code (like E01007626)'],
    );
  });
});

for (const engine of ENGINES) {
  describe(`assessment areas on ${engine}`, () => {
    let db: TestDb;
    before(async () => {
      db = await freshDb(engine);
    });
    after(async () => db.drop());

    it('saves, replaces and audits the area of a partnership', async () => {
      const p = await makePartnership(db.kysely, 'Area partnership');
      assert.equal(await getAssessmentArea(db.kysely, p.id), null);
      await assert.rejects(saveAssessmentArea(db.kysely, SYSTEM_ACTOR, p.id, {}), ValidationError);
      await saveAssessmentArea(db.kysely, SYSTEM_ACTOR, p.id, { localAuthorities: 'Rotherham\n\n Rotherham ', lsoaCodes: '' });
      assert.deepEqual((await getAssessmentArea(db.kysely, p.id))?.localAuthorities, ['Rotherham']);
      await saveAssessmentArea(db.kysely, SYSTEM_ACTOR, p.id, { localAuthorities: 'Rotherham', lsoaCodes: LOOKUP });
      const area = await getAssessmentArea(db.kysely, p.id);
      assert.deepEqual(area?.lsoaCodes, ['E01007626', 'E01007627', 'E01033264']);
      const audit = await listAudit(db.kysely, { partnershipId: p.id, entityType: 'assessment_area' });
      assert.deepEqual(audit.events.map((e) => e.action).sort(), ['create', 'update']);
    });
  });
}
