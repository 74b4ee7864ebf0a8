/**
 * The shared types of burst-data selection.
 *
 * Glossary: a *cycle* (= a *buffer*) is the unit of burst memory, `cycleSeconds` long; times are
 * integer TAI seconds since 1958-01-01. The *metadata* gives per cycle and spacecraft a trigger
 * data quality (CDQ) and the combined quality (MDQ). A *window* is one evaluation of the
 * metadata: consecutive cycles from `cycleStart`, with the *automated selections* computed for
 * it. A *selection* picks cycles `start..stop` (0-based, inclusive indices into the window) with
 * a figure of merit (*FOM*). A *segment* is a row of the burst data segment table (its
 * `taiEnd` is the start of its last buffer); the *back structure* is that table as the SITL
 * edits it after a window closed. The *POC* is the operations centre that runs the onboard
 * playlist and tells segment states back.
 */

/** One cycle of burst metadata of one spacecraft. */
export interface MetadataCycle {
  spacecraft: string;
  tai: number;
  dataSegmentId: number | null;
  cdq: number;
  mdq: number;
}

/** A selection inside a window: cycles `start..stop` (inclusive indices). */
export interface Selection {
  start: number;
  stop: number;
  fom: number;
  sourceId: string;
  discussion: string;
}

/** The automated selections of one window, as computed by the mission's algorithm. */
export interface WindowSelections {
  selections: Selection[];
  /** The combined quality per cycle the selections were computed from. */
  mdq: number[];
  /** The algorithm's parameters and version, carried into the published file. */
  parameters: Record<string, unknown>;
}

/** One evaluation window (a row of sitl_windows, decoded). */
export interface SelectionWindow extends WindowSelections {
  id: number;
  cycleStart: number;
  numCycles: number;
  cycleSeconds: number;
  evaluatedAt: Date;
  absFile: string;
  uplinkedAt: Date | null;
  uplinkedBy: string | null;
  closeTai: number | null;
  /** When the selections are due (the mission's deadline after the evaluation); null: no deadline. */
  closesAt: Date | null;
}

/** A row of the burst data segment table. */
export interface BurstSegment {
  id: number;
  taiStart: number;
  /** Start of the last buffer: the data end one cycle later. */
  taiEnd: number;
  parameterSetId: string;
  fom: number;
  isPending: boolean;
  inPlaylist: boolean;
  /** Flags joined by `+`, e.g. `COMPLETE+FINISHED`. */
  status: string;
  numEvalCycles: number;
  sourceId: string;
  createTime: Date | null;
  finishTime: Date | null;
  /** Per spacecraft: buffers held, allocated, files remaining. */
  numBufs: number[];
  allocBufs: number[];
  remFiles: number[];
  discussion: string;
}

/** A change of a segment's state told by the POC; absent fields stay as they are. */
export interface SegmentStatusUpdate {
  id: number;
  status: string;
  isPending?: boolean;
  inPlaylist?: boolean;
  numEvalCycles?: number;
  finishTime?: Date | null;
}

/** One edit of the back structure. */
export type BackStructureEdit =
  | { change: 'modify'; segmentId: number; fom: number; discussion?: string }
  | { change: 'delete'; segmentId: number; discussion?: string }
  | { change: 'add'; taiStart: number; taiEnd: number; fom: number; discussion?: string; observatories?: string };

/** A segment change relayed to the POC (new segments carry the id the SDC gave them). */
export interface RelayedChange {
  change: 'new' | 'modified' | 'deleted';
  segmentId: number;
  taiStart: number;
  taiEnd: number;
  fom: number;
  sourceId: string;
  observatories: string;
  discussion: string;
}

/** What the POC receives for one accepted submission. */
export interface PocDelivery {
  submissionId: number;
  kind: 'draft' | 'uplink' | 'back-structure';
  submittedBy: string;
  submittedAt: Date;
  window?: SelectionWindow;
  /** Window close (TAI) of an uplink. */
  closeTai?: number;
  changes: RelayedChange[];
}

/** A mission event told by the operations centre (a sub-ROI, an orbit, a contact...). */
export interface MissionEvent {
  /** The centre's event id: a later row with the same id replaces the event. */
  id: number;
  eventType: string;
  /** Lower case; '' for an event of no one spacecraft. */
  spacecraft: string;
  source: string;
  start: Date;
  end: Date;
  description: string;
  discussion: string;
  startOrbit: number | null;
  endOrbit: number | null;
  tag: string;
}
