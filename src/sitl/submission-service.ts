import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { lockNames } from '../catalog/advisory-lock.js';
import type { CatalogSchema } from '../catalog/catalog-schema.js';
import { SdcError } from '../errors/sdc-error.js';
import { validateBackStructure } from './back-structure-validation.js';
import { publicationName } from './publication-name.js';
import { allocateSegmentIds, recordHistory, segmentsByIds, segmentsOverlapping, upsertSegments } from './segment-table.js';
import { selectionSpan, validateSelections } from './selection-validation.js';
import { closeWindow, findWindow } from './selection-windows.js';
import type { SitlAdapter } from './sitl-adapter.js';
import type { SitlConfig } from './sitl-config.js';
import { queueDelivery } from './sitl-deliveries.js';
import { eventsMeeting } from './mission-events.js';
import type { BackStructureEdit, BurstSegment, MissionEvent, RelayedChange, Selection, SelectionWindow } from './sitl-types.js';
import { taiToDate } from './tai-seconds.js';
import { decide, RESULT, type Decision, type ValidationMessage } from './validation-message.js';

/** Who submits: the API checked the role; `isSuperSitl` decides who may override. */
export interface Submitter {
  user: string;
  isSuperSitl: boolean;
}

/** A SITL's selections for one window: a draft, or the final uplink that closes it. */
export interface SelectionSubmission {
  windowId: number;
  selections: { start: number; stop: number; fom: number; discussion?: string | undefined }[];
  uplink: boolean;
  /** Window close (TAI seconds), required with the uplink. */
  closeTai?: number | undefined;
  note?: string | undefined;
  /** The SITL confirms the yellow warnings. */
  confirm?: boolean | undefined;
  /** A super-SITL overrides the orange warnings. */
  override?: boolean | undefined;
  /** Only validate: nothing is recorded (result 0 then means it would be accepted). */
  dryRun?: boolean | undefined;
}

export interface BackStructureSubmission {
  edits: BackStructureEdit[];
  confirm?: boolean | undefined;
  override?: boolean | undefined;
}

/** The answer to a submission, with the SITL tools' result code. */
export interface SubmissionOutcome {
  result: (typeof RESULT)[keyof typeof RESULT];
  accepted: boolean;
  message: string;
  messages: ValidationMessage[];
  needs?: Decision['needs'];
  submissionId?: number;
  /** Ids of the segments the submission created (uplink, back-structure additions). */
  segmentIds?: number[];
}

export interface SubmissionDependencies {
  db: Kysely<CatalogSchema>;
  mission: string;
  config: SitlConfig;
  adapter: SitlAdapter;
  /** Called after a commit that queued deliveries (POC file, published selections). */
  onDeliveriesQueued: () => void;
}

/**
 * SITL submissions: validated with the mission's limits, refused with every finding, or accepted
 * in one transaction with their effects — the submission row, the window closed by an uplink,
 * the segments created or changed, the POC file and the published selections file queued for
 * delivery. Work on one window (and on the back structure) is serialised by an advisory lock.
 */
export class SubmissionService {
  constructor(private readonly deps: SubmissionDependencies) {}

