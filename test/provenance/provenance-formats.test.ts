import { describe, expect, it } from 'vitest';
import { parentEntry } from '../../src/provenance/istp-provenance-attributes.js';
import { localPart } from '../../src/provenance/prov-document.js';
import { toProvN } from '../../src/provenance/prov-n.js';

describe('provenance formats: PROV-N, qualified names, ISTP parents', () => {
  it('writes literals as PROV-N wants them: quoted and escaped strings, typed numbers and booleans, qualified names in single quotes', () => {
    const text = toProvN({
      prefix: { prov: 'http://www.w3.org/ns/prov#', ex: 'https://example.org/' },
      activity: { 'ex:run': { 'prov:startTime': '2015-10-16T00:00:00.000Z', 'ex:config': '{"a":"b\\\\c"}\nnext', 'ex:count': 3, 'ex:ratio': 0.5, 'ex:ok': true, 'prov:type': { $: 'ex:Job', type: 'prov:QUALIFIED_NAME' } } },
      used: { '_:u1': { 'prov:activity': 'ex:run', 'prov:entity': 'ex:input' } },
    });
    expect(text.split('\n')).toEqual([
      'document',
      '  prefix ex <https://example.org/>',
      '  activity(ex:run, 2015-10-16T00:00:00.000Z, -, [ex:config="{\\"a\\":\\"b\\\\\\\\c\\"}\\nnext", ex:count="3" %% xsd:int, ex:ratio="0.5" %% xsd:double, ex:ok="true" %% xsd:boolean, prov:type=\'ex:Job\'])',
      '  used(ex:run, ex:input, -)',
      'endDocument',
      '',
    ]);
  });

  it('keeps identifiers to the characters a qualified name allows', () => {
    expect(localPart('alice@example.org')).toBe('alice_example.org');
    expect(localPart('MMS1_DEFEPH_2015289_2015289.V00')).toBe('MMS1_DEFEPH_2015289_2015289.V00');
    expect(localPart('ends.')).toBe('ends_');
  });

  it('names ISTP parents by logical file id for a CDF and by file name otherwise', () => {
    expect(parentEntry('mms1_fgm_srvy_l1b_20151016_v1.0.0.cdf')).toBe('CDF>mms1_fgm_srvy_l1b_20151016_v1.0.0');
    expect(parentEntry('MMS1_DEFEPH_2015289_2015289.V00')).toBe('FILE>MMS1_DEFEPH_2015289_2015289.V00');
  });
});
