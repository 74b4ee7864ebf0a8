/**
 * A file's provenance as a W3C PROV document, in the PROV-JSON layout (W3C Member Submission
 * "PROV-JSON", 2013): entities are catalogued files, activities are the processing jobs that
 * made them and the ingest that brought in files from outside, agents are the SDC, the
 * processor software, the instrument team, the operator who deployed the processor version and
 * whoever triggered the job. Relations: used, wasGeneratedBy, wasDerivedFrom, wasAssociatedWith,
 * actedOnBehalfOf.
 */
import type { FileRow } from '../catalog/catalog-schema.js';
import type { ActivityRow, ProvenanceGraph } from './provenance-graph.js';
import { TRIGGERED_BY_ARRIVAL } from './job-activity-recorder.js';

/** A PROV-JSON literal: a plain JSON value, or a typed `{ "$": value, "type": qualified name }`. */
export type ProvLiteral = string | number | boolean | { $: string; type: string };
export type ProvAttributes = Record<string, ProvLiteral | ProvLiteral[]>;
export type ProvRecords = Record<string, ProvAttributes>;

export const PROV_RECORD_KINDS = ['entity', 'activity', 'agent', 'used', 'wasGeneratedBy', 'wasDerivedFrom', 'wasAssociatedWith', 'actedOnBehalfOf'] as const;
export type ProvRecordKind = (typeof PROV_RECORD_KINDS)[number];

export type ProvDocument = { prefix: Record<string, string> } & Partial<Record<ProvRecordKind, ProvRecords>>;

export interface ProvDocumentOptions {
  /** Base of the SDC's identifiers (e.g. `https://sdc.example.org/api/v1/`); files are `<base>files/<name>`. */
  baseUri: string;
  /** A person-readable name of an instrument's team (from the mission), when known. */
  instrumentName?: (instrument: string) => string | undefined;
}

const PROV_NS = 'http://www.w3.org/ns/prov#';
const XSD_NS = 'http://www.w3.org/2001/XMLSchema#';

const qname = (value: string): ProvLiteral => ({ $: value, type: 'prov:QUALIFIED_NAME' });
const long = (value: number): ProvLiteral => ({ $: String(value), type: 'xsd:long' });
/** Times of activities and relations are plain xsd:dateTime strings in PROV-JSON. */
const dateTime = (value: Date): ProvLiteral => value.toISOString();

/** Local parts of qualified names keep letters, digits, `.`, `-`, `_`; anything else becomes `_`. */
export function localPart(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_').replace(/\.$/, '_');
}