  async submitSelections(who: Submitter, request: SelectionSubmission): Promise<SubmissionOutcome> {
    const { config, mission } = this.deps;
    const outcome = await this.deps.db.transaction().execute(async (trx) => {
      await lockNames(trx, [`sitl-window:${mission}:${request.windowId}`]);
      const window = await findWindow(trx, mission, request.windowId, config.cycleSeconds);
      if (!window) throw new SdcError('not-found', `no selection window ${request.windowId}`);
      if (window.uplinkedAt) return refused([{ severity: 'error', rule: 'window-closed', message: `window ${window.id} was closed by the final uplink of ${window.uplinkedBy} at ${window.uplinkedAt.toISOString()}; an uplink cannot be undone` }], 'fix-errors');
      const selections = this.normalise(who, window, request.selections);
      const span: [number, number] = [window.cycleStart, window.cycleStart + window.numCycles * config.cycleSeconds];
      const existing = await segmentsOverlapping(trx, mission, span[0], span[1], config.cycleSeconds);
      const messages = validateSelections({
        frame: { cycleStart: window.cycleStart, numCycles: window.numCycles, cycleSeconds: config.cycleSeconds, automated: window.selections },
        selections, limits: config.validation, existing,
        ...(request.uplink ? { uplink: { closeTai: request.closeTai, subRois: await this.subRois(trx, span, request.closeTai) } } : {}),
      });
      const decision = decide(messages, { confirm: Boolean(request.confirm), override: Boolean(request.override), isSuperSitl: who.isSuperSitl });
      if (!decision.accepted) return refused(messages, decision.needs);
      if (request.dryRun) return { result: RESULT.accepted, accepted: false, message: 'the selections would be accepted', messages } satisfies SubmissionOutcome;
      const body = { windowId: window.id, selections, uplink: request.uplink, closeTai: request.closeTai ?? null, note: request.note ?? '' };
      const digest = digestOf(body);
      if (!request.uplink && (await this.lastDigest(trx, window.id)) === digest) return { result: RESULT.unchanged, accepted: false, message: 'nothing changed since the last accepted submission of this window', messages } satisfies SubmissionOutcome;
      const kind = request.uplink ? 'uplink' : 'draft';
      const submissionId = await this.record(trx, window.id, kind, who, body, decision, digest);
      let segmentIds: number[] = [];
      if (request.uplink) {
        if (!(await closeWindow(trx, window.id, who.user, request.closeTai!))) throw new SdcError('conflicting-duplicate', `window ${window.id} was closed meanwhile`);
        segmentIds = await this.createSegments(trx, window, selections);
      }
      const changes: RelayedChange[] = selections.map((s, i) => {
        const [taiStart, end] = selectionSpan(window, s);
        return { change: 'new', segmentId: segmentIds[i] ?? -(i + 1), taiStart, taiEnd: end - config.cycleSeconds, fom: s.fom, sourceId: s.sourceId, observatories: 'ALL', discussion: s.discussion };
      });
      const submittedAt = new Date();
      await this.relay(trx, { submissionId, kind, submittedBy: who.user, submittedAt, window, ...(request.uplink ? { closeTai: request.closeTai! } : {}), changes });
      const published = await publicationName(trx, mission, config.publish.sitlSelections, submittedAt);
      const content = this.deps.adapter.encodeSelections(window, selections, { uplink: request.uplink, closeTai: request.closeTai ?? null, note: request.note ?? '', evaluatedAt: window.evaluatedAt });
      await queueDelivery(trx, mission, { target: 'publish', name: published.name, content, submissionId, windowId: window.id });
      return accepted(submissionId, messages, segmentIds, request.uplink ? `selections uplinked; window ${window.id} is closed` : 'draft accepted');
    });
    if (outcome.accepted) this.deps.onDeliveriesQueued();
    return outcome;
  }

