import type { FileRow } from '../../catalog/catalog-schema.js';
import type { MissionConfig } from '../../mission/mission-schema.js';
import { compatTime, type CompatRecord } from './compat-json.js';

const DAY_MS = 86_400_000;

/** `{file_name, file_size, timetag, modified_date}`: file_name first, size an integer. */
export function timetagRecord(file: FileRow): CompatRecord {
  return { file_name: file.name, file_size: Number(file.size), timetag: compatTime(file.start_time), modified_date: compatTime(new Date(file.ingested_at)) };
}

/**
 * `{file_name, file_size, start_date, end_date}`, exactly four keys: the end is the last day the
 * name covers when the kind's end is an inclusive day, else the end instant.
 */
export function coverageRecord(file: FileRow, mission: MissionConfig): CompatRecord {
  const inclusiveDay = mission.fileKinds.find((k) => k.id === file.kind)?.endIsInclusiveDay ?? false;
  const end = inclusiveDay ? new Date(file.end_time.getTime() - DAY_MS) : file.end_time;
  return { file_name: file.name, file_size: Number(file.size), start_date: compatTime(file.start_time), end_date: compatTime(end) };
}
