import { DateTime } from 'luxon';
import type { PocDelivery } from '../../../src/sitl/sitl-types.js';

const STATUS = { new: 'New', modified: 'Modified', deleted: 'Deleted' } as const;

/**
 * The file the POC's BDM receives for one accepted submission, with the fields of the IDL
 * back-structure changes (`bdm_sitl_changes`): one row per segment change, a `#` line first
 * telling what the submission is. Named `sitl_to_poc_<submitted UTC>_<submission id>.csv`, so a
 * name is never reused. New segments of a draft carry negative ids (the BDM's "new" marker);
 * those of an uplink or a back-structure addition the id the SDC gave them.
 */
export function pocFile(d: PocDelivery): { name: string; content: string } {
  const at = DateTime.fromJSDate(d.submittedAt, { zone: 'utc' });
  const head = [`submission=${d.submissionId}`, `kind=${d.kind}`, `by=${d.submittedBy}`, `at=${at.toFormat("yyyy-MM-dd'T'HH:mm:ss")}`];
  if (d.window) head.push(`window=${d.window.absFile}`);
  if (d.closeTai !== undefined) head.push(`evalstarttime=${d.closeTai}`);
  const rows = d.changes.map((c, i) => [i + 1, c.segmentId, c.taiStart, c.taiEnd, c.fom, STATUS[c.change], c.sourceId, c.observatories, c.discussion.replace(/[\r\n]+/g, ' ')].join(','));
  const content = [`# ${head.join(' ')}`, 'ID,DATASEGMENTID,STARTTIME,ENDTIME,FOM,STATUS,SOURCE,OBSERVATORYID,DISCUSSION', ...rows, ''].join('\n');
  return { name: `sitl_to_poc_${at.toFormat('yyyy-MM-dd-HH-mm-ss')}_${d.submissionId}.csv`, content };
}
