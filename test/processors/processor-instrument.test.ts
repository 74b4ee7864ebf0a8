/**
 * A processor's jobs go to the queue of its manifest's instrument, one per instrument of the
 * mission: a bundle for an instrument the mission does not declare is refused at deployment.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeploymentError } from '../../src/processors/processor-registry.js';
import { backends } from '../support/backends.js';
import { startTestSdc, type TestSdc } from '../support/test-sdc.js';

const TINY = path.resolve('test/fixtures/missions/tiny');
const FGM_BUNDLE = path.resolve('test/fixtures/processors/fgm-l1b-next');
let t: TestSdc | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('deploying a processor', () => {
  it('when its manifest names an instrument the mission does not declare, then it is refused, naming the instrument and the mission instruments', async () => {
    t = await startTestSdc(backends()[0]!, { mission: TINY });
    const refused = t.sdc.processors.deploy(FGM_BUNDLE, 'staging', 'test');
    await expect(refused).rejects.toBeInstanceOf(DeploymentError);
    await expect(refused).rejects.toThrow("fgm-l1b@1.1.0 is for instrument 'fgm', which the mission does not declare (instruments: mag); its jobs would have no queue");
    expect(await t.sdc.catalog.db.selectFrom('processor_deployments').select('name').where('name', '=', 'fgm-l1b').execute()).toEqual([]);
  });
});
