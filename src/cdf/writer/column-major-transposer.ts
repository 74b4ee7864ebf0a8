/**
 * Reorders records from the row-major order values are given in (last dimension fastest) to
 * column-major (first dimension fastest). Built once per variable; records of fewer than two
 * dimensions are the same in both orders, so `forDims` returns undefined for them.
 */
export class ColumnMajorTransposer {
  private constructor(
    /** target[i] = column-major position of row-major element i. */
    private readonly target: Uint32Array,
    private readonly elementBytes: number,
  ) {}

  static forDims(dims: readonly number[], elementBytes: number): ColumnMajorTransposer | undefined {
    if (dims.length < 2) return undefined;
    const count = dims.reduce((a, b) => a * b, 1);
    const target = new Uint32Array(count);
    const columnStrides = dims.map((_, j) => dims.slice(0, j).reduce((a, b) => a * b, 1));
    const index = new Array<number>(dims.length).fill(0);
    for (let i = 0; i < count; i++) {
      target[i] = index.reduce((sum, v, j) => sum + v * columnStrides[j]!, 0);
      increment(index, dims);
    }
    return new ColumnMajorTransposer(target, elementBytes);
  }

  /** Returns a new buffer holding the records of `bytes` in column-major order. */
  transpose(bytes: Uint8Array): Uint8Array {
    const out = new Uint8Array(bytes.length);
    // Move whole 32-bit words when the element size and alignment allow it; bytes otherwise.
    const word = this.elementBytes % 4 === 0 && bytes.byteOffset % 4 === 0 ? 4 : 1;
    const source = word === 4 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4) : bytes;
    const sink = word === 4 ? new Uint32Array(out.buffer) : out;
    this.permute(source, sink, this.elementBytes / word);
    return out;
  }

  /** Moves elements of `width` slots each from `source` to `sink`, record by record. */
  private permute(source: Uint8Array | Uint32Array, sink: Uint8Array | Uint32Array, width: number): void {
    const n = this.target.length;
    const recordSlots = n * width;
    for (let base = 0; base < source.length; base += recordSlots) {
      for (let i = 0; i < n; i++) {
        const from = base + i * width;
        const to = base + this.target[i]! * width;
        for (let k = 0; k < width; k++) sink[to + k] = source[from + k]!;
      }
    }
  }
}

/** Advances a row-major multi-index (last dimension fastest). */
function increment(index: number[], dims: readonly number[]): void {
  for (let j = dims.length - 1; j >= 0; j--) {
    index[j] = index[j]! + 1;
    if (index[j]! < dims[j]!) return;
    index[j] = 0;
  }
}
