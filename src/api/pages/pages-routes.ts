import { Router } from 'express';
import type { ApiContext } from '../api-context.js';
import { availabilityPage } from './availability-page.js';
import { fileBrowserPage } from './file-browser-page.js';
import { jobsPage } from './jobs-page.js';
import { statusPage } from './status-page.js';

/** The web pages: file browser (`/`), availability calendar (`/availability`), job dashboard (`/jobs`), status (`/status`). */
export function pagesRoutes(ctx: ApiContext): Router {
  const router = Router();
  router.get('/', (req, res) => fileBrowserPage(ctx, req, res));
  router.get('/availability', (req, res) => availabilityPage(ctx, req, res));
  router.get('/jobs', (req, res) => jobsPage(ctx, req, res));
  router.get('/status', (req, res) => statusPage(ctx, req, res));
  return router;
}
