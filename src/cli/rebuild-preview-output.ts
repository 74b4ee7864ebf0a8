import type { RebuildPreview } from '../jobs/rebuild-preview.js';
import { textTable } from './text-table.js';

/** Prints a rebuild preview: one row per rule (requested, then downstream), totals, and what was cut. */
export function printRebuildPreview(preview: RebuildPreview, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(preview));
    return;
  }
  const rows = [...preview.rows].sort((a, b) => Number(a.downstream) - Number(b.downstream));
  const count = (n: number | undefined, checked: boolean) => (checked ? String(n ?? 0) : '-');
  console.log(textTable(
    ['rule', 'processor', 'tier', 'levels', 'via', 'jobs', 'ready', 'unchanged', 'waiting', 'files', 'days', 'products (files)'],
    rows.map((r) => {
      const checked = r.ready !== undefined || r.unchanged !== undefined || r.waiting !== undefined;
      return [r.rule, r.processor, r.tier, r.levels.join(',') || '-', r.downstream ? 'downstream' : 'requested', r.jobs, count(r.ready, checked), count(r.unchanged, checked), count(r.waiting, checked), r.files,
        r.firstDay === r.lastDay ? r.firstDay : `${r.firstDay}..${r.lastDay}`, Object.entries(r.products).map(([p, n]) => `${p} (${n})`).join(', ')];
    }),
  ));
  console.log(`\n${preview.jobs} jobs, superseding ${preview.files} current files; nothing was queued.`);
  console.log('ready: a job would run; unchanged: the same job (version, tier, inputs) already ran; waiting: an input is missing; downstream jobs are predicted from the current outputs.');
  if (preview.truncated) console.log('The downstream walk stopped at its limit: there is more.');
}
