import type { TraceEvent } from '../catalog/catalog-schema.js';

/** What a trace states, as signed. */
export interface TraceStatement {
  fileName: string;
  sha256: string;
  size: number;
  event: TraceEvent;
  at: Date;
  service: string;
  keyId: string;
}

/**
 * The exact bytes signed for a trace: a JSON array in a fixed order with a version tag, so that
 * anyone holding the published public key can rebuild and check it from the trace's fields.
 */
export function tracePayload(t: TraceStatement): Buffer {
  return Buffer.from(tracePayloadText(t), 'utf8');
}

/** The signed bytes as text (they are its UTF-8 encoding), as the signing threads receive them. */
export function tracePayloadText(t: TraceStatement): string {
  return JSON.stringify(['sdc-trace-v1', t.fileName, t.sha256, t.size, t.event, t.at.toISOString(), t.service, t.keyId]);
}
