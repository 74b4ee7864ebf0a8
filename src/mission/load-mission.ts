import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { SdcError } from '../errors/sdc-error.js';
import { FileNameGrammar } from './file-name-grammar.js';
import { templateFields } from './field-template.js';
import { FILE_NAME_FIELDS, missionSchema, type MissionConfig } from './mission-schema.js';

/** A mission loaded from its folder: the validated config and its compiled grammar. */
export interface Mission {
  config: MissionConfig;
  /** The mission's folder (processor bundles live under `processors/`). */
  folder: string;
  grammar: FileNameGrammar;
}

/** A mission folder whose `mission.yaml` is invalid; `problems` lists every bad key. */
export class MissionConfigError extends SdcError {
  constructor(readonly file: string, readonly problems: string[]) {
    super('invalid-mission', `invalid mission configuration ${file}:\n  - ${problems.join('\n  - ')}`, { file, problems });
  }
}

/** Loads and validates `<folder>/mission.yaml`; fails with every problem found, not just the first. */
export async function loadMission(folder: string): Promise<Mission> {
  const file = path.join(folder, 'mission.yaml');
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw new MissionConfigError(file, [`cannot read or parse: ${(error as Error).message}`]);
  }
  const result = missionSchema.safeParse(raw);
  if (!result.success) throw new MissionConfigError(file, formatIssues(result.error.issues));
  const config = result.data;
  const problems = checkGrammar(config);
  if (problems.length > 0) throw new MissionConfigError(file, problems);
  const grammar = new FileNameGrammar(config);
  const exampleProblems = config.fileKinds.flatMap((kind) => checkExample(grammar, kind.id, kind.example));
  if (exampleProblems.length > 0) throw new MissionConfigError(file, exampleProblems);
  return { config, folder: path.resolve(folder), grammar };
}

/** Turns zod issues into `path.to.key: message` lines. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
}

function checkGrammar(config: MissionConfig): string[] {
  const known = new Set<string>(FILE_NAME_FIELDS);
  return config.fileKinds.flatMap((kind, i) => {
    const where = `fileKinds.${i} (${kind.id})`;
    let groups: string[];
    try {
      groups = [...new RegExp(kind.pattern).source.matchAll(/\(\?<([a-zA-Z]+)>/g)].map((m) => m[1] ?? '');
    } catch (error) {
      return [`${where}.pattern: not a valid regular expression: ${(error as Error).message}`];
    }
    const problems = groups.filter((g) => !known.has(g)).map((g) => `${where}.pattern: unknown group '${g}' (known: ${[...known].join(', ')})`);
    if (!groups.includes('start') && !kind.fixedStart) problems.push(`${where}.pattern: needs a 'start' group (or the kind a fixedStart)`);
    if (groups.includes('start') && kind.startFormats.length === 0) problems.push(`${where}.startFormats: needs at least one format for the 'start' group`);
    const templates = [kind.productTemplate, ...kind.directory.map((d) => d.path)];
    for (const field of templates.flatMap(templateFields)) {
      if (field !== 'start' && !groups.includes(field)) problems.push(`${where}: template uses '{${field}}', which the pattern does not capture`);
    }
    return problems;
  });
}

function checkExample(grammar: FileNameGrammar, kindId: string, example: string): string[] {
  try {
    const parsed = grammar.parse(example);
    return parsed.kind === kindId ? [] : [`fileKinds ${kindId}: example '${example}' parses as kind '${parsed.kind}'`];
  } catch (error) {
    return [`fileKinds ${kindId}: example does not parse: ${(error as Error).message}`];
  }
}
