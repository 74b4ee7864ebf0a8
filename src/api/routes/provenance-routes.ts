import { Router, type Request } from 'express';
import { principalOf } from '../access/auth-middleware.js';
import type { ApiContext } from '../api-context.js';
import { HttpRequestError } from '../http-errors.js';
import { toProvN } from '../../provenance/prov-n.js';
import { ProvenanceService } from '../../provenance/provenance-service.js';
import type { LineageDirection } from '../../provenance/provenance-graph.js';
import { verifySha256, type Verification } from '../../provenance/trace-verifier.js';
import { visibleFile } from './files-routes.js';

/** Media types of the two serialisations (PROV-N's is the one its Recommendation registers). */
export const PROV_JSON_TYPE = 'application/json';
export const PROV_N_TYPE = 'text/provenance-notation';

/**
 * `GET /api/v1/files/:name/provenance`: the W3C PROV document of a file's precursors (or, with
 * `?direction=descendants`, of what was derived from it), as PROV-JSON or PROV-N: `?format=`
 * `prov-json` | `prov-n`, else the Accept header. A file the principal may not see answers 404.
 */
export function fileProvenanceRoute(ctx: ApiContext): Router {
  const router = Router();
  const service = new ProvenanceService(ctx.db, ctx.mission);
  router.get('/:name/provenance', async (req, res) => {
    const file = await visibleFile(ctx, res, req.params.name as string);
    const direction = directionOf(req);
    const format = formatOf(req);
    const doc = await service.document(file, direction, `${req.protocol}://${req.get('host')}/api/v1/`);
    res.vary('Accept');
    if (format === 'prov-n') res.type(PROV_N_TYPE).send(toProvN(doc));
    else res.type(PROV_JSON_TYPE).send(JSON.stringify(doc, null, 2));
  });
  return router;
}

/**
 * `GET /verify?sha256=...` (also under /api/v1): is a copy with this sha256 genuine, which file
 * and version is it, has it been withdrawn or superseded. `GET /api/v1/keys`: the public keys
 * that sign traces, current and retired.
 */
export function verifyRoute(ctx: ApiContext): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const sha256 = req.query.sha256;
    if (typeof sha256 !== 'string' || sha256 === '') throw new HttpRequestError('invalid-request', 'give the sha256 of the copy to verify: /verify?sha256=<64 hex digits>');
    const verification = await verifySha256(ctx.db, sha256);
    res.json(principalOf(res).kind === 'anonymous' ? publicView(verification) : verification);
  });
  return router;
}

export function keysRoute(ctx: ApiContext): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const rows = await ctx.db.selectFrom('provenance_keys').selectAll().orderBy('created_at').execute();
    res.json({
      algorithm: 'Ed25519',
      keys: rows.map((k) => ({ keyId: k.key_id, publicKey: k.public_key, createdAt: new Date(k.created_at).toISOString(), retiredAt: k.retired_at?.toISOString() ?? null })),
    });
  });
  return router;
}

/** Anonymous callers learn whether bytes they hold are genuine, not the names of files never made public. */
function publicView(verification: Verification): Verification {
  const files = verification.files.filter((f) => f.released || f.traces.some((t) => t.event === 'release'));
  if (files.length === verification.files.length || !verification.genuine) return { ...verification, files };
  const reason = files.length === 0 ? 'a genuine copy of a file of this SDC that is not public' : `a genuine copy of ${files.map((f) => f.name).join(', ')}`;
  return { ...verification, reason, files };
}

function directionOf(req: Request): LineageDirection {
  const value = req.query.direction ?? 'precursors';
  if (value === 'precursors' || value === 'descendants') return value;
  throw new HttpRequestError('invalid-request', `direction must be 'precursors' or 'descendants', got '${String(value)}'`);
}

function formatOf(req: Request): 'prov-json' | 'prov-n' {
  const value = req.query.format;
  if (value === 'prov-json' || value === 'prov-n') return value;
  if (value !== undefined) throw new HttpRequestError('invalid-request', `format must be 'prov-json' or 'prov-n', got '${String(value)}'`);
  return req.accepts([PROV_JSON_TYPE, 'application/prov+json', PROV_N_TYPE]) === PROV_N_TYPE ? 'prov-n' : 'prov-json';
}
