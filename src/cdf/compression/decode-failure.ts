/** Why a compressed block could not be expanded: corrupt data, or a size other than declared. */
export interface DecodeFailure {
  readonly kind: 'inflate-failed' | 'inflate-size';
  readonly detail: string;
}

export function sizeFailure(detail: string): DecodeFailure {
  return { kind: 'inflate-size', detail };
}

export function corruptFailure(detail: string): DecodeFailure {
  return { kind: 'inflate-failed', detail };
}
