import type { SitlAdapter } from '../../../src/sitl/sitl-adapter.js';
import { automatedBurstSelection } from './abs-algorithm.js';
import { encodeFomStructure, encodeValidationLimits } from './fom-structure-file.js';
import { parseEvents } from './poc-events.js';
import { pocFile } from './poc-file.js';
import { parseGroundLoop, parseMetadata, parseSegmentTable, parseStatusFeed } from './poc-feeds.js';
import { parseSubmissionFile, submissionFileKind } from './submission-files.js';

/** The MMS SITL adapter (adapters.sitl in mission.yaml). */
export const sitlAdapter: SitlAdapter = {
  parseMetadata: (text) => parseMetadata(text),
  parseSegmentTable: (text) => parseSegmentTable(text),
  parseStatusFeed: (text) => parseStatusFeed(text),
  parseGroundLoop: (text) => parseGroundLoop(text),
  parseEvents: (text) => parseEvents(text),
  automatedSelections: automatedBurstSelection,
  encodeSelections: encodeFomStructure,
  pocFile,
  encodeValidationLimits,
  submissionFileKind,
  parseSubmissionFile: (kind, content) => parseSubmissionFile(kind, content),
};
