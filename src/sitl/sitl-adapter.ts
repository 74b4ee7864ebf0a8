import { SdcError } from '../errors/sdc-error.js';
import { loadMissionModule } from '../mission/load-mission-module.js';
import type { Mission } from '../mission/load-mission.js';
import type { AbsParameters, SitlConfig } from './sitl-config.js';
import type { SubmissionFile, SubmissionFileKind } from './submission-file.js';
import type { BurstSegment, MetadataCycle, MissionEvent, PocDelivery, SegmentStatusUpdate, SelectionWindow, WindowSelections } from './sitl-types.js';

/** What the automated selection sees of one window. */
export interface AutomatedSelectionInput {
  /** TAI of the first cycle; cycle i starts at `cycleStart + i * cycleSeconds`. */
  cycleStart: number;
  cycleSeconds: number;
  /** Every cycle's metadata, all spacecraft (a cycle without rows had no metadata). */
  cycles: MetadataCycle[][];
  parameters: AbsParameters;
  sourceId: string;
}

/**
 * The mission's SITL code (module named by `adapters.sitl` in mission.yaml, exporting
 * `sitlAdapter`): the formats of the operations centre's feeds and of the files it receives,
 * the automated selection algorithm, and the encoding of the selection files clients fetch.
 * Parsers throw an Error saying which line is wrong; the feed is then dead-lettered.
 */
export interface SitlAdapter {
  /** A metadata feed file: the cycles it holds. */
  parseMetadata(text: string, fileName: string): MetadataCycle[];
  /** A segment table feed file: full rows, upserted by id. */
  parseSegmentTable(text: string, fileName: string): BurstSegment[];
  /** A status feed file: state changes of known segments. */
  parseStatusFeed(text: string, fileName: string): SegmentStatusUpdate[];
  /** A ground-loop selections file from a model (checked on arrival; the SITL tool reads the file). */
  parseGroundLoop(text: string, fileName: string): { start: Date; stop: Date; fom: number; discussion: string }[];
  /** A mission events file (sub-ROIs, orbits...): events upserted by id; needed when `sitl.feeds.events` is set. */
  parseEvents?(text: string, fileName: string): MissionEvent[];
  /** The automated selections of a window (indices into `cycles`). */
  automatedSelections(input: AutomatedSelectionInput): WindowSelections;
  /** The file clients fetch for a window's selections (automated, or a SITL's accepted ones): text or binary. */
  encodeSelections(window: SelectionWindow, selections: WindowSelections['selections'], extra: { uplink?: boolean; closeTai?: number | null; note?: string; evaluatedAt: Date }): string | Uint8Array;
  /** The file written to the POC for an accepted submission. */
  pocFile(delivery: PocDelivery): { name: string; content: string };
  /** The validation-limits file clients download: its name and content. */
  encodeValidationLimits(config: SitlConfig): { name: string; content: string | Uint8Array };
  /** Which submission a file uploaded through the legacy upload service carries, by its name; undefined: none (the file goes to ingest). */
  submissionFileKind?(name: string): SubmissionFileKind | undefined;
  /** Decodes an uploaded submission file; throws an Error saying what is wrong with it. */
  parseSubmissionFile?(kind: SubmissionFileKind, content: Uint8Array, name: string): SubmissionFile;
}

/** Loads the mission's SITL adapter; a mission with a `sitl:` section must name one. */
export async function loadSitlAdapter(mission: Mission): Promise<SitlAdapter> {
  const module = await loadMissionModule<{ sitlAdapter?: SitlAdapter }>(mission, 'sitl');
  if (!module.sitlAdapter) throw new SdcError('invalid-mission', `the sitl adapter of mission ${mission.config.id} exports no 'sitlAdapter'`);
  if (mission.config.sitl?.feeds.events && !module.sitlAdapter.parseEvents) throw new SdcError('invalid-mission', `mission ${mission.config.id} has an events feed (sitl.feeds.events) but its sitl adapter has no parseEvents`);
  return module.sitlAdapter;
}
