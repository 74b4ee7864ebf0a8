import { SdcError } from '../errors/sdc-error.js';

/** A copy read back from a target (or restored from it) is not the file the catalog describes. */
export class CopyVerificationError extends SdcError {
  constructor(
    readonly target: string,
    readonly key: string,
    readonly expected: { size: number; sha256: string },
    readonly actual: { size: number; sha256?: string },
    options?: { cause?: unknown },
  ) {
    const what = actual.size !== expected.size ? `${actual.size} bytes instead of ${expected.size}` : `sha256 ${actual.sha256 ?? '(unknown)'} instead of ${expected.sha256}`;
    super('checksum-mismatch', `the copy of '${key}' in ${target} is not intact: ${what}; it is refused`, { target, key, expected, actual }, options);
  }
}

/** A cold copy (S3 GLACIER / DEEP_ARCHIVE) must be restored before it can be read. */
export class ColdCopyNotReadyError extends SdcError {
  constructor(readonly target: string, readonly key: string, readonly state: 'not-requested' | 'in-progress', options?: { cause?: unknown }) {
    super('unavailable', `the copy of '${key}' in ${target} is in cold storage (${state === 'in-progress' ? 'restore in progress' : 'no restore requested'})`, { target, key, state }, options);
  }
}

/** No backup target of that name is configured. */
export class UnknownTargetError extends SdcError {
  constructor(readonly target: string, known: readonly string[]) {
    super('invalid-request', `no backup target named '${target}' (configured: ${known.join(', ') || 'none'})`, { target, known });
  }
}

/** A file has no verified copy anywhere it could be restored from. */
export class NoVerifiedCopyError extends SdcError {
  constructor(readonly fileName: string, readonly tried: readonly string[]) {
    super('not-found', `no intact copy of '${fileName}' (tried: ${tried.join(', ') || 'no location holds one'})`, { fileName, tried });
  }
}

/** An audit found so large a share of problems that acting on them would be unsafe (a bad listing, a wrong mount). */
export class AuditAbortedError extends SdcError {
  constructor(readonly location: string, readonly problems: number, readonly checked: number, readonly maxShare: number) {
    super(
      'unavailable',
      `audit of ${location} stopped: ${problems} of ${checked} entries are bad (more than ${(maxShare * 100).toFixed(0)}%); nothing was repaired — check the location before re-running`,
      { location, problems, checked, maxShare },
    );
  }
}
