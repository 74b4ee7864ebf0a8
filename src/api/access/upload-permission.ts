import type { TeamRole } from '../../catalog/catalog-schema.js';
import type { ParsedFileName } from '../../mission/file-name-grammar.js';
import type { MissionConfig } from '../../mission/mission-schema.js';
import type { Principal } from './principal.js';

/** Why an upload is refused: no credentials at all (401), or roles that do not allow it (403). */
export type UploadRefusal = { status: 'unauthenticated' } | { status: 'forbidden'; message: string };

/**
 * Whether the principal may upload this file: an operator (for every instrument or for the
 * file's) may upload any file; otherwise a role the file kind lists in `uploadRoles` (default:
 * team member, instrument admin), held for the file's instrument or for `*`. A file of no
 * instrument (ancillary) therefore needs a role held for `*`. A name that does not parse
 * (`file` undefined) is only taken from an operator, whose arrival is quarantined for inspection.
 */
export function uploadRefusal(principal: Principal, mission: MissionConfig, file: ParsedFileName | undefined): UploadRefusal | undefined {
  if (principal.kind === 'anonymous') return { status: 'unauthenticated' };
  const holds = (roles: readonly TeamRole[], instrument: string | undefined) =>
    principal.roles.some((g) => roles.includes(g.role) && (g.instrument === '*' || (instrument !== undefined && g.instrument === instrument)));
  if (holds(['operator'], file?.instrument)) return undefined;
  if (!file) return { status: 'forbidden', message: `user '${principal.user}' may upload only valid file names (an operator's invalid uploads are quarantined)` };
  const roles = mission.fileKinds.find((k) => k.id === file.kind)?.uploadRoles ?? [];
  if (holds(roles, file.instrument)) return undefined;
  const scope = file.instrument === undefined ? 'every instrument (*)' : `instrument '${file.instrument}'`;
  return { status: 'forbidden', message: `user '${principal.user}' may not upload ${file.kind} files: that needs the role ${[...roles, 'operator'].join(' or ')} for ${scope}` };
}
