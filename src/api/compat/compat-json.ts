/** A flat record of a legacy answer: keys in output order. */
export type CompatRecord = Record<string, string | number>;

/**
 * Serialises like Python's `json.dumps`: one line, `", "` between items and `": "` after keys,
 * non-ASCII escaped. The IDL clients cut this text on those separators instead of parsing it.
 */
export function pythonStyleJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonStyleJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${scalar(k)}: ${pythonStyleJson(v)}`).join(', ')}}`;
  }
  return scalar(value);
}

function scalar(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `YYYY-MM-DDThh:mm:ss` in UTC, the time format of the legacy records. */
export function compatTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}
