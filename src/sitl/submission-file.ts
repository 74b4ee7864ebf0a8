/** What a submission file holds: selections for one window, or back-structure edits. */
export type SubmissionFileKind = 'selections' | 'back-structure';

/**
 * A submission file uploaded through the legacy upload service (the SITL tools' own format),
 * decoded by the mission's adapter into the body the JSON API takes, so it is checked by the same
 * request schema and validated by the same rules. Selections name their window by its first
 * cycle and length (and evaluation time, when the file carries it).
 */
export type SubmissionFile =
  | { kind: 'selections'; window: { cycleStart: number; numCycles: number; evaluatedAt?: Date }; body: unknown }
  | { kind: 'back-structure'; body: unknown };
