import { describe, expect, it } from 'vitest';
import { FONT, glyphRows, textWidth } from './bitmap-font.js';
import { Raster } from './raster.js';

const WHITE = [255, 255, 255] as const;
const INK = [0, 0, 0] as const;

describe('the bitmap font', () => {
  it('has a 5-pixel-wide glyph of 7 rows (8 with a descender) for every printable ASCII character', () => {
    for (let code = 32; code < 127; code += 1) {
      const rows = glyphRows(String.fromCharCode(code));
      expect([7, 8], String.fromCharCode(code)).toContain(rows.length);
      for (const row of rows) expect(row, String.fromCharCode(code)).toMatch(/^[.#]{5}$/);
    }
    expect(glyphRows('é')).toEqual(glyphRows('?'));
  });

  it('draws exactly the glyph pixels, advancing 6 pixels per character, aligned left, centred or right', () => {
    const raster = new Raster(40, 12, WHITE);
    const left = raster.text(30, 2, 'A1', INK, 'right');
    expect(left).toBe(30 - textWidth('A1'));
    for (const [i, ch] of ['A', '1'].entries()) {
      glyphRows(ch).forEach((row, r) => {
        for (let c = 0; c < FONT.width; c += 1) expect(raster.pixel(left + i * FONT.advance + c, 2 + r), `${ch} row ${r} column ${c}`).toEqual(row[c] === '#' ? INK : WHITE);
      });
    }
    // Nothing drawn outside the text's box.
    for (let y = 0; y < 12; y += 1) for (let x = 0; x < 40; x += 1) if (x < left || x >= 31 || y < 2 || y >= 9) expect(raster.pixel(x, y)).toEqual(WHITE);
    expect(new Raster(40, 12, WHITE).text(20, 0, 'abc', INK, 'center')).toBe(Math.round(20 - textWidth('abc') / 2));
  });

  it('draws a line with both ends', () => {
    const raster = new Raster(10, 10, WHITE);
    raster.line(1, 1, 8, 4, INK);
    expect([raster.pixel(1, 1), raster.pixel(8, 4), raster.pixel(0, 0)]).toEqual([INK, INK, WHITE]);
  });
});
