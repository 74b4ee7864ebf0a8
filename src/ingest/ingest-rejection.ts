import { SdcError, type SdcErrorCode } from '../errors/sdc-error.js';

/** Why an arrival was refused; the arrival goes to quarantine with this code and message. */
export class IngestRejection extends SdcError {
  constructor(code: SdcErrorCode, message: string, readonly fileName: string, details: Record<string, unknown> = {}) {
    super(code, message, { fileName, ...details });
  }
}
