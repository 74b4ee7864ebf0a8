/**
 * The `sitl:` section of a mission configuration: what the SITL service reads (feed file kinds),
 * what it publishes (file names), the validation limits, the FOM categories, the automated
 * selection's parameters and the legacy CSV endpoints. Every number here is mission data, so
 * limits change by editing mission.yaml (and are served to clients as the validation-limits file).
 */
import { z } from 'zod';

const kindId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a file kind id');
const range = z.tuple([z.number(), z.number()]).refine(([a, b]) => a <= b, 'a [low, high] pair with low <= high');
const urlPrefix = z.string().regex(/^(\/[A-Za-z0-9._~-]+)+$/, 'a URL path such as /sdc/public/service/latis (no trailing slash)');

/** The limits a submission is validated with (served to clients, so they change without a client release). */
export const validationLimitsSchema = z
  .object({
    /** Allowed FOM values, inclusive; outside is an error. */
    fomBounds: range,
    /** A FOM above this is reserved: only a super-SITL may submit it. */
    fomReserved: z.number(),
    /** Allowed segment lengths in buffers, inclusive; outside is an error. */
    segmentBounds: range,
    /** Nominal segment lengths; outside (but within the bounds) needs the SITL's confirmation. */
    nominalSegmentRange: range,
    /** Most buffers one submission selects without a super-SITL. */
    maxBuffers: z.number().int().min(1),
    /** FOM range of priority-1 selections, half-open [from, to) like the categories. */
    priority1Range: range,
    /** Share of `maxBuffers` (percent) priority-1 selections may take without the SITL's confirmation. */
    priority1Percent: z.number().min(0).max(100),
    /** A back-structure FOM change larger than this fraction of the old FOM needs confirmation. */
    fomModifyFraction: z.number().min(0),
    /** Deleting a back-structure segment whose FOM is above this needs confirmation. */
    fomDeleteMax: z.number(),
    /** A new back-structure segment with a FOM above this needs a justification (confirmation). */
    fomNewJustify: z.number(),
  })
  .strict();

/** One FOM category: FOM in [from, to) (half-open). */
const category = z.object({ id: z.number().int().min(0), from: z.number(), to: z.number() }).strict();

/** Parameters of the automated burst selection, passed to the mission's adapter as they are. */
const absParameters = z
  .object({
    /** Buffers the automated selection aims at. */
    targetBuffers: z.number().int().min(1),
    minSegmentSize: z.number().int().min(1),
    maxSegmentSize: z.number().int().min(1),
    /** Cycles added before and after each selected run. */
    pad: z.number().int().min(0),
  })
  .catchall(z.unknown())
  .refine((p) => p.minSegmentSize <= p.maxSegmentSize, 'minSegmentSize must not exceed maxSegmentSize');

/** A SITL to notify (the roster changes: edit mission.yaml). */
const onDutyContact = z.object({ name: z.string().min(1), email: z.string().email().optional(), webhook: z.string().url().optional() }).strict();

const isoDuration = z.string().regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'an ISO 8601 duration such as PT6H');
/** Field values a catalogued file must have (a list means any of), as in the processing rules. */
const fieldMatch = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/**
 * A product the SITL needs for a window (one per spacecraft when the match names none): present
 * when its newest versions cover the window's interval, late when they do not `due` after the
 * window's end, missing before.
 */
const sitlProduct = z
  .object({
    /** How the product is shown, e.g. `DFG L1B`. */
    label: z.string().min(1),
    match: fieldMatch,
    due: isoDuration,
  })
  .strict();

/** A quantity of a survey product drawn over the window (first file of the spacecraft that covers it). */
const surveyPanel = z
  .object({
    /** Panel title; `{spacecraft}` is replaced. */
    title: z.string().min(1),
    spacecraft: z.string().min(1),
    match: fieldMatch,
    /** The CDF variable (its DEPEND_0 gives the times); `{spacecraft}` is replaced. */
    variable: z.string().min(1),
    /** Which components of a vector variable to draw (default: all). */
    components: z.array(z.number().int().min(0)).min(1).optional(),
  })
  .strict();

/** A published file's name: a Luxon format of the publication time (UTC), literals quoted. */
const nameFormat = z.string().min(3);

export const sitlSection = z
  .object({
    /** Length of one cycle (one buffer), seconds. */
    cycleSeconds: z.number().int().min(1),
    /** File kinds of the feeds from the operations centre (each a kind of `fileKinds`). */
    feeds: z
      .object({
        /** Per-cycle burst metadata (trigger data quality); each arrival is evaluated into an automated selection. */
        metadata: kindId,
        /** The burst data segment table (rows upserted by segment id). */
        segments: kindId,
        /** Segment state changes (status, pending, in playlist, finish time). */
        status: kindId,
        /** Ground-loop selections from a model (catalogued and served as files; read by the SITL tool). */
        groundLoop: kindId.optional(),
        /** Mission events (sub-ROIs, orbits...), upserted by the operations centre's event id. */
        events: kindId.optional(),
      })
      .strict(),
    /** Names of what the SDC publishes (catalogued, so the legacy file services list and serve them). */
    publish: z
      .object({
        automatedSelections: nameFormat,
        sitlSelections: nameFormat,
      })
      .strict(),
    /** `sourceId` of automated selections and segments; SITL segments carry `<user><sitlSourceSuffix>`. */
    automatedSourceId: z.string().min(1),
    sitlSourceSuffix: z.string().default(''),
    validation: validationLimitsSchema,
    categories: z.array(category).min(1),
    abs: absParameters,
    /** The legacy CSV services (LaTiS): prefixes and dataset names. */
    latis: z
      .object({
        publicPrefix: urlPrefix,
        teamPrefix: urlPrefix,
        /** Dataset of the burst segment table, e.g. `burst_data_segment` (served as `<name>.csv`). */
        segmentDataset: z.string().regex(/^[A-Za-z0-9_-]+$/),
        /** Dataset of one spacecraft's metadata; `{spacecraft}` is replaced. */
        metadataDataset: z.string().regex(/^[A-Za-z0-9_{}-]+$/).refine((s) => s.includes('{spacecraft}'), 'must contain {spacecraft}'),
        /** Dataset of the mission events (public), e.g. `events_view` (served as `<name>.csv`). */
        eventsDataset: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
      })
      .strict(),
    /** When a window's selections are due: this long after its evaluation (stored with the window). */
    deadline: z.object({ closeAfterMinutes: z.number().int().min(1) }).strict().optional(),
    /** Who is told when the automated selections of a new window are ready (e-mail, webhook). */
    onDuty: z.array(onDutyContact).default([]),
    /** The event type of sub-regions of interest: an uplink may not close within one, and one left without selections needs confirmation. */
    subRoiEventType: z.string().min(1).optional(),
    /** The processing chain's products the SITL works with: each window shows whether they cover it. */
    products: z.array(sitlProduct).default([]),
    /** The quicklook plot's survey-data panel: a quantity of a survey product over the window. */
    quicklook: z.object({ survey: surveyPanel.optional() }).strict().default({}),
    /** The validation-limits file under the team file services (`download/<dataType>`). */
    validationDataType: z.string().regex(/^[a-z0-9_-]+$/).optional(),
  })
  .strict();

export type SitlConfig = z.infer<typeof sitlSection>;
export type ValidationLimits = z.infer<typeof validationLimitsSchema>;
export type AbsParameters = z.infer<typeof absParameters>;
export type FomCategory = SitlConfig['categories'][number];
export type SitlProductConfig = SitlConfig['products'][number];
export type SurveyPanelConfig = z.infer<typeof surveyPanel>;
