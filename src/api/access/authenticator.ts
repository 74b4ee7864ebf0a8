import type { LoginRateLimiter } from './login-rate-limiter.js';
import type { OidcVerifier } from './oidc-verifier.js';
import type { Principal, RoleGrant } from './principal.js';
import { TOKEN_PREFIX, type TeamAccounts } from './team-accounts.js';

/** The result of reading a request's credentials. */
export type AuthOutcome =
  | { status: 'ok'; principal: Principal }
  | { status: 'missing' }
  | { status: 'invalid' }
  | { status: 'rate-limited'; retryAfterSeconds: number };

/**
 * Reads the `Authorization` header: HTTP Basic (team passwords, the legacy clients), or a
 * bearer token (an API token of this SDC, or an OIDC JWT when a provider is configured).
 * Failed attempts count per user name and per client address (whose limit is higher: many
 * users may share one address); over a limit, credentials are refused unchecked until the
 * window passes.
 */
export class Authenticator {
  constructor(
    private readonly accounts: TeamAccounts,
    private readonly limits: { perUser: LoginRateLimiter; perClient: LoginRateLimiter },
    private readonly oidc?: OidcVerifier,
  ) {}

  async authenticate(authorization: string | undefined, client: string): Promise<AuthOutcome> {
    const [scheme, value] = splitHeader(authorization);
    if (scheme === 'basic') return this.basic(value, client);
    if (scheme === 'bearer' && value) return this.bearer(value, client);
    return authorization ? { status: 'invalid' } : { status: 'missing' };
  }

  private async basic(encoded: string, client: string): Promise<AuthOutcome> {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    // Clients send empty credentials for public access (pyrfu sends `Basic Og==`).
    if (user === '') return { status: 'missing' };
    const blocked = this.blocked(user, client);
    if (blocked) return blocked;
    const found = await this.accounts.checkPassword(user, colon < 0 ? '' : decoded.slice(colon + 1));
    if (!found) {
      this.limits.perUser.recordFailure([user]);
      this.limits.perClient.recordFailure([client]);
      return { status: 'invalid' };
    }
    this.limits.perUser.clear(user);
    return ok(found.name, 'password', found.roles);
  }

  private async bearer(token: string, client: string): Promise<AuthOutcome> {
    const blocked = this.blocked(undefined, client);
    if (blocked) return blocked;
    if (token.startsWith(TOKEN_PREFIX)) {
      const found = await this.accounts.checkToken(token);
      if (found) return ok(found.name, 'token', found.roles);
    } else if (this.oidc) {
      const identity = await this.oidc.verify(token);
      if (identity) return ok(identity.user, 'oidc', [...identity.roles, ...(await this.accounts.rolesByName(identity.user))]);
    }
    this.limits.perClient.recordFailure([client]);
    return { status: 'invalid' };
  }

  private blocked(user: string | undefined, client: string): AuthOutcome | undefined {
    const over = [...(user === undefined ? [] : [[this.limits.perUser, user] as const]), [this.limits.perClient, client] as const].find(([limiter, key]) => limiter.isBlocked([key]));
    return over ? { status: 'rate-limited', retryAfterSeconds: over[0].retryAfterSeconds([over[1]]) } : undefined;
  }
}

function ok(user: string, via: 'password' | 'token' | 'oidc', roles: RoleGrant[]): AuthOutcome {
  return { status: 'ok', principal: { kind: 'team', user, via, roles } };
}

function splitHeader(header: string | undefined): [string, string] {
  if (!header) return ['', ''];
  const space = header.indexOf(' ');
  if (space < 0) return [header.toLowerCase(), ''];
  return [header.slice(0, space).toLowerCase(), header.slice(space + 1).trim()];
}
