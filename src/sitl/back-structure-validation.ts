import { isActiveSegment, utcLabel } from './selection-validation.js';
import type { ValidationLimits } from './sitl-config.js';
import type { BackStructureEdit, BurstSegment } from './sitl-types.js';
import type { ValidationMessage } from './validation-message.js';

export interface BackStructureCheckInput {
  edits: readonly BackStructureEdit[];
  limits: ValidationLimits;
  cycleSeconds: number;
  /** The segments the edits name, by id. */
  segments: ReadonlyMap<number, BurstSegment>;
  /** Segments overlapping the span of the added ones. */
  neighbours: readonly BurstSegment[];
}

/** A FINISHED segment's data were transmitted or given up: it can no longer be edited. */
export function isFinished(segment: Pick<BurstSegment, 'status'>): boolean {
  return segment.status.toUpperCase().split('+').includes('FINISHED');
}

/**
 * Validates back-structure edits. Modify: the segment exists and is not FINISHED, the new FOM is
 * within bounds (errors); a change larger than `fomModifyFraction` of the old FOM needs
 * confirmation. Delete: exists and not FINISHED (errors); an old FOM above `fomDeleteMax` needs
 * confirmation. Add: FOM and length within bounds, start not after end, on the cycle grid, no
 * overlap with existing segments (errors); outside the nominal length or a FOM above
 * `fomNewJustify` needs confirmation; a FOM above `fomReserved` needs a super-SITL override.
 */
export function validateBackStructure(input: BackStructureCheckInput): ValidationMessage[] {
  const { limits } = input;
  const messages: ValidationMessage[] = [];
  const [fomLow, fomHigh] = limits.fomBounds;
  const fomOk = (fom: number) => fom >= fomLow && fom <= fomHigh;
  const seen = new Set<number>();
  input.edits.forEach((edit, item) => {
    const label = `edit ${item + 1}`;
    if (edit.change === 'add') {
      messages.push(...checkAdded(input, edit, item));
      return;
    }
    const segment = input.segments.get(edit.segmentId);
    if (!segment) {
      messages.push({ severity: 'error', rule: 'unknown-segment', item, message: `${label}: segment ${edit.segmentId} does not exist; edits must name an existing segment exactly` });
      return;
    }
    if (seen.has(edit.segmentId)) messages.push({ severity: 'error', rule: 'duplicate-edit', item, message: `${label}: segment ${edit.segmentId} is edited more than once` });
    seen.add(edit.segmentId);
    if (isFinished(segment)) {
      messages.push({ severity: 'error', rule: 'finished', item, message: `${label}: segment ${segment.id} is ${segment.status}: a FINISHED segment cannot be edited` });
      return;
    }
    if (!isActiveSegment(segment)) {
      messages.push({ severity: 'error', rule: 'released', item, message: `${label}: segment ${segment.id} is ${segment.status} and can no longer be edited` });
      return;
    }
    if (edit.change === 'modify') {
      if (!fomOk(edit.fom)) {
        messages.push({ severity: 'error', rule: 'fom-bounds', item, message: `${label}: FOM ${edit.fom} of segment ${segment.id} is outside the allowed range ${fomLow}-${fomHigh}` });
        return;
      }
      const change = segment.fom === 0 ? Number.POSITIVE_INFINITY : Math.abs(edit.fom - segment.fom) / segment.fom;
      if (change > limits.fomModifyFraction) messages.push({ severity: 'confirm', rule: 'fom-change', item, message: `${label}: FOM of segment ${segment.id} changes from ${segment.fom} to ${edit.fom}, more than ${Math.round(limits.fomModifyFraction * 100)}%; confirm the change` });
      if (edit.fom > limits.fomReserved && segment.fom <= limits.fomReserved) messages.push({ severity: 'super-sitl', rule: 'fom-reserved', item, message: `${label}: FOM ${edit.fom} is above ${limits.fomReserved}. Submission needs SuperSITL Approval!` });
      return;
    }
    if (segment.fom > limits.fomDeleteMax) messages.push({ severity: 'confirm', rule: 'delete-high-fom', item, message: `${label}: segment ${segment.id} has FOM ${segment.fom}, above ${limits.fomDeleteMax}; confirm its deletion` });
  });
  return messages;
}

function checkAdded(input: BackStructureCheckInput, edit: Extract<BackStructureEdit, { change: 'add' }>, item: number): ValidationMessage[] {
  const { limits, cycleSeconds } = input;
  const label = `edit ${item + 1} (new segment)`;
  const messages: ValidationMessage[] = [];
  const [fomLow, fomHigh] = limits.fomBounds;
  if (!(edit.fom >= fomLow && edit.fom <= fomHigh)) messages.push({ severity: 'error', rule: 'fom-bounds', item, message: `${label}: FOM ${edit.fom} is outside the allowed range ${fomLow}-${fomHigh}` });
  if (edit.taiStart > edit.taiEnd) return [...messages, { severity: 'error', rule: 'start-after-stop', item, message: `${label}: start ${utcLabel(edit.taiStart)} is after its last buffer ${utcLabel(edit.taiEnd)}` }];
  if ((edit.taiEnd - edit.taiStart) % cycleSeconds !== 0) messages.push({ severity: 'error', rule: 'off-grid', item, message: `${label}: start and end must be a whole number of ${cycleSeconds}-s buffers apart` });
  const length = Math.floor((edit.taiEnd - edit.taiStart) / cycleSeconds) + 1;
  const [lenLow, lenHigh] = limits.segmentBounds;
  const [nomLow, nomHigh] = limits.nominalSegmentRange;
  if (length < lenLow || length > lenHigh) messages.push({ severity: 'error', rule: 'segment-length', item, message: `${label}: ${length} buffers is outside the allowed segment length ${lenLow}-${lenHigh} buffers` });
  else if (length < nomLow || length > nomHigh) messages.push({ severity: 'confirm', rule: 'nominal-length', item, message: `${label}: ${length} buffers is outside the nominal segment length ${nomLow}-${nomHigh} buffers; confirm to submit it` });
  const end = edit.taiEnd + cycleSeconds;
  for (const seg of input.neighbours) {
    if (!isActiveSegment(seg) || !(edit.taiStart < seg.taiEnd + cycleSeconds && seg.taiStart < end)) continue;
    messages.push({ severity: 'error', rule: 'overlap', item, message: `${label} (${utcLabel(edit.taiStart)} to ${utcLabel(end)}) overlaps existing segment ${seg.id}; a new segment must not overlap existing segments` });
  }
  if (edit.fom > limits.fomReserved) messages.push({ severity: 'super-sitl', rule: 'fom-reserved', item, message: `${label}: FOM ${edit.fom} is above ${limits.fomReserved}. Submission needs SuperSITL Approval!` });
  else if (edit.fom > limits.fomNewJustify) messages.push({ severity: 'confirm', rule: 'fom-justify', item, message: `${label}: FOM greater than ${limits.fomNewJustify}, please justify (discussion) and confirm` });
  return messages;
}
