import type { Command } from 'commander';
import { TeamAccounts } from '../../api/access/team-accounts.js';
import type { TeamRole } from '../../catalog/catalog-schema.js';
import { SdcError } from '../../errors/sdc-error.js';
import { withSdc } from '../cli-context.js';

/** Reads a password from SDC_PASSWORD, never from the command line (shell history, process lists). */
function passwordFromEnv(): string {
  const password = process.env.SDC_PASSWORD;
  if (!password) throw new SdcError('invalid-request', 'set the password in the SDC_PASSWORD environment variable');
  return password;
}

/** `sdc users ...` and `sdc tokens ...`: team accounts, roles and API tokens of the served mission. */
export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('team accounts and their roles (passwords from SDC_PASSWORD)');
  const accounts = (command: Command, work: (a: TeamAccounts) => Promise<void>) => withSdc(command, {}, (sdc) => work(new TeamAccounts(sdc.catalog.db, sdc.mission.config.id)));
  users
    .command('add <name>')
    .description('create a user (with the password in SDC_PASSWORD, if set)')
    .action(async (name: string, _o: unknown, command: Command) => accounts(command, async (a) => void (await a.createUser(name, process.env.SDC_PASSWORD || undefined))));
  users
    .command('password <name>')
    .description('set a user\'s password from SDC_PASSWORD')
    .action(async (name: string, _o: unknown, command: Command) => accounts(command, (a) => a.setPassword(name, passwordFromEnv())));
  users
    .command('disable <name>')
    .description('disable a user: its password and tokens stop working')
    .action(async (name: string, _o: unknown, command: Command) => accounts(command, (a) => a.disableUser(name)));
  users
    .command('grant <name> <role> [instrument]')
    .description('grant a role (team-member, instrument-admin, sitl, super-sitl, operator, mirror) for an instrument, or * for all')
    .action(async (name: string, role: string, instrument: string | undefined, _o: unknown, command: Command) => accounts(command, (a) => a.grantRole(name, role as TeamRole, instrument ?? '*')));
  users
    .command('revoke <name> <role> [instrument]')
    .description('revoke a role')
    .action(async (name: string, role: string, instrument: string | undefined, _o: unknown, command: Command) => accounts(command, (a) => a.revokeRole(name, role as TeamRole, instrument ?? '*')));

  const tokens = program.command('tokens').description('API tokens (bearer) of team users');
  tokens
    .command('issue <user> <label>')
    .description('issue a token; its secret is printed once')
    .option('--expires <iso>', 'expiry time')
    .action(async (user: string, label: string, options: { expires?: string }, command: Command) =>
      accounts(command, async (a) => {
        const expires = options.expires ? new Date(options.expires) : undefined;
        if (expires && Number.isNaN(expires.getTime())) throw new SdcError('invalid-request', `--expires must be an ISO time, got '${options.expires}'`);
        const token = await a.issueToken(user, label, expires);
        console.log(`token ${token.id}: ${token.secret}`);
      }),
    );
  tokens
    .command('list <user>')
    .description("list a user's tokens")
    .action(async (user: string, _o: unknown, command: Command) =>
      accounts(command, async (a) => {
        for (const t of await a.listTokens(user)) console.log(`${t.id}\t${t.label}\t${t.revoked_at ? 'revoked' : 'live'}\tlast used ${t.last_used_at?.toISOString() ?? 'never'}`);
      }),
    );
  tokens
    .command('revoke <id>')
    .description('revoke a token at once')
    .action(async (id: string, _o: unknown, command: Command) => accounts(command, (a) => a.revokeToken(Number(id))));
}
