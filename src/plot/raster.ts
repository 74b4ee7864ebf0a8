import { PNG } from 'pngjs';

/** An RGB colour, each channel 0-255. */
export type Rgb = readonly [number, number, number];

/**
 * A small RGBA canvas: filled rectangles and lines are all the quicklook plots draw, so this is
 * the whole drawing code (no native canvas to build). Coordinates are pixels, (0, 0) top left;
 * what falls outside the canvas is clipped.
 */
export class Raster {
  readonly data: Buffer;

  constructor(readonly width: number, readonly height: number, background: Rgb) {
    this.data = Buffer.alloc(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  /** Fills the pixels x in [x0, x1), y in [y0, y1). */
  fillRect(x0: number, y0: number, x1: number, y1: number, colour: Rgb): void {
    const left = Math.max(0, Math.floor(x0));
    const right = Math.min(this.width, Math.ceil(x1));
    const top = Math.max(0, Math.floor(y0));
    const bottom = Math.min(this.height, Math.ceil(y1));
    for (let y = top; y < bottom; y += 1) {
      for (let x = left; x < right; x += 1) {
        const i = (y * this.width + x) * 4;
        this.data[i] = colour[0];
        this.data[i + 1] = colour[1];
        this.data[i + 2] = colour[2];
        this.data[i + 3] = 255;
      }
    }
  }

  /** The outline of the rectangle [x0, x1) × [y0, y1), one pixel wide. */
  strokeRect(x0: number, y0: number, x1: number, y1: number, colour: Rgb): void {
    this.fillRect(x0, y0, x1, y0 + 1, colour);
    this.fillRect(x0, y1 - 1, x1, y1, colour);
    this.fillRect(x0, y0, x0 + 1, y1, colour);
    this.fillRect(x1 - 1, y0, x1, y1, colour);
  }

  /** The canvas as a PNG file (8-bit RGBA). */
  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    this.data.copy(png.data);
    return PNG.sync.write(png);
  }
}
