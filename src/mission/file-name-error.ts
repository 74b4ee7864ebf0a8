import { SdcError } from '../errors/sdc-error.js';

/** A file name that does not follow the mission's grammar; `reason` says which part and why. */
export class FileNameError extends SdcError {
  constructor(readonly fileName: string, readonly reason: string, mission: string) {
    super('invalid-file-name', `'${fileName}' is not a valid ${mission} file name: ${reason}`, { fileName, reason, mission });
  }
}
