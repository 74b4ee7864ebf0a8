import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { SdcError } from '../../errors/sdc-error.js';
import { metadataBetween } from '../../sitl/metadata-table.js';
import { segmentsOverlapping } from '../../sitl/segment-table.js';
import { selectionSpan } from '../../sitl/selection-validation.js';
import { findWindow, listWindows } from '../../sitl/selection-windows.js';
import type { SitlService } from '../../sitl/sitl-service.js';
import type { BurstSegment, SelectionWindow } from '../../sitl/sitl-types.js';
import type { SubmissionOutcome } from '../../sitl/submission-service.js';
import { taiToDate } from '../../sitl/tai-seconds.js';
import { RESULT } from '../../sitl/validation-message.js';
import { surveyPanelData } from '../../sitl/survey-series.js';
import { windowPlot } from '../../sitl/window-plot.js';
import { windowProducts } from '../../sitl/window-products.js';
import { windowReport } from '../../sitl/window-report.js';
import type { ApiContext } from '../api-context.js';
import { principalOf } from '../access/auth-middleware.js';
import { HttpRequestError } from '../http-errors.js';
import { sitlSubmitter } from './sitl-access.js';

const tai = z.number().int().min(0);
const fom = z.number().finite();
const discussion = z.string().max(250, 'a discussion holds at most 250 characters').optional();

/** A selections submission (also what an uploaded selections file is decoded into). */
export const selectionsBody = z
  .object({
    selections: z.array(z.object({ start: z.number().int(), stop: z.number().int(), fom, discussion }).strict()).max(10_000),
    uplink: z.boolean().default(false),
    closeTai: tai.optional(),
    note: z.string().max(2000).optional(),
    confirm: z.boolean().optional(),
    override: z.boolean().optional(),
  })
  .strict();

const edit = z.discriminatedUnion('change', [
  z.object({ change: z.literal('modify'), segmentId: z.number().int(), fom, discussion }).strict(),
  z.object({ change: z.literal('delete'), segmentId: z.number().int(), discussion }).strict(),
  z.object({ change: z.literal('add'), taiStart: tai, taiEnd: tai, fom, discussion, observatories: z.string().regex(/^[A-Za-z0-9,]+$/).optional() }).strict(),
]);

/** Back-structure edits (also what an uploaded back-structure file is decoded into). */
export const backStructureBody = z.object({ edits: z.array(edit).max(10_000), confirm: z.boolean().optional(), override: z.boolean().optional() }).strict();

/** Most rows one JSON listing returns. */
const MAX_ROWS = 100_000;

/**
 * `/api/v1/sitl`: windows with their automated selections, SITL submissions (drafts and the final
 * uplink), back-structure edits, the segment table and metadata as JSON, and the validation
 * limits. Submissions answer with the SITL tools' result code: 0 accepted (201), 1 errors or
 * warnings (422, every finding listed), 2 nothing changed (200), 3 SDC error (500).
 */
export function sitlRoutes(ctx: ApiContext, sitl: SitlService): Router {
  const router = Router();
  const mission = ctx.mission.config.id;
  const cycle = sitl.config.cycleSeconds;
  const realm = ctx.mission.config.api.compat?.realm ?? `${ctx.mission.config.name} SDC`;

  router.get('/validation-limits', (_req, res) => {
    res.json({ cycleSeconds: cycle, ...sitl.config.validation, categories: sitl.config.categories });
  });
  router.get('/windows', async (req, res) => {
    const limit = Math.min(Number(req.query.limit ?? 50) || 50, 1000);
    const windows = await listWindows(ctx.db, mission, cycle, limit);
    const products = await windowProducts(ctx.db, ctx.mission.config, sitl.config.products, windows);
    res.json({ windows: windows.map((w) => ({ ...windowJson(w, false), readiness: products.get(w.id)!.readiness })) });
  });
  router.get('/windows/:id', async (req, res) => {
    const window = await findWindow(ctx.db, mission, idParam(req), cycle);
    if (!window) throw new HttpRequestError('not-found', `no selection window ${req.params.id}`);
    const submissions = await ctx.db.selectFrom('sitl_submissions').select(['id', 'kind', 'submitted_by', 'submitted_at']).where('window_id', '=', window.id).orderBy('id').execute();
    const products = (await windowProducts(ctx.db, ctx.mission.config, sitl.config.products, [window])).get(window.id)!;
    res.json({ ...windowJson(window, true), ...products, submissions: submissions.map((s) => ({ id: s.id, kind: s.kind, submittedBy: s.submitted_by, submittedAt: s.submitted_at })) });
  });
  // What was selected, by whom, buffers per category, and the held/overwritten/transmitted history.
  router.get('/windows/:id/report', async (req, res) => {
    const window = await findWindow(ctx.db, mission, idParam(req), cycle);
    if (!window) throw new HttpRequestError('not-found', `no selection window ${req.params.id}`);
    res.json(await windowReport(ctx.db, mission, sitl.config, window));
  });
  // The quicklook: survey data, metadata quality, the automated and SITL selections as FOM bars.
  router.get('/windows/:id/plot.png', async (req, res) => {
    const window = await findWindow(ctx.db, mission, idParam(req), cycle);
    if (!window) throw new HttpRequestError('not-found', `no selection window ${req.params.id}`);
    const report = await windowReport(ctx.db, mission, sitl.config, window);
    const surveyPanel = sitl.config.quicklook.survey;
    const survey = surveyPanel ? await surveyPanelData(ctx.db, ctx.store, mission, surveyPanel, window) : undefined;
    const png = windowPlot(window, report.selected?.selections ?? null, { fomMax: sitl.config.validation.fomBounds[1], categories: sitl.config.categories }, survey);
    res.type('image/png').set('Cache-Control', 'no-store').send(png);
  });
  router.post('/windows/:id/submissions', async (req, res) => {
    if (challenged(res, realm)) return;
    const who = sitlSubmitter(res);
    const body = parse(selectionsBody, req.body);
    await answer(res, ctx, () => sitl.submissions.submitSelections(who, { windowId: idParam(req), ...body }));
  });
  // Validation only (the SITL page checks as the SITL edits): the findings, nothing recorded.
  router.post('/windows/:id/check', async (req, res) => {
    if (challenged(res, realm)) return;
    const who = sitlSubmitter(res);
    const body = parse(selectionsBody, req.body);
    const outcome = await sitl.submissions.submitSelections(who, { windowId: idParam(req), ...body, dryRun: true });
    res.json(outcome);
  });
  router.post('/back-structure', async (req, res) => {
    if (challenged(res, realm)) return;
    const who = sitlSubmitter(res, 'super-sitl');
    const body = parse(backStructureBody, req.body);
    await answer(res, ctx, () => sitl.submissions.submitBackStructure(who, body));
  });
  router.get('/segments', async (req, res) => {
    const from = req.query.from === undefined ? 0 : taiParam(req.query.from, 'from');
    const to = req.query.to === undefined ? Number.MAX_SAFE_INTEGER : taiParam(req.query.to, 'to');
    const status = typeof req.query.status === 'string' ? req.query.status.toUpperCase() : undefined;
    const segments = (await segmentsOverlapping(ctx.db, mission, from, to, cycle)).filter((s) => !status || s.status === status);
    if (segments.length > MAX_ROWS) throw new HttpRequestError('invalid-request', `more than ${MAX_ROWS} segments match; narrow from/to`);
    res.json({ segments: segments.map((s) => segmentJson(s, cycle)) });
  });
  router.get('/metadata', async (req, res) => {
    const from = taiParam(req.query.from, 'from');
    const to = taiParam(req.query.to, 'to');
    if (to - from > MAX_ROWS * cycle) throw new HttpRequestError('invalid-request', `at most ${MAX_ROWS} cycles at once; narrow from/to`);
    const spacecraft = typeof req.query.spacecraft === 'string' ? req.query.spacecraft.split(',') : undefined;
    res.json({ cycles: await metadataBetween(ctx.db, mission, from, to, spacecraft) });
  });
  return router;
}