  async submitBackStructure(who: Submitter, request: BackStructureSubmission): Promise<SubmissionOutcome> {
    const { config, mission } = this.deps;
    if (request.edits.length === 0) return { result: RESULT.unchanged, accepted: false, message: 'no back-structure edit was submitted: nothing changed', messages: [] };
    const outcome = await this.deps.db.transaction().execute(async (trx) => {
      await lockNames(trx, [`sitl-back-structure:${mission}`]);
      const ids = request.edits.flatMap((e) => (e.change === 'add' ? [] : [e.segmentId]));
      const segments = await segmentsByIds(trx, mission, ids);
      const adds = request.edits.filter((e): e is Extract<BackStructureEdit, { change: 'add' }> => e.change === 'add');
      const neighbours = adds.length === 0 ? [] : await segmentsOverlapping(trx, mission, Math.min(...adds.map((a) => a.taiStart)), Math.max(...adds.map((a) => a.taiEnd)) + config.cycleSeconds, config.cycleSeconds);
      const messages = validateBackStructure({ edits: request.edits, limits: config.validation, cycleSeconds: config.cycleSeconds, segments, neighbours });
      messages.push(...overlapsAmongAdds(adds, request.edits, config.cycleSeconds));
      const decision = decide(messages, { confirm: Boolean(request.confirm), override: Boolean(request.override), isSuperSitl: who.isSuperSitl });
      if (!decision.accepted) return refused(messages, decision.needs);
      const body = { edits: request.edits };
      const submissionId = await this.record(trx, null, 'back-structure', who, body, decision, digestOf(body));
      const newIds = await allocateSegmentIds(trx, mission, adds.length);
      const changes = await this.applyEdits(trx, who, request.edits, segments, newIds);
      await this.relay(trx, { submissionId, kind: 'back-structure', submittedBy: who.user, submittedAt: new Date(), changes });
      return accepted(submissionId, messages, newIds, `${request.edits.length} back-structure edit(s) accepted`);
    });
    if (outcome.accepted) this.deps.onDeliveriesQueued();
    return outcome;
  }

  /** The sub-ROIs an uplink is checked against: those meeting the window or its close (a close more than a year later is not looked for). */
  private async subRois(trx: Transaction<CatalogSchema>, span: [number, number], closeTai: number | undefined): Promise<MissionEvent[]> {
    const type = this.deps.config.subRoiEventType;
    if (!type) return [];
    const until = Math.min(Math.max(span[1], closeTai ?? 0), span[1] + 366 * 86_400);
    return eventsMeeting(trx, this.deps.mission, type, taiToDate(span[0]), taiToDate(until));
  }

  private normalise(who: Submitter, window: SelectionWindow, submitted: SelectionSubmission['selections']): Selection[] {
    const automated = new Map(window.selections.map((s) => [`${s.start}:${s.stop}:${s.fom}`, s]));
    const sitlSource = `${who.user}${this.deps.config.sitlSourceSuffix}`;
    return submitted.map((s) => {
      const unchanged = automated.get(`${s.start}:${s.stop}:${s.fom}`);
      return { start: s.start, stop: s.stop, fom: s.fom, sourceId: unchanged ? unchanged.sourceId : sitlSource, discussion: s.discussion ?? unchanged?.discussion ?? '' };
    });
  }

  private async lastDigest(trx: Transaction<CatalogSchema>, windowId: number): Promise<string | undefined> {
    const row = await trx.selectFrom('sitl_submissions').select('digest').where('window_id', '=', windowId).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row?.digest;
  }

