import type { OperatorAlertKind } from '../catalog/catalog-schema.js';

/**
 * Something an operator must look at, as one run of the operations monitor sees it. The `key`
 * names what it is about (a queue, a target, a folder), so the same condition seen by later runs
 * is the same alert, sent once and repeated only after a while.
 */
export interface OperatorAlert {
  key: string;
  kind: OperatorAlertKind;
  /** One line: what is wrong. */
  subject: string;
  /** The figures behind it and what to look at. */
  detail: string;
}

/** Words for each kind, in the order a message lists them. */
export const ALERT_KIND_TITLES: Record<OperatorAlertKind, string> = {
  'dead-jobs': 'dead jobs',
  'queue-backlog': 'queue backing up',
  'backup-lag': 'backup lagging',
  integrity: 'integrity problem',
  disk: 'disk filling',
};
