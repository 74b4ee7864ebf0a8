import type { FieldMatch } from '../mission/mission-schema.js';

/** The fields of a file a rule can match on. */
export interface MatchableFile {
  kind: string;
  product: string;
  spacecraft?: string | null | undefined;
  instrument?: string | null | undefined;
  mode?: string | null | undefined;
  level?: string | null | undefined;
  descriptor?: string | null | undefined;
  dataType?: string | null | undefined;
}

/** Whether every field named in `match` has one of the listed values in `file`. */
export function matchesFields(file: MatchableFile, match: FieldMatch): boolean {
  return Object.entries(match).every(([field, expected]) => {
    const actual = (file as unknown as Record<string, unknown>)[field];
    return typeof actual === 'string' && (Array.isArray(expected) ? expected.includes(actual) : expected === actual);
  });
}