  private async record(trx: Transaction<CatalogSchema>, windowId: number | null, kind: 'draft' | 'uplink' | 'back-structure', who: Submitter, body: unknown, decision: Decision, digest: string): Promise<number> {
    const row = await trx
      .insertInto('sitl_submissions')
      .values({ mission: this.deps.mission, window_id: windowId, kind, submitted_by: who.user, body: JSON.stringify(body), warnings: JSON.stringify(decision.acknowledged), digest })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  private async createSegments(trx: Transaction<CatalogSchema>, window: SelectionWindow, selections: readonly Selection[]): Promise<number[]> {
    const ids = await allocateSegmentIds(trx, this.deps.mission, selections.length);
    const now = new Date();
    const segments = selections.map((s, i): BurstSegment => {
      const [taiStart, end] = selectionSpan(window, s);
      return newSegment(ids[i]!, taiStart, end - this.deps.config.cycleSeconds, s.fom, s.sourceId, s.discussion, now);
    });
    await upsertSegments(trx, this.deps.mission, segments);
    return ids;
  }

  private async applyEdits(trx: Transaction<CatalogSchema>, who: Submitter, edits: readonly BackStructureEdit[], segments: ReadonlyMap<number, BurstSegment>, newIds: readonly number[]): Promise<RelayedChange[]> {
    const { mission, config } = this.deps;
    const source = `${who.user}${config.sitlSourceSuffix}`;
    const changes: RelayedChange[] = [];
    let added = 0;
    for (const edit of edits) {
      if (edit.change === 'add') {
        const id = newIds[added++]!;
        await upsertSegments(trx, mission, [newSegment(id, edit.taiStart, edit.taiEnd, edit.fom, source, edit.discussion ?? '', new Date())]);
        changes.push({ change: 'new', segmentId: id, taiStart: edit.taiStart, taiEnd: edit.taiEnd, fom: edit.fom, sourceId: source, observatories: edit.observatories ?? 'ALL', discussion: edit.discussion ?? '' });
        continue;
      }
      const segment = segments.get(edit.segmentId)!;
      const discussion = edit.discussion ?? segment.discussion;
      if (edit.change === 'modify') {
        await trx.updateTable('sitl_segments').set({ fom: edit.fom, discussion, updated_at: new Date() }).where('mission', '=', mission).where('id', '=', segment.id).execute();
        changes.push({ change: 'modified', segmentId: segment.id, taiStart: segment.taiStart, taiEnd: segment.taiEnd, fom: edit.fom, sourceId: source, observatories: 'ALL', discussion });
        continue;
      }
      await trx.updateTable('sitl_segments').set({ status: 'DELETED', is_pending: false, in_playlist: false, finish_time: new Date(), discussion, updated_at: new Date() }).where('mission', '=', mission).where('id', '=', segment.id).execute();
      await recordHistory(trx, mission, [{ id: segment.id, status: 'DELETED', isPending: false, inPlaylist: false }]);
      changes.push({ change: 'deleted', segmentId: segment.id, taiStart: segment.taiStart, taiEnd: segment.taiEnd, fom: segment.fom, sourceId: source, observatories: 'ALL', discussion });
    }
    return changes;
  }

  private async relay(trx: Transaction<CatalogSchema>, delivery: Parameters<SitlAdapter['pocFile']>[0]): Promise<void> {
    const file = this.deps.adapter.pocFile(delivery);
    await queueDelivery(trx, this.deps.mission, { target: 'poc', name: file.name, content: file.content, submissionId: delivery.submissionId, ...(delivery.window ? { windowId: delivery.window.id } : {}) });
  }
}

function newSegment(id: number, taiStart: number, taiEnd: number, fom: number, sourceId: string, discussion: string, now: Date): BurstSegment {
  return { id, taiStart, taiEnd, parameterSetId: '', fom, isPending: true, inPlaylist: false, status: 'NEW', numEvalCycles: 0, sourceId, createTime: now, finishTime: null, numBufs: [], allocBufs: [], remFiles: [], discussion };
}

function overlapsAmongAdds(adds: readonly Extract<BackStructureEdit, { change: 'add' }>[], edits: readonly BackStructureEdit[], cycleSeconds: number): ValidationMessage[] {
  const messages: ValidationMessage[] = [];
  for (let i = 0; i < adds.length; i += 1) {
    for (let j = i + 1; j < adds.length; j += 1) {
      const a = adds[i]!;
      const b = adds[j]!;
      if (a.taiStart < b.taiEnd + cycleSeconds && b.taiStart < a.taiEnd + cycleSeconds) messages.push({ severity: 'error', rule: 'overlap', item: edits.indexOf(b), message: `edits ${edits.indexOf(a) + 1} and ${edits.indexOf(b) + 1} add overlapping segments` });
    }
  }
  return messages;
}

function refused(messages: ValidationMessage[], needs: Decision['needs']): SubmissionOutcome {
  const why = needs === 'super-sitl' ? 'needs a super-SITL to override the orange warnings' : needs === 'confirmation' ? 'has warnings to confirm' : 'has errors';
  return { result: RESULT.refused, accepted: false, message: `the submission was not accepted: it ${why}`, messages, ...(needs ? { needs } : {}) };
}

function accepted(submissionId: number, messages: ValidationMessage[], segmentIds: number[], message: string): SubmissionOutcome {
  return { result: RESULT.accepted, accepted: true, message, messages, submissionId, segmentIds };
}

function digestOf(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}
