import { Router } from 'express';
import type { ApiContext } from '../api-context.js';
import { HttpRequestError } from '../http-errors.js';
import { acceptSubmissionFile } from '../sitl/sitl-file-upload.js';
import { acceptUpload } from '../upload/accept-upload.js';

/**
 * The legacy upload service of the team prefix: `POST <teamPrefix>/upload?file=<name>` with the
 * raw file as body and a `Content-Length` (SPEDAS IDL submits SITL selections this way). The
 * same checks and answers as `PUT /api/v1/files/:name`: 400 invalid name, 401, 403, 411 without
 * Content-Length, 413 too large; success is 200 (not 201), the only status those clients accept. Mounted before the form-body parser of the file services.
 * A SITL submission file (the mission's adapter knows them by name) is not stored but submitted:
 * validated like the JSON submissions, answered with the outcome.
 */
export function compatUploadRoute(ctx: ApiContext): Router {
  const router = Router();
  router.post('/upload', (req, res) => {
    const file = req.query.file;
    if (typeof file !== 'string' || file === '') throw new HttpRequestError('invalid-request', 'upload needs file=<name> in the query string (the body is the file)');
    const submission = ctx.sitl?.adapter.submissionFileKind?.(file);
    if (ctx.sitl && submission) return acceptSubmissionFile(ctx, ctx.sitl, req, res, file, submission);
    return acceptUpload(ctx, req, res, file, 200);
  });
  return router;
}
