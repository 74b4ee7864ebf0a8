import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { SdcError } from '../errors/sdc-error.js';
import type { Mission } from './load-mission.js';

/**
 * Loads one of the mission's adapters (a module named in `adapters` of mission.yaml). Adapters
 * may be TypeScript: they are loaded through tsx, so a mission folder needs no build step.
 */
export async function loadMissionModule<T>(mission: Mission, adapter: keyof Mission['config']['adapters']): Promise<T> {
  const relative = mission.config.adapters[adapter];
  if (!relative) throw new SdcError('invalid-mission', `mission ${mission.config.id} has no '${adapter}' adapter (adapters.${adapter} in mission.yaml)`);
  const file = path.resolve(mission.folder, relative);
  return (await tsImport(pathToFileURL(file).href, import.meta.url)) as T;
}
