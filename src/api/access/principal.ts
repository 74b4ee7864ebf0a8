import type { TeamRole } from '../../catalog/catalog-schema.js';

/** A role held for one instrument, or for every instrument (`*`). */
export interface RoleGrant {
  instrument: string;
  role: TeamRole;
}

/** Who makes a request: the public, or a team member with roles in the served mission. */
export type Principal = { kind: 'anonymous' } | { kind: 'team'; user: string; via: 'password' | 'token' | 'oidc'; roles: RoleGrant[] };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

/** Roles that may approve and withdraw public releases of their instruments' products. */
const APPROVERS: ReadonlySet<TeamRole> = new Set(['instrument-admin', 'operator']);

/**
 * Instruments whose unreleased files the principal may read: `'all'`, or a list (possibly
 * empty). Every role reads its instrument scope; the public reads none.
 */
export function readableInstruments(principal: Principal): 'all' | string[] {
  if (principal.kind === 'anonymous') return [];
  if (principal.roles.some((g) => g.instrument === '*')) return 'all';
  return [...new Set(principal.roles.map((g) => g.instrument))];
}

/** Whether the principal may read unreleased files of this instrument (null: files of no instrument). */
export function canReadUnreleased(principal: Principal, instrument: string | null): boolean {
  const scope = readableInstruments(principal);
  if (principal.kind === 'anonymous') return false;
  return scope === 'all' || instrument === null || scope.includes(instrument);
}

/** Whether the principal may approve or withdraw releases of this instrument's products. */
export function canApprove(principal: Principal, instrument: string | null): boolean {
  if (principal.kind === 'anonymous') return false;
  return principal.roles.some((g) => APPROVERS.has(g.role) && (g.instrument === '*' || (instrument !== null && g.instrument === instrument)));
}

/** Whether the principal belongs to the team at all (job dashboard, team paths); a mirror's account does not. */
export function isTeam(principal: Principal): boolean {
  return principal.kind === 'team' && principal.roles.some((g) => g.role !== 'mirror');
}

/** Whether the principal may read the team mirror feed: the `mirror` or `operator` role for every instrument. */
export function canMirrorTeamArchive(principal: Principal): boolean {
  return principal.kind === 'team' && principal.roles.some((g) => (g.role === 'mirror' || g.role === 'operator') && g.instrument === '*');
}

/** Whether the principal is an operator of every instrument (mirror lag, any mirror's cursor). */
export function isOperator(principal: Principal): boolean {
  return principal.kind === 'team' && principal.roles.some((g) => g.role === 'operator' && g.instrument === '*');
}
