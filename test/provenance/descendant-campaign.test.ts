/**
 * `sdc reprocess --descendants-of FILE` on both backends: the campaign that rebuilds what a bad
 * input made and the marks on every file derived from it are committed in one transaction, so a
 * failure between the two (here: a mark that cannot be written) leaves neither a campaign nor a
 * mark, never marked files without a campaign or a campaign without its marks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileRow } from '../../src/catalog/catalog-schema.js';
import { createDescendantCampaign, planDescendantReprocessing, type DescendantPlan } from '../../src/provenance/descendant-reprocessing.js';
import { backends } from '../support/backends.js';
import { insertLabelledFiles, insertSucceededJob } from '../support/lineage-rows.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`descendants campaign on ${backend.name}`, () => {
    let t: TestSdc;
    let plan: DescendantPlan;

    /** cal was ingested; b = job(cal); c = job(b). The scope re-run is one of the mission's rules. */
    beforeAll(async () => {
      t = await startTestSdc(backend);
      const db = t.sdc.catalog.db;
      const [cal] = await insertLabelledFiles(db, 'campaign', ['cal'], null);
      let input: FileRow = cal!;
      for (const label of ['b', 'c']) {
        const jobId = await insertSucceededJob(db, label, []);
        const [output] = await insertLabelledFiles(db, 'campaign', [label], jobId);
        await db.insertInto('provenance_derivations').values({ file_id: output!.id, used_file_id: input.id, job_id: jobId }).execute();
        input = output!;
      }
      plan = {
        ...(await planDescendantReprocessing(db, t.sdc.mission, cal!)),
        scopes: [{ rule: 'fgm-l1b', groupKey: 'mms1/srvy', groupValues: { spacecraft: 'mms1', mode: 'srvy' }, windowStart: new Date('2015-10-16T00:00:00Z') }],
      };
    });
    afterAll(async () => t?.close());

    const counts = async () => {
      const db = t.sdc.catalog.db;
      const count = async (table: 'campaigns' | 'campaign_items' | 'provenance_suspects') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      return { campaigns: await count('campaigns'), items: await count('campaign_items'), marks: await count('provenance_suspects') };
    };
    const request = { description: 'regenerate what was derived from cal.dat', ratePerMinute: 60, createdBy: 'fgm-lead' };

    it('when the marks cannot be written after the campaign was, then neither the campaign, its scopes nor any mark remains', async () => {
      const before = await counts();
      // A descendant that left the catalog between the plan and the campaign: its mark fails.
      const vanished = { ...plan.descendants[0]!, id: 2_000_000_000 };
      await expect(createDescendantCampaign(t.sdc.campaigns, { ...plan, descendants: [...plan.descendants, vanished] }, request)).rejects.toThrow(/provenance_suspects/);
      expect(await counts()).toEqual(before);
    });

    it('when a descendants campaign is created, then it and a mark on every descendant are committed together', async () => {
      expect(plan.descendants.map((f) => f.name)).toEqual(['b.dat', 'c.dat']);
      const campaign = await createDescendantCampaign(t.sdc.campaigns, plan, request);
      expect(campaign).toMatchObject({ items: 1, createdBy: 'fgm-lead', state: 'running' });
      const marks = await t.sdc.catalog.db.selectFrom('provenance_suspects').select(['file_id', 'bad_file_id', 'marked_by']).where('campaign_id', '=', campaign.id).orderBy('file_id').execute();
      expect(marks).toEqual(plan.descendants.map((f) => ({ file_id: f.id, bad_file_id: plan.bad.id, marked_by: 'fgm-lead' })));
    });
  });
}