async function answer(res: Response, ctx: ApiContext, submit: () => Promise<SubmissionOutcome>): Promise<void> {
  let outcome: SubmissionOutcome;
  try {
    outcome = await submit();
  } catch (error) {
    if (error instanceof SdcError) throw error;
    ctx.logger.error('SITL submission failed', { error: error instanceof Error ? error.stack : String(error) });
    res.status(500).json({ result: RESULT.sdcError, accepted: false, message: 'SDC error: the submission was not recorded; submit it again', messages: [] });
    return;
  }
  const status = outcome.result === RESULT.accepted ? 201 : outcome.result === RESULT.unchanged ? 200 : 422;
  res.status(status).json(outcome);
}

function windowJson(w: SelectionWindow, full: boolean) {
  const end = w.cycleStart + w.numCycles * w.cycleSeconds;
  const summary = {
    id: w.id, absFile: w.absFile, cycleStart: w.cycleStart, numCycles: w.numCycles, cycleSeconds: w.cycleSeconds,
    startUtc: taiToDate(w.cycleStart).toISOString(), endUtc: taiToDate(end).toISOString(), evaluatedAt: w.evaluatedAt,
    closesAt: w.closesAt, closed: w.uplinkedAt !== null, uplinkedAt: w.uplinkedAt, uplinkedBy: w.uplinkedBy, closeTai: w.closeTai,
    automatedBuffers: w.selections.reduce((s, x) => s + x.stop - x.start + 1, 0),
  };
  if (!full) return summary;
  return {
    ...summary, parameters: w.parameters, mdq: w.mdq,
    selections: w.selections.map((s) => {
      const [a, b] = selectionSpan(w, s);
      return { ...s, buffers: s.stop - s.start + 1, taiStart: a, taiEnd: b, startUtc: taiToDate(a).toISOString(), endUtc: taiToDate(b).toISOString() };
    }),
  };
}

function segmentJson(s: BurstSegment, cycle: number) {
  return { ...s, buffers: Math.floor((s.taiEnd - s.taiStart) / cycle) + 1, startUtc: taiToDate(s.taiStart).toISOString(), endUtc: taiToDate(s.taiEnd + cycle).toISOString() };
}

/** An anonymous submitter is asked for credentials (401 with the Basic challenge a browser answers). */
function challenged(res: Response, realm: string): boolean {
  if (principalOf(res).kind !== 'anonymous') return false;
  res.set('WWW-Authenticate', `Basic realm="${realm.replace(/["\\]/g, '')}", charset="UTF-8"`);
  res.status(401).json({ error: { code: 'unauthorized', message: 'SITL submissions need team credentials with the sitl or super-sitl role' } });
  return true;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new HttpRequestError('invalid-request', `invalid request body: ${result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
}

function idParam(req: Request): number {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id < 1) throw new HttpRequestError('invalid-request', `'${req.params.id}' is not a window id`);
  return id;
}

function taiParam(value: unknown, name: string): number {
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new HttpRequestError('invalid-request', `${name} must be TAI seconds since 1958 (an integer), got '${String(value ?? '')}'`);
  return n;
}
