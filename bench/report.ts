/** One measured figure, printed next to the baseline measured in the same process. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The same quantity for the baseline (e.g. raw COPY, fs.readFile + zlib), in the same unit. */
  baseline?: { name: string; value: number };
  /** The target, e.g. `>= 500` or `< 5`, for the reader's eye. */
  target?: string;
}

const rows: Figure[] = [];

/** Prints one figure as a line of text and keeps it for the JSON summary. */
export function report(figure: Figure): void {
  rows.push(figure);
  const value = formatNumber(figure.value);
  const base = figure.baseline
    ? `  | baseline ${figure.baseline.name}: ${formatNumber(figure.baseline.value)} ${figure.unit}  | ratio ${(figure.value / figure.baseline.value).toFixed(3)}`
    : '';
  const target = figure.target ? `  | target ${figure.target}` : '';
  console.log(`${figure.name}: ${value} ${figure.unit}${base}${target}`);
}

export function reportedFigures(): readonly Figure[] {
  return rows;
}

function formatNumber(n: number): string {
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}
