import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CatalogSchema, TeamRole } from '../../catalog/catalog-schema.js';
import { SdcError } from '../../errors/sdc-error.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import type { RoleGrant } from './principal.js';
import { VerifiedPasswordCache } from './verified-password-cache.js';

/** The roles a team account can hold. */
export const TEAM_ROLES: readonly TeamRole[] = ['team-member', 'instrument-admin', 'sitl', 'super-sitl', 'operator', 'mirror'];

/** Prefix of the API tokens this SDC issues (tells them apart from OIDC JWTs). */
export const TOKEN_PREFIX = 'sdct_';

/** A user that can log in, with its roles in one mission. */
export interface TeamUser {
  id: number;
  name: string;
  roles: RoleGrant[];
}

/** An issued token; `secret` is shown once and never stored. */
export interface IssuedToken {
  id: number;
  secret: string;
}

function tokenDigest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Team accounts of one mission: users with scrypt-hashed passwords, their roles per instrument,
 * and revocable API tokens (only their sha256 is stored).
 */
export class TeamAccounts {
  private readonly verified = new VerifiedPasswordCache();

  constructor(
    private readonly db: Kysely<CatalogSchema>,
    private readonly mission: string,
  ) {}

  /** Creates a user (a password is optional: token-only and OIDC users have none). */
  async createUser(name: string, password?: string): Promise<number> {
    if (!/^[A-Za-z0-9._@-]{1,100}$/.test(name)) throw new SdcError('invalid-request', `user name '${name}' must be 1-100 letters, digits or . _ @ -`);
    const existing = await this.db.selectFrom('api_users').select('id').where('name', '=', name).executeTakeFirst();
    if (existing) throw new SdcError('conflicting-duplicate', `user '${name}' already exists`, { user: name });
    const row = await this.db.insertInto('api_users').values({ name, password_hash: password === undefined ? null : await hashPassword(password) }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async setPassword(name: string, password: string): Promise<void> {
    const id = await this.userId(name);
    await this.db.updateTable('api_users').set({ password_hash: await hashPassword(password) }).where('id', '=', id).execute();
  }

  /** Disables a user: its password and tokens stop working at once. */
  async disableUser(name: string): Promise<void> {
    const id = await this.userId(name);
    await this.db.updateTable('api_users').set({ disabled_at: new Date() }).where('id', '=', id).execute();
  }

  async grantRole(name: string, role: TeamRole, instrument = '*'): Promise<void> {
    if (!TEAM_ROLES.includes(role)) throw new SdcError('invalid-request', `unknown role '${role}' (known: ${TEAM_ROLES.join(', ')})`);
    const user_id = await this.userId(name);
    await this.db.insertInto('api_user_roles').values({ user_id, mission: this.mission, instrument, role }).onConflict((oc) => oc.doNothing()).execute();
  }

  async revokeRole(name: string, role: TeamRole, instrument = '*'): Promise<void> {
    const user_id = await this.userId(name);
    await this.db.deleteFrom('api_user_roles').where('user_id', '=', user_id).where('mission', '=', this.mission).where('instrument', '=', instrument).where('role', '=', role).execute();
  }

  /** Issues a token for a user; the secret is returned once. */
  async issueToken(name: string, label: string, expiresAt?: Date): Promise<IssuedToken> {
    const user_id = await this.userId(name);
    const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const row = await this.db.insertInto('api_tokens').values({ user_id, token_sha256: tokenDigest(secret), label, expires_at: expiresAt ?? null }).returning('id').executeTakeFirstOrThrow();
    return { id: row.id, secret };
  }

  /** Revokes a token by id; it is refused from the next request on. */
  async revokeToken(id: number): Promise<void> {
    const result = await this.db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new SdcError('not-found', `no live token with id ${id}`, { tokenId: id });
  }

  async listTokens(name: string) {
    const user_id = await this.userId(name);
    return this.db.selectFrom('api_tokens').select(['id', 'label', 'created_at', 'expires_at', 'revoked_at', 'last_used_at']).where('user_id', '=', user_id).orderBy('id').execute();
  }

  /**
   * The user if the password is right and the account enabled; undefined otherwise. The account
   * is read on every call (a disabled user or changed password takes effect at once); only the
   * scrypt check of a password that matched recently is skipped (VerifiedPasswordCache).
   */
  async checkPassword(name: string, password: string): Promise<TeamUser | undefined> {
    const user = await this.db.selectFrom('api_users').select(['id', 'name', 'password_hash']).where('name', '=', name).where('disabled_at', 'is', null).executeTakeFirst();
    if (!user?.password_hash) return undefined;
    if (!this.verified.has(user.password_hash, password)) {
      if (!(await verifyPassword(password, user.password_hash))) return undefined;
      this.verified.remember(user.password_hash, password);
    }
    return { id: user.id, name: user.name, roles: await this.rolesOf(user.id) };
  }

  /** The user of a live (unrevoked, unexpired) token of an enabled account; undefined otherwise. */
  async checkToken(secret: string): Promise<TeamUser | undefined> {
    const now = new Date();
    const row = await this.db
      .selectFrom('api_tokens as t')
      .innerJoin('api_users as u', 'u.id', 't.user_id')
      .select(['t.id as tokenId', 'u.id', 'u.name'])
      .where('t.token_sha256', '=', tokenDigest(secret))
      .where('t.revoked_at', 'is', null)
      .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', now)]))
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    await this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.tokenId).execute();
    return { id: row.id, name: row.name, roles: await this.rolesOf(row.id) };
  }

  /** Roles of an enabled user by name (OIDC users are matched by name); empty when unknown. */
  async rolesByName(name: string): Promise<RoleGrant[]> {
    const user = await this.db.selectFrom('api_users').select('id').where('name', '=', name).where('disabled_at', 'is', null).executeTakeFirst();
    return user ? this.rolesOf(user.id) : [];
  }

  private async rolesOf(userId: number): Promise<RoleGrant[]> {
    return this.db.selectFrom('api_user_roles').select(['instrument', 'role']).where('user_id', '=', userId).where('mission', '=', this.mission).execute();
  }

  private async userId(name: string): Promise<number> {
    const user = await this.db.selectFrom('api_users').select('id').where('name', '=', name).executeTakeFirst();
    if (!user) throw new SdcError('not-found', `no user named '${name}'`, { user: name });
    return user.id;
  }
}
