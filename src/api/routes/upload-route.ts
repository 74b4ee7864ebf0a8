import { Router } from 'express';
import type { ApiContext } from '../api-context.js';
import { acceptUpload } from '../upload/accept-upload.js';

/**
 * `PUT /api/v1/files/:name`: uploads one file (team credentials with an uploading role; see
 * src/api/access/upload-permission.ts). Mounted before any body parser: the body is the file.
 */
export function uploadRoute(ctx: ApiContext): Router {
  const router = Router();
  router.put('/:name', (req, res) => acceptUpload(ctx, req, res, req.params.name as string));
  return router;
}
