import type { Notification } from '../notifications/notification-transport.js';
import { ALERT_KIND_TITLES, type OperatorAlert } from './operator-alert.js';

/**
 * One message for everything a monitor run has to tell: the alerts new or due again, and those
 * that ended since the last message. Operators thus get at most one message per run.
 */
export function operatorAlertNotification(mission: string, alerts: OperatorAlert[], resolved: OperatorAlert[]): Notification {
  const kinds = [...new Set(alerts.map((a) => ALERT_KIND_TITLES[a.kind]))];
  const subject = alerts.length > 0
    ? `[SDC ${mission}] ${alerts.length} operations alert${alerts.length === 1 ? '' : 's'}: ${kinds.join(', ')}`
    : `[SDC ${mission}] ${resolved.length} operations alert${resolved.length === 1 ? '' : 's'} resolved`;
  const lines: string[] = [];
  for (const alert of alerts) lines.push(`* ${alert.subject}`, ...alert.detail.split('\n').map((l) => `  ${l}`), '');
  if (resolved.length > 0) lines.push('resolved since the last message:', ...resolved.map((a) => `- ${a.subject}`));
  const text = lines.join('\n').trimEnd();
  return { subject, text, payload: { type: 'sdc.operations.alerts', subject, text, mission, alerts, resolved } };
}
