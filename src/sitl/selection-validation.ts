import type { ValidationLimits } from './sitl-config.js';
import type { BurstSegment, MissionEvent, Selection } from './sitl-types.js';
import { dateToTai, formatTableTime, taiToDate } from './tai-seconds.js';
import type { ValidationMessage } from './validation-message.js';

/** Statuses after which a segment no longer holds its time range (new selections may overlap it). */
const RELEASED_STATUSES = ['DELETED', 'OBSOLETE', 'SUBSUMED'];

/** Whether a segment still occupies its time range. */
export function isActiveSegment(segment: Pick<BurstSegment, 'status'>): boolean {
  const flags = segment.status.toUpperCase().split('+');
  return !RELEASED_STATUSES.some((s) => flags.includes(s));
}

/** The window a submission is validated against. */
export interface WindowFrame {
  cycleStart: number;
  numCycles: number;
  cycleSeconds: number;
  /** The automated selections (a submission equal to them needs confirmation). */
  automated: readonly Selection[];
}

export interface SelectionCheckInput {
  frame: WindowFrame;
  selections: readonly Selection[];
  limits: ValidationLimits;
  /** Segments of the table overlapping the window. */
  existing: readonly BurstSegment[];
  /** The final uplink: the window close (TAI), undefined when missing, and the sub-ROIs near the window. */
  uplink?: { closeTai: number | undefined; subRois?: readonly MissionEvent[] };
}

/**
 * Validates a window's selections (the SITL's edited automated selections). Errors: FOM out of
 * bounds, length out of bounds, start after stop, cycles outside the window, overlaps (with each
 * other or with existing segments), and for an uplink a missing close time, a close time within
 * a sub-ROI or a selection ending at or after it. Confirm warnings: length outside the nominal
 * range, too large a share of priority-1 buffers, selections unmodified from the automated ones,
 * and for an uplink a sub-ROI before the close left without selections. Super-SITL warnings: FOM
 * above the reserved threshold, more buffers than the maximum.
 */
export function validateSelections(input: SelectionCheckInput): ValidationMessage[] {
  const { frame, selections, limits } = input;
  const messages: ValidationMessage[] = [];
  const [fomLow, fomHigh] = limits.fomBounds;
  const [lenLow, lenHigh] = limits.segmentBounds;
  const [nomLow, nomHigh] = limits.nominalSegmentRange;
  selections.forEach((s, item) => {
    const label = `selection ${item + 1}`;
    const fomInBounds = s.fom >= fomLow && s.fom <= fomHigh;
    if (!fomInBounds) messages.push({ severity: 'error', rule: 'fom-bounds', item, message: `${label}: FOM ${s.fom} is outside the allowed range ${fomLow}-${fomHigh}` });
    if (s.start > s.stop) {
      messages.push({ severity: 'error', rule: 'start-after-stop', item, message: `${label}: start cycle ${s.start} is after stop cycle ${s.stop}` });
      return;
    }
    if (s.start < 0 || s.stop >= frame.numCycles) messages.push({ severity: 'error', rule: 'outside-window', item, message: `${label}: cycles ${s.start}-${s.stop} are outside the window (cycles 0-${frame.numCycles - 1})` });
    const length = s.stop - s.start + 1;
    if (length < lenLow || length > lenHigh) messages.push({ severity: 'error', rule: 'segment-length', item, message: `${label}: ${length} buffers is outside the allowed segment length ${lenLow}-${lenHigh} buffers` });
    else if (length < nomLow || length > nomHigh) messages.push({ severity: 'confirm', rule: 'nominal-length', item, message: `${label}: ${length} buffers is outside the nominal segment length ${nomLow}-${nomHigh} buffers; confirm to submit it` });
    if (fomInBounds && s.fom > limits.fomReserved) messages.push({ severity: 'super-sitl', rule: 'fom-reserved', item, message: `${label}: FOM ${s.fom} is above ${limits.fomReserved}. Submission needs SuperSITL Approval! FOMs above ${limits.fomReserved} should be reserved for the highest priority events or calibrations` });
  });
  messages.push(...overlaps(input));
  const valid = selections.filter((s) => s.start <= s.stop);
  const total = valid.reduce((sum, s) => sum + (s.stop - s.start + 1), 0);
  if (total > limits.maxBuffers) messages.push({ severity: 'super-sitl', rule: 'max-buffers', message: `the selections total ${total} buffers, more than the maximum of ${limits.maxBuffers}. Submission needs SuperSITL Approval!` });
  const [p1Low, p1High] = limits.priority1Range;
  const p1 = valid.filter((s) => s.fom >= p1Low && s.fom < p1High).reduce((sum, s) => sum + (s.stop - s.start + 1), 0);
  const p1Limit = (limits.priority1Percent / 100) * limits.maxBuffers;
  if (p1 > p1Limit) messages.push({ severity: 'confirm', rule: 'priority-1-share', message: `priority-1 selections (FOM from ${p1Low} to below ${p1High}) take ${p1} buffers, more than ${limits.priority1Percent}% of ${limits.maxBuffers} buffers (${Math.floor(p1Limit)}); priority 1 should be reserved for the most important events (e.g. diffusion region crossings): justify and confirm` });
  if (sameSelections(selections, frame.automated)) messages.push({ severity: 'confirm', rule: 'unmodified', message: 'the selections are the automated selections, unmodified; confirm to submit them as they are' });
  if (input.uplink) messages.push(...uplinkChecks(frame, selections, input.uplink.closeTai, input.uplink.subRois ?? []));
  return messages;
}

