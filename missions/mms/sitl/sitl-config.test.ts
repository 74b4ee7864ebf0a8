import { describe, expect, it } from 'vitest';
import { loadMission } from '../../../src/mission/load-mission.js';
import { checkSitlConfig } from '../../../src/sitl/check-sitl-config.js';

const mms = await loadMission('missions/mms');
const sitl = mms.config.sitl!;

describe('the sitl section of the MMS mission', () => {
  it('names existing feed kinds and publishes names its grammar accepts', () => {
    expect(() => checkSitlConfig(mms, sitl)).not.toThrow();
    expect(mms.grammar.parse('abs_selections_2015-06-12-17-20-05.sav')).toMatchObject({ kind: 'abs-selections', storeKey: 'sitl/abs_selections/abs_selections_2015-06-12-17-20-05.sav' });
    // Files published as JSON before the IDL SAVE encoding stay listed and served.
    expect(mms.grammar.parse('abs_selections_2015-06-12-17-20-05.json')).toMatchObject({ kind: 'abs-selections', storeKey: 'sitl/abs_selections/abs_selections_2015-06-12-17-20-05.json' });
  });

  it('is refused, with every problem listed, when a feed names no kind or a published name matches none', () => {
    const broken = { ...sitl, feeds: { ...sitl.feeds, status: 'nope' }, publish: { ...sitl.publish, sitlSelections: "'selections_'yyyy'.bin'" } };
    expect(() => checkSitlConfig(mms, broken)).toThrow(/^the sitl section of mission mms is inconsistent: sitl\.feeds\.status: no file kind 'nope' \(kinds: [a-z, -]*burst-metadata[a-z, -]*\); sitl\.publish\.sitlSelections: 'selections_2015\.bin' \(from ''selections_'yyyy'\.bin''\) matches no file kind$/);
  });
});
