import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { DateTime, Duration } from 'luxon';
import type { CatalogSchema } from '../../catalog/catalog-schema.js';
import { SdcError } from '../../errors/sdc-error.js';
import type { FieldMatch, ReleaseRuleConfig } from '../../mission/mission-schema.js';
import { FIELD_COLUMNS } from '../query/file-query.js';

/** Mission field names of a release rule's match and their catalog columns. */
const COLUMNS: Record<string, (typeof FIELD_COLUMNS)[keyof typeof FIELD_COLUMNS]> = FIELD_COLUMNS;

/** What one scheduled run made public, per product version. */
export interface ReleasedGroup {
  product: string;
  version: string;
  files: number;
}

/**
 * The release policy of one mission: teams approve (and withdraw) product versions; the
 * scheduled run makes public what the mission's rules allow (approved if the rule asks, and
 * ingested longer ago than its latency). Every decision is written to `release_audit`.
 */
export class ReleaseService {
  constructor(
    private readonly db: Kysely<CatalogSchema>,
    private readonly mission: string,
    private readonly rules: readonly ReleaseRuleConfig[],
  ) {
    for (const rule of rules) for (const field of Object.keys(rule.match)) if (!COLUMNS[field]) throw new SdcError('invalid-mission', `release rule matches unknown field '${field}' (known: ${Object.keys(COLUMNS).join(', ')})`);
  }

  /** Approves a product version for release (idempotent); it becomes public at the next run after its latency. */
  async approve(product: string, version: string, actor: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const live = await trx.selectFrom('release_approvals').select('id').where('mission', '=', this.mission).where('product', '=', product).where('version_label', '=', version).where('withdrawn_at', 'is', null).executeTakeFirst();
      if (live) return;
      await trx.insertInto('release_approvals').values({ mission: this.mission, product, version_label: version, approved_by: actor }).execute();
      await trx.insertInto('release_audit').values({ mission: this.mission, action: 'approve', actor, product, version_label: version }).execute();
    });
  }

  /** Withdraws a product version: its files stop being public at once and are not released again until re-approved. */
  async withdraw(product: string, version: string, actor: string, reason: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const now = new Date();
      const updated = await trx.updateTable('release_approvals').set({ withdrawn_at: now, withdrawn_by: actor, withdraw_reason: reason }).where('mission', '=', this.mission).where('product', '=', product).where('version_label', '=', version).where('withdrawn_at', 'is', null).executeTakeFirst();
      if (updated.numUpdatedRows === 0n) {
        // A withdrawal without a live approval still blocks rules that need no approval.
        await trx.insertInto('release_approvals').values({ mission: this.mission, product, version_label: version, approved_by: actor, approved_at: now, withdrawn_at: now, withdrawn_by: actor, withdraw_reason: reason }).execute();
      }
      const hidden = await trx.updateTable('files').set({ released_at: null }).where('mission', '=', this.mission).where('product', '=', product).where('version_label', '=', version).where('released_at', 'is not', null).executeTakeFirst();
      const files = Number(hidden.numUpdatedRows);
      await trx.insertInto('release_audit').values({ mission: this.mission, action: 'withdraw', actor, product, version_label: version, files, detail: reason }).execute();
      return files;
    });
  }

  /** Applies every rule once: releases what is due and records one audit row per product version. */
  async run(now = new Date(), actor = 'release-job'): Promise<ReleasedGroup[]> {
    const released = new Map<string, ReleasedGroup>();
    await this.db.transaction().execute(async (trx) => {
      for (const rule of this.rules) {
        const cutoff = DateTime.fromJSDate(now).minus(Duration.fromISO(rule.latency)).toJSDate();
        const rows = await trx
          .updateTable('files')
          .set({ released_at: now })
          .where('mission', '=', this.mission)
          .where('tier', '=', 'production')
          .where('released_at', 'is', null)
          .where('ingested_at', '<=', cutoff)
          .where((eb) => matchExpression(eb, rule.match))
          .where((eb) => (rule.approval ? approved(eb) : notWithdrawn(eb)))
          .returning(['product', 'version_label'])
          .execute();
        for (const row of rows) {
          const key = `${row.product}\u0000${row.version_label}`;
          const group = released.get(key) ?? { product: row.product, version: row.version_label, files: 0 };
          group.files += 1;
          released.set(key, group);
        }
      }
      for (const group of released.values()) {
        await trx.insertInto('release_audit').values({ mission: this.mission, action: 'release', actor, product: group.product, version_label: group.version, files: group.files }).execute();
      }
    });
    return [...released.values()];
  }

  /** The audit trail, newest first. */
  async audit(limit = 100) {
    return this.db.selectFrom('release_audit').selectAll().where('mission', '=', this.mission).orderBy('id', 'desc').limit(limit).execute();
  }
}

function matchExpression(eb: ExpressionBuilder<CatalogSchema, 'files'>, match: FieldMatch): Expression<SqlBool> {
  const parts = Object.entries(match).map(([field, value]) => {
    const column = COLUMNS[field] ?? 'kind';
    const values = (Array.isArray(value) ? value : [value]).map((v) => v.toLowerCase());
    return eb(`files.${column}`, 'in', values);
  });
  return parts.length === 0 ? eb.lit(true) : eb.and(parts);
}

function approved(eb: ExpressionBuilder<CatalogSchema, 'files'>): Expression<SqlBool> {
  return eb.exists(
    eb.selectFrom('release_approvals as a').select(sql<number>`1`.as('one')).whereRef('a.mission', '=', 'files.mission').whereRef('a.product', '=', 'files.product').whereRef('a.version_label', '=', 'files.version_label').where('a.withdrawn_at', 'is', null),
  );
}

function notWithdrawn(eb: ExpressionBuilder<CatalogSchema, 'files'>): Expression<SqlBool> {
  const withdrawn = eb.exists(
    eb.selectFrom('release_approvals as a').select(sql<number>`1`.as('one')).whereRef('a.mission', '=', 'files.mission').whereRef('a.product', '=', 'files.product').whereRef('a.version_label', '=', 'files.version_label').where('a.withdrawn_at', 'is not', null),
  );
  return eb.or([eb.not(withdrawn), approved(eb)]);
}
