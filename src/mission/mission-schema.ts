/**
 * The schema of a mission configuration (`missions/<id>/mission.yaml`).
 *
 * Glossary: a *file kind* is a family of file names with one grammar (science CDF, ancillary,
 * telemetry); its pattern is a regular expression whose named groups carry the parsed fields.
 * A *product* is a kind of file (e.g. survey Level 2 magnetometer data of one spacecraft); files of one product differ by start
 * time and version. A *processing rule* says which processor makes which product from which inputs.
 */
import { z } from 'zod';
import { sitlSection } from '../sitl/sitl-config.js';

const identifier = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

/** Named groups the core understands in a file-name pattern. */
export const FILE_NAME_FIELDS = ['spacecraft', 'instrument', 'mode', 'level', 'descriptor', 'dataType', 'start', 'end', 'version'] as const;
export type FileNameField = (typeof FILE_NAME_FIELDS)[number];

const timeFormat = z.object({
  /** A Luxon format string, e.g. `yyyyMMdd`, `yyyyMMddHHmmss`, `yyyyooo` (day of year). */
  format: z.string().min(2),
  /** Nominal span of a file whose time has this format (ISO 8601 duration, e.g. `P1D`). */
  duration: z.string().regex(/^P/, 'an ISO 8601 duration such as P1D').optional(),
});

const pathRule = z.object({
  /** Applies when every listed field has the given value; a rule without `when` always applies. */
  when: z.record(z.string(), z.string()).optional(),
  /** `{field}` and `{start:<Luxon format>}` placeholders; segments left empty are dropped. */
  path: z.string().min(1),
});

const fileKind = z.object({
  id: identifier,
  description: z.string(),
  /** A full-name regular expression with named groups from FILE_NAME_FIELDS. */
  pattern: z.string().min(1),
  /** A valid name of this kind, shown in error messages and checked at start-up. */
  example: z.string().min(1),
  /** Field values are compared and stored in lower case (ancillary names are upper case). */
  caseInsensitive: z.boolean().default(false),
  /** Formats of the `start` group; required when the pattern has one. */
  startFormats: z.array(timeFormat).default([]),
  /**
   * For names that carry no time (models, tables valid for the whole mission), whose pattern has
   * no `start` group: the start recorded for every file of the kind (`YYYY-MM-DD`, e.g. launch).
   */
  fixedStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').optional(),
  endFormats: z.array(timeFormat).default([]),
  /** Whether the `end` field names the last day covered (inclusive) rather than an instant. */
  endIsInclusiveDay: z.boolean().default(false),
  /** Template of the product id, e.g. `{spacecraft}_{instrument}_{mode}_{level}_{descriptor}`; empty parts and their separator are dropped. */
  productTemplate: z.string().min(1),
  /** Directory of a file in the store, first matching rule wins. */
  directory: z.array(pathRule).min(1),
  /**
   * Team roles that may upload files of this kind through the API, held for the file's
   * instrument or for every instrument (`*`); an operator always may. Default: the instrument's
   * team members and admins.
   */
  uploadRoles: z.array(z.enum(['team-member', 'instrument-admin', 'sitl', 'super-sitl', 'operator'])).default(['team-member', 'instrument-admin']),
});

const contact = z.object({
  name: z.string(),
  email: z.string().email().optional(),
  webhook: z.string().url().optional(),
});

const instrument = z.object({
  id: identifier,
  name: z.string(),
  contacts: z.array(contact).default([]),
});

const fieldMatch = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

const ruleInput = z.object({
  /** Which catalogued files are inputs: field values to match (a list means any of). */
  match: fieldMatch,
  /**
   * `day`: the newest version of every matching file overlapping the job's day; `latest-before`:
   * the one file in force on that day (the newest start at or before the day's end), e.g. a
   * calibration that holds until the next one.
   */
  window: z.enum(['day', 'latest-before']).default('day'),
  /** Group fields this input must share with the job (default: all of the rule's groupBy). */
  sameAs: z.array(z.enum(FILE_NAME_FIELDS)).optional(),
  /** A job waits until every required input is present. */
  required: z.boolean().default(true),
});

const processingRule = z.object({
  id: identifier,
  /** Name of the processor (a bundle under `missions/<id>/processors/<name>/`). */
  processor: identifier,
  /** Arrivals that trigger the rule: one field match, or a list (any of them). */
  trigger: z.union([fieldMatch, z.array(fieldMatch).min(1)]).transform((t) => (Array.isArray(t) ? t : [t])),
  /** Fields that identify one job besides the day (e.g. spacecraft and mode). */
  groupBy: z.array(z.enum(FILE_NAME_FIELDS)).default([]),
  /** The first input is the primary one: its files define the jobs' groups and days. */
  inputs: z.array(ruleInput).min(1),
  /** Arrivals for one job within this time are coalesced into one job (default: the SDC's processing.debounceMs). */
  debounceMs: z.number().int().min(0).optional(),
});

