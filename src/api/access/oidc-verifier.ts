import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { TeamRole } from '../../catalog/catalog-schema.js';
import type { RoleGrant } from './principal.js';
import { TEAM_ROLES } from './team-accounts.js';

/** Settings of the identity provider whose JWTs are accepted. */
export interface OidcSettings {
  jwksUrl: string;
  issuer: string;
  audience: string;
  usernameClaim: string;
  rolesClaim?: string | undefined;
}

/** What a verified JWT says: the user name and the roles it carries (if a roles claim is set). */
export interface OidcIdentity {
  user: string;
  roles: RoleGrant[];
}

/**
 * Verifies OIDC bearer tokens (signature against the provider's JWKS, fetched and cached by
 * jose; issuer, audience, expiry). Returns undefined for any invalid token.
 */
export class OidcVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly settings: OidcSettings) {
    this.jwks = createRemoteJWKSet(new URL(settings.jwksUrl));
  }

  async verify(token: string): Promise<OidcIdentity | undefined> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, { issuer: this.settings.issuer, audience: this.settings.audience }));
    } catch {
      return undefined;
    }
    const user = payload[this.settings.usernameClaim];
    if (typeof user !== 'string' || user === '') return undefined;
    return { user, roles: this.rolesFrom(payload) };
  }

  /** Roles written `<instrument|*>:<role>` in the configured claim; unknown roles are ignored. */
  private rolesFrom(payload: JWTPayload): RoleGrant[] {
    const claim = this.settings.rolesClaim ? payload[this.settings.rolesClaim] : undefined;
    if (!Array.isArray(claim)) return [];
    return claim.flatMap((entry) => {
      if (typeof entry !== 'string') return [];
      const [instrument, role] = entry.split(':');
      return instrument && TEAM_ROLES.includes(role as TeamRole) ? [{ instrument, role: role as TeamRole }] : [];
    });
  }
}
