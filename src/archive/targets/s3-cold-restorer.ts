import { HeadObjectCommand, RestoreObjectCommand, type S3Client, type Tier } from '@aws-sdk/client-s3';
import { httpStatusOf, toStoreError } from '../../store/s3-error-mapping.js';
import type { ColdRestorer, RestoreStatus, RestoreTier } from './backup-target.js';

/**
 * Restores of S3 GLACIER / DEEP_ARCHIVE objects: `RestoreObject` with a tier and a number of
 * days, then HEAD's `x-amz-restore` (`ongoing-request="true"` while it runs, `"false"` with an
 * expiry once readable). Not testable against an emulator (s3rver answers 501).
 */
export class S3ColdRestorer implements ColdRestorer {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly days: number,
  ) {}

  async request(location: string, tier: RestoreTier): Promise<void> {
    try {
      await this.client.send(new RestoreObjectCommand({ Bucket: this.bucket, Key: this.prefix + location, RestoreRequest: { Days: this.days, GlacierJobParameters: { Tier: tier satisfies Tier } } }));
    } catch (error) {
      // 409 RestoreAlreadyInProgress: asking twice is harmless.
      if (httpStatusOf(error) === 409) return;
      throw toStoreError(error, { operation: 'restore request', key: location, store: `s3://${this.bucket}/${this.prefix}` });
    }
  }

  async status(location: string): Promise<RestoreStatus> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + location }));
      return restoreStatusOf(head.Restore);
    } catch (error) {
      throw toStoreError(error, { operation: 'restore status', key: location, store: `s3://${this.bucket}/${this.prefix}` });
    }
  }
}

/** Reads HEAD's `x-amz-restore` header. */
export function restoreStatusOf(header: string | undefined): RestoreStatus {
  if (!header) return 'not-requested';
  return /ongoing-request="true"/.test(header) ? 'in-progress' : 'ready';
}