const isoDuration = z.string().regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'an ISO 8601 duration such as P30D');
const urlPrefix = z.string().regex(/^(\/[A-Za-z0-9._~-]+)+$/, 'a URL path such as /sdc/public/files/api/v1 (no trailing slash)');

/** One data type of the legacy file services (`.../file_info/<dataType>`): which kinds it serves and how. */
const compatDataType = z.object({
  /** File kinds served under this data type. */
  kinds: z.array(identifier).min(1),
  /**
   * `timetag`: records `{file_name, file_size, timetag, modified_date}`, selected by start time;
   * `coverage`: records `{file_name, file_size, start_date, end_date}`, selected by overlapping coverage, newest first.
   */
  records: z.enum(['timetag', 'coverage']).default('timetag'),
  /** Which query parameter carries the `dataType` field (ancillary `product`). */
  dataTypeParam: z.string().optional(),
});

/** The mission's HTTP API: the legacy file services its existing clients call. */
const apiSection = z
  .object({
    compat: z
      .object({
        /** Anonymous file services (released files only), e.g. `/sdc/public/files/api/v1`. */
        publicPrefix: urlPrefix,
        /** Team file services behind HTTP Basic. */
        teamPrefix: urlPrefix,
        /** Prepended to a file's store key in `file_names` answers (e.g. `data/`). */
        pathPrefix: z.string().default(''),
        /** HTTP Basic realm announced on the team paths. */
        realm: z.string().default('SDC team'),
        /** A spacecraft value that selects files of no single spacecraft (constellation products). */
        constellation: z.string().optional(),
        /** Keys may hold `_` as the legacy names do (`abs_selections`, `gls_selections_<algorithm>`). */
        dataTypes: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, dashes and underscores'), compatDataType),
        /**
         * Public HTML directory listings of the static trees (e.g. `/sdc/public/data/models/fpi`):
         * the newest released version of each file matching `match`, each file downloadable beside it.
         */
        indexes: z.array(z.object({ path: urlPrefix, match: fieldMatch }).strict()).default([]),
      })
      .strict()
      .optional(),
  })
  .strict()
  .default({});

/** When matching files become public: after a team's approval of the product/version and a latency after ingest. */
const releaseRule = z.object({
  match: fieldMatch,
  approval: z.boolean().default(true),
  latency: isoDuration.default('P0D'),
});

const releaseSection = z
  .object({
    rules: z.array(releaseRule).default([]),
    /** When the release job runs (cron syntax). */
    schedule: z.string().default('*/10 * * * *'),
  })
  .strict()
  .default({ rules: [], schedule: '*/10 * * * *' });

/**
 * How late a product's data may be, counted from the end time of the data: its raw inputs'
 * arrival, the product's availability in the catalog, its public release. The status page and
 * `sdc report latency` flag what is later than this; the first matching entry applies.
 */
const latencyThreshold = z
  .object({
    match: fieldMatch,
    arrival: isoDuration.optional(),
    available: isoDuration.optional(),
    released: isoDuration.optional(),
  })
  .strict();

export const missionSchema = z
  .object({
    id: identifier,
    name: z.string(),
    spacecraft: z.array(identifier).min(1),
    instruments: z.array(instrument).min(1),
    modes: z.array(identifier).min(1),
    levels: z.array(identifier).min(1),
    fileKinds: z.array(fileKind).min(1),
    /** Values accepted in the `dataType` field, e.g. ancillary `defeph` (lower case). */
    dataTypes: z.array(identifier).default([]),
    processing: z.object({ rules: z.array(processingRule).default([]) }).default({ rules: [] }),
    api: apiSection,
    release: releaseSection,
    /** Latency thresholds per product (see docs/operations.md); none: nothing is ever late. */
    latency: z.array(latencyThreshold).default([]),
    /** Burst-data selection by a scientist in the loop (see src/sitl/sitl-config.ts); absent: no SITL service. */
    sitl: sitlSection.optional(),
    /** The mission's code plugged into the core, as modules relative to the mission folder. */
    adapters: z
      .object({
        /** Exports `generateDemoFiles(folder, { day, hours? })`: the arrivals `sdc demo` drops. */
        demo: z.string().optional(),
        /** Exports `sitlAdapter` (src/sitl/sitl-adapter.ts): feed formats, the automated selection, the POC format. */
        sitl: z.string().optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type MissionConfig = z.infer<typeof missionSchema>;
export type FileKindConfig = MissionConfig['fileKinds'][number];
export type ProcessingRuleConfig = MissionConfig['processing']['rules'][number];
export type FieldMatch = z.infer<typeof fieldMatch>;
export type RuleInputConfig = ProcessingRuleConfig['inputs'][number];
export type LatencyThresholdConfig = MissionConfig['latency'][number];
export type ReleaseRuleConfig = MissionConfig['release']['rules'][number];
export type CompatApiConfig = NonNullable<MissionConfig['api']['compat']>;
export type CompatDataTypeConfig = CompatApiConfig['dataTypes'][string];
export type StaticIndexConfig = CompatApiConfig['indexes'][number];
