import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { SdcConfig } from './config-schema.js';
import { ConfigError } from './load-config.js';
import { packageRoot } from './package-root.js';

/**
 * The mission's folder: `mission` itself when it is a folder holding mission.yaml, otherwise
 * `<missionsDir>/<mission>`; with no `mission`, the only one under `missionsDir` (which defaults
 * to the package's own missions/).
 */
export function resolveMissionFolder(config: SdcConfig): string {
  const missionsDir = path.resolve(config.missionsDir ?? path.join(packageRoot(), 'missions'));
  if (config.mission && existsSync(path.join(config.mission, 'mission.yaml'))) return path.resolve(config.mission);
  if (config.mission) {
    const folder = path.join(missionsDir, config.mission);
    if (existsSync(path.join(folder, 'mission.yaml'))) return folder;
    throw new ConfigError('mission', [`mission: no mission.yaml in '${config.mission}' nor in ${folder}`]);
  }
  const found = existsSync(missionsDir) ? readdirSync(missionsDir).filter((d) => existsSync(path.join(missionsDir, d, 'mission.yaml'))) : [];
  if (found.length === 1) return path.join(missionsDir, found[0] ?? '');
  throw new ConfigError('mission', [`mission: choose one of the missions in ${missionsDir} (${found.join(', ') || 'none found'}) with SDC_MISSION or 'mission:'`]);
}