/** TAI start and end (exclusive) of a selection. */
export function selectionSpan(frame: Pick<WindowFrame, 'cycleStart' | 'cycleSeconds'>, s: Pick<Selection, 'start' | 'stop'>): [number, number] {
  return [frame.cycleStart + s.start * frame.cycleSeconds, frame.cycleStart + (s.stop + 1) * frame.cycleSeconds];
}

/** `YYYY-MM-DD hh:mm:ss` of a TAI time, for messages. */
export function utcLabel(tai: number): string {
  return formatTableTime(taiToDate(tai));
}

function overlaps(input: SelectionCheckInput): ValidationMessage[] {
  const { frame, selections } = input;
  const messages: ValidationMessage[] = [];
  const active = input.existing.filter(isActiveSegment).map((seg) => ({ seg, start: seg.taiStart, end: seg.taiEnd + frame.cycleSeconds }));
  const spans = selections.flatMap((s, i) => (s.start <= s.stop ? [{ i, span: selectionSpan(frame, s) }] : []));
  // In start order, a selection can only overlap those that start before it ends.
  const ordered = [...spans].sort((x, y) => x.span[0] - y.span[0] || x.i - y.i);
  ordered.forEach((a, k) => {
    for (let m = k + 1; m < ordered.length && ordered[m]!.span[0] < a.span[1]; m += 1) {
      const [first, second] = a.i < ordered[m]!.i ? [a.i, ordered[m]!.i] : [ordered[m]!.i, a.i];
      messages.push({ severity: 'error', rule: 'overlap', item: second, message: `selections ${first + 1} and ${second + 1} overlap` });
    }
  });
  for (const { i, span } of spans) {
    for (const { seg, start, end } of active) {
      if (!(span[0] < end && start < span[1])) continue;
      messages.push({ severity: 'error', rule: 'overlap', item: i, message: `selection ${i + 1} (${utcLabel(span[0])} to ${utcLabel(span[1])}) overlaps existing segment ${seg.id} (${utcLabel(start)} to ${utcLabel(end)}); new selections must not overlap existing segments` });
    }
  }
  return messages;
}

function uplinkChecks(frame: WindowFrame, selections: readonly Selection[], closeTai: number | undefined, subRois: readonly MissionEvent[]): ValidationMessage[] {
  if (closeTai === undefined) return [{ severity: 'error', rule: 'close-time-missing', message: 'the final uplink needs the window close time (closeTai, TAI seconds)' }];
  const messages: ValidationMessage[] = subRoiChecks(frame, selections, closeTai, subRois);
  selections.forEach((s, item) => {
    if (s.start > s.stop) return;
    const end = selectionSpan(frame, s)[1];
    if (end >= closeTai) messages.push({ severity: 'error', rule: 'after-close', item, message: `selection ${item + 1} ends at ${utcLabel(end)}, at or after the window close ${utcLabel(closeTai)}` });
  });
  return messages;
}

/**
 * The sub-ROI checks of the uplink (as the SITL tool's): the close may not fall within a sub-ROI
 * (both ends included), and a sub-ROI that ends before the close and meets the window needs a
 * selection meeting it, or the SITL's confirmation. The operations centre tells a sub-ROI once
 * per spacecraft: rows with the same times are one sub-ROI.
 */
function subRoiChecks(frame: WindowFrame, selections: readonly Selection[], closeTai: number, subRois: readonly MissionEvent[]): ValidationMessage[] {
  const byTimes = new Map<string, { start: number; end: number; spacecraft: string[] }>();
  for (const e of subRois) {
    const key = `${e.start.getTime()}:${e.end.getTime()}`;
    const roi = byTimes.get(key) ?? { start: dateToTai(e.start), end: dateToTai(e.end), spacecraft: [] };
    if (e.spacecraft && !roi.spacecraft.includes(e.spacecraft)) roi.spacecraft.push(e.spacecraft);
    byTimes.set(key, roi);
  }
  const describe = (r: { start: number; end: number; spacecraft: string[] }) => `sub-ROI ${utcLabel(r.start)} to ${utcLabel(r.end)}${r.spacecraft.length > 0 ? ` (${r.spacecraft.sort().join(', ')})` : ''}`;
  const spans = selections.filter((s) => s.start <= s.stop).map((s) => selectionSpan(frame, s));
  const messages: ValidationMessage[] = [];
  for (const roi of byTimes.values()) {
    if (closeTai >= roi.start && closeTai <= roi.end) {
      messages.push({ severity: 'error', rule: 'close-in-sub-roi', message: `the window close ${utcLabel(closeTai)} is within the ${describe(roi)}: the close time may not be within a sub-ROI` });
      continue;
    }
    if (roi.end >= closeTai || roi.end < frame.cycleStart) continue;
    if (!spans.some(([a, b]) => a <= roi.end && roi.start < b)) messages.push({ severity: 'confirm', rule: 'empty-sub-roi', message: `the ${describe(roi)} has no selections; confirm to uplink without them` });
  }
  return messages;
}

function sameSelections(a: readonly Selection[], b: readonly Selection[]): boolean {
  if (a.length !== b.length) return false;
  const key = (s: Selection) => `${s.start}:${s.stop}:${s.fom}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.every((k, i) => k === right[i]);
}
