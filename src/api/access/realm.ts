import type { MissionConfig } from '../../mission/mission-schema.js';

/** The HTTP Basic realm of the mission's team paths (`WWW-Authenticate`). */
export function realmOf(mission: MissionConfig): string {
  return mission.api.compat?.realm ?? `${mission.name} SDC`;
}
