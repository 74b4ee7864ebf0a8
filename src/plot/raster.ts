import { PNG } from 'pngjs';
import { FONT, glyphRows, textWidth } from './bitmap-font.js';

/** An RGB colour, each channel 0-255. */
export type Rgb = readonly [number, number, number];

/**
 * A small RGBA canvas: filled rectangles, lines and text in a bitmap font are all the quicklook
 * plots draw, so this is the whole drawing code (no native canvas, no font rendering to build). Coordinates are pixels, (0, 0) top left;
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

  /** A one-pixel line from (x0, y0) to (x1, y1), both ends drawn (Bresenham). */
  line(x0: number, y0: number, x1: number, y1: number, colour: Rgb): void {
    let [x, y] = [Math.round(x0), Math.round(y0)];
    const [xe, ye] = [Math.round(x1), Math.round(y1)];
    const dx = Math.abs(xe - x);
    const dy = -Math.abs(ye - y);
    const sx = x < xe ? 1 : -1;
    const sy = y < ye ? 1 : -1;
    let error = dx + dy;
    for (;;) {
      this.fillRect(x, y, x + 1, y + 1, colour);
      if (x === xe && y === ye) return;
      const twice = 2 * error;
      if (twice >= dy) {
        error += dy;
        x += sx;
      }
      if (twice <= dx) {
        error += dx;
        y += sy;
      }
    }
  }

  /**
   * One line of text in the bitmap font, `top` being the top of the capitals; `align` says
   * whether `x` is the left end, the centre or the right end. Returns the left end.
   */
  text(x: number, top: number, text: string, colour: Rgb, align: 'left' | 'center' | 'right' = 'left'): number {
    const width = textWidth(text);
    const left = Math.round(align === 'left' ? x : align === 'center' ? x - width / 2 : x - width);
    [...text].forEach((ch, i) => {
      glyphRows(ch).forEach((row, r) => {
        for (let c = 0; c < FONT.width; c += 1) if (row[c] === '#') this.fillRect(left + i * FONT.advance + c, top + r, left + i * FONT.advance + c + 1, top + r + 1, colour);
      });
    });
    return left;
  }

  /** The colour of a pixel. */
  pixel(x: number, y: number): Rgb {
    const i = (y * this.width + x) * 4;
    return [this.data[i]!, this.data[i + 1]!, this.data[i + 2]!];
  }

  /** The canvas as a PNG file (8-bit RGBA). */
  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    this.data.copy(png.data);
    return PNG.sync.write(png);
  }
}
