import { DateTime, Duration } from 'luxon';
import { FileNameError } from './file-name-error.js';
import { renderTemplate } from './field-template.js';
import type { FileKindConfig, MissionConfig } from './mission-schema.js';

/** What a valid file name tells about its file. */
export interface ParsedFileName {
  fileName: string;
  mission: string;
  /** The file kind whose pattern matched (e.g. `science`, `ancillary`). */
  kind: string;
  /** Product id, rendered from the kind's productTemplate. */
  product: string;
  /** The name with its version removed: all versions of one file share it. */
  stem: string;
  spacecraft?: string;
  instrument?: string;
  mode?: string;
  level?: string;
  descriptor?: string;
  /** A kind-specific type such as the ancillary `defeph`. */
  dataType?: string;
  start: Date;
  /** End of the nominal span (exclusive); equals `start` when the name does not tell. */
  end: Date;
  /** Version numbers, compared component by component (`4.18.0` -> [4, 18, 0]). */
  version: number[];
  versionLabel: string;
  /** Store key: the mission's directory layout plus the file name. */
  storeKey: string;
}

interface CompiledKind {
  config: FileKindConfig;
  regex: RegExp;
}

/** Parses and validates file names against one mission's grammar; built once at start-up. */
export class FileNameGrammar {
  private readonly kinds: CompiledKind[];
  private readonly allowed: Record<string, ReadonlySet<string>>;
  /** Parsers of the time formats, built once: luxon's `fromFormat` builds one per call, three times slower. */
  private readonly timeParsers = new Map<string, ReturnType<typeof DateTime.buildFormatParser>>();

  constructor(private readonly mission: MissionConfig) {
    this.kinds = mission.fileKinds.map((config) => ({
      config,
      regex: new RegExp(config.pattern, config.caseInsensitive ? 'di' : 'd'),
    }));
    this.allowed = {
      spacecraft: new Set(mission.spacecraft),
      instrument: new Set(mission.instruments.map((i) => i.id)),
      mode: new Set(mission.modes),
      level: new Set(mission.levels),
      dataType: new Set(mission.dataTypes),
    };
  }

  /** Parses a bare file name (no directory); throws FileNameError saying what is wrong. */
  parse(fileName: string): ParsedFileName {
    if (fileName.includes('/') || fileName.includes('\\')) this.fail(fileName, 'a file name must not contain a path separator');
    for (const kind of this.kinds) {
      const match = kind.regex.exec(fileName);
      if (match?.groups && match.indices?.groups) return this.fromMatch(fileName, kind, match);
    }
    const expected = this.kinds.map((k) => `${k.config.id} like '${k.config.example}'`).join(', or ');
    return this.fail(fileName, `it matches no file-name pattern (expected ${expected})`);
  }

  /** Whether a name parses, without the error. */
  isValid(fileName: string): boolean {
    try {
      this.parse(fileName);
      return true;
    } catch {
      return false;
    }
  }

  private fromMatch(fileName: string, kind: CompiledKind, match: RegExpExecArray): ParsedFileName {
    const groups = match.groups ?? {};
    const normalise = (v: string | undefined) => (v === undefined || v === '' ? undefined : kind.config.caseInsensitive ? v.toLowerCase() : v);
    const fields: Record<string, string | undefined> = {};
    for (const field of ['spacecraft', 'instrument', 'mode', 'level', 'descriptor', 'dataType'] as const) {
      const value = normalise(groups[field]);
      if (value === undefined) continue;
      this.checkAllowed(fileName, field, value);
      fields[field] = value;
    }
    const start = groups.start === undefined && kind.config.fixedStart ? { date: new Date(`${kind.config.fixedStart}T00:00:00Z`) } : this.parseTime(fileName, 'start', groups.start, kind.config.startFormats);
    const end = this.endOf(fileName, kind.config, groups.end, start);
    const versionLabel = groups.version ?? '0';
    const versionSpan = match.indices?.groups?.version;
    const stemRaw = versionSpan ? fileName.slice(0, versionSpan[0]) + fileName.slice(versionSpan[1]) : fileName;
    const parsed = {
      fileName,
      mission: this.mission.id,
      kind: kind.config.id,
      product: renderTemplate(kind.config.productTemplate, { fields, start: start.date }),
      stem: kind.config.caseInsensitive ? stemRaw.toLowerCase() : stemRaw,
      ...fields,
      start: start.date,
      end,
      version: versionLabel.split(/[^0-9]+/).filter(Boolean).map(Number),
      versionLabel,
    };
    return { ...parsed, storeKey: `${this.directoryOf(kind.config, fields, start.date)}/${fileName}` };
  }

  private checkAllowed(fileName: string, field: string, value: string): void {
    const allowed = this.allowed[field];
    if (!allowed || allowed.has(value)) return;
    this.fail(fileName, `unknown ${field} '${value}' (known: ${[...allowed].join(', ')})`);
  }

  private parseTime(fileName: string, field: string, text: string | undefined, formats: FileKindConfig['startFormats']) {
    if (text === undefined) return this.fail(fileName, `the pattern has no '${field}' time`);
    for (const f of formats) {
      if (f.format.replace(/'[^']*'/g, '').length !== text.length) continue;
      const parsed = DateTime.fromFormatParser(text, this.timeParser(f.format), { zone: 'utc' });
      if (parsed.isValid) return { date: parsed.toJSDate(), duration: f.duration };
    }
    return this.fail(fileName, `'${text}' is not a valid ${field} time (formats: ${formats.map((f) => f.format).join(', ')})`);
  }

  private timeParser(format: string): ReturnType<typeof DateTime.buildFormatParser> {
    let parser = this.timeParsers.get(format);
    if (!parser) this.timeParsers.set(format, (parser = DateTime.buildFormatParser(format)));
    return parser;
  }

  private endOf(fileName: string, kind: FileKindConfig, text: string | undefined, start: { date: Date; duration?: string | undefined }): Date {
    if (text !== undefined) {
      const end = this.parseTime(fileName, 'end', text, kind.endFormats).date;
      if (end < start.date) this.fail(fileName, `its end time ${text} is before its start time`);
      return kind.endIsInclusiveDay ? new Date(end.getTime() + 86_400_000) : end;
    }
    if (!start.duration) return start.date;
    return DateTime.fromJSDate(start.date, { zone: 'utc' }).plus(Duration.fromISO(start.duration)).toJSDate();
  }

  private directoryOf(kind: FileKindConfig, fields: Record<string, string | undefined>, start: Date): string {
    const rule = kind.directory.find((r) => Object.entries(r.when ?? {}).every(([k, v]) => fields[k] === v)) ?? kind.directory[kind.directory.length - 1];
    const rendered = renderTemplate(rule?.path ?? '', { fields, start });
    return rendered.split('/').filter(Boolean).join('/');
  }

  private fail(fileName: string, reason: string): never {
    throw new FileNameError(fileName, reason, this.mission.id);
  }
}