export function buildProvDocument(graph: ProvenanceGraph, options: ProvDocumentOptions): ProvDocument {
  const base = options.baseUri.endsWith('/') ? options.baseUri : `${options.baseUri}/`;
  const doc: Required<ProvDocument> = {
    prefix: { prov: PROV_NS, xsd: XSD_NS, sdc: `${base}ns#`, file: `${base}files/`, job: `${base}jobs/`, ingest: `${base}ingest/`, agent: `${base}agents/` },
    entity: {}, activity: {}, agent: {}, used: {}, wasGeneratedBy: {}, wasDerivedFrom: {}, wasAssociatedWith: {}, actedOnBehalfOf: {},
  };
  let counter = 0;
  const relation = (kind: ProvRecordKind, attributes: ProvAttributes) => {
    doc[kind][`_:${kind}${++counter}`] = attributes;
  };
  const fileId = (file: FileRow) => `file:${localPart(file.name)}`;
  const agent = (id: string, type: string, label: string, extra: ProvAttributes = {}) => {
    const key = `agent:${localPart(id)}`;
    doc.agent[key] ??= { 'prov:type': qname(type), 'prov:label': label, ...extra };
    return key;
  };
  const sdcAgent = agent('sdc', 'prov:SoftwareAgent', 'the science data center');

  for (const file of graph.files.values()) {
    doc.entity[fileId(file)] = {
      'prov:type': qname(`sdc:${localPart(file.kind)}`),
      'prov:label': file.name,
      'sdc:sha256': file.sha256,
      'sdc:size': long(Number(file.size)),
      'sdc:version': file.version_label,
      'sdc:product': file.product,
      'sdc:tier': file.tier,
      ...(file.level ? { 'sdc:level': file.level } : {}),
    };
    const activity = file.job_id === null ? undefined : graph.activities.get(file.job_id);
    if (activity) {
      addJob(activity);
      relation('wasGeneratedBy', { 'prov:entity': fileId(file), 'prov:activity': `job:${activity.job_id}`, 'prov:time': dateTime(activity.ended_at) });
    } else {
      const ingest = `ingest:${file.id}`;
      doc.activity[ingest] = { 'prov:startTime': dateTime(new Date(file.ingested_at)), 'prov:endTime': dateTime(new Date(file.ingested_at)), 'prov:type': qname('sdc:Ingest'), 'sdc:source': file.source };
      relation('wasGeneratedBy', { 'prov:entity': fileId(file), 'prov:activity': ingest, 'prov:time': dateTime(new Date(file.ingested_at)) });
      relation('wasAssociatedWith', { 'prov:activity': ingest, 'prov:agent': sdcAgent });
    }
  }

  // One `used` per (job, input), however many outputs the input fed.
  const usages = new Set<string>();
  for (const edge of graph.edges) {
    const output = graph.files.get(edge.fileId);
    const input = graph.files.get(edge.usedFileId);
    if (!output || !input) continue;
    const usage = `${edge.jobId}/${edge.usedFileId}`;
    if (!usages.has(usage)) relation('used', { 'prov:activity': `job:${edge.jobId}`, 'prov:entity': fileId(input), 'prov:role': qname(`sdc:${localPart(input.kind)}`) });
    relation('wasDerivedFrom', { 'prov:generatedEntity': fileId(output), 'prov:usedEntity': fileId(input), 'prov:activity': `job:${edge.jobId}` });
    usages.add(usage);
  }
  return doc;

  function addJob(activity: ActivityRow): void {
    const id = `job:${activity.job_id}`;
    if (doc.activity[id]) return;
    doc.activity[id] = {
      ...(activity.started_at ? { 'prov:startTime': dateTime(activity.started_at) } : {}),
      'prov:endTime': dateTime(activity.ended_at),
      'prov:type': qname('sdc:ProcessingJob'),
      'sdc:processor': activity.processor,
      'sdc:processorVersion': activity.processor_version,
      'sdc:bundleSha256': activity.bundle_sha256,
      ...(activity.image ? { 'sdc:image': activity.image } : {}),
      'sdc:runtime': activity.runtime,
      ...(activity.host ? { 'sdc:host': activity.host } : {}),
      ...(activity.exit_code === null ? {} : { 'sdc:exitStatus': activity.exit_code }),
      'sdc:configuration': JSON.stringify(activity.configuration),
      'sdc:parameters': JSON.stringify(activity.parameters),
    };
    const software = agent(`processor-${activity.processor}-${activity.processor_version}`, 'prov:SoftwareAgent', `${activity.processor} ${activity.processor_version}`, { 'sdc:bundleSha256': activity.bundle_sha256 });
    const team = agent(`team-${activity.instrument}`, 'prov:Organization', `${options.instrumentName?.(activity.instrument) ?? activity.instrument} instrument team`);
    const deployer = agent(`person-${activity.deployed_by}`, 'prov:Person', activity.deployed_by);
    const trigger = activity.triggered_by === TRIGGERED_BY_ARRIVAL ? sdcAgent : agent(`person-${activity.triggered_by}`, 'prov:Person', activity.triggered_by);
    relation('wasAssociatedWith', { 'prov:activity': id, 'prov:agent': software, 'prov:role': qname('sdc:software') });
    relation('wasAssociatedWith', { 'prov:activity': id, 'prov:agent': team, 'prov:role': qname('sdc:instrumentTeam') });
    relation('wasAssociatedWith', { 'prov:activity': id, 'prov:agent': deployer, 'prov:role': qname('sdc:deployer') });
    relation('wasAssociatedWith', { 'prov:activity': id, 'prov:agent': trigger, 'prov:role': qname('sdc:trigger') });
    relation('actedOnBehalfOf', { 'prov:delegate': software, 'prov:responsible': team, 'prov:activity': id });
  }
}
