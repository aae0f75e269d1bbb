import { join } from 'node:path';

/** The files a dataset verb writes for `-o FILE`: FILE's stem with `.train.jsonl`, `.validation.jsonl`, `.summary.json`. */
export interface DatasetPaths {
  train: string;
  validation: string;
  summary: string;
  /** dpo-data only: the journal of states done, which a rerun resumes from. */
  journal: string;
}

/**
 * Paths for `output` (a `.jsonl` file name or a stem; default `<resultsDir>/datasets/<game>-<role>-<kind>`), all in
 * the folder `output` names, so nothing is written anywhere else.
 */
export function datasetPaths(output: string | undefined, resultsDir: string, game: string, role: string, kind: 'sft' | 'dpo'): DatasetPaths {
  const base = output ?? join(resultsDir, 'datasets', `${game}-${role.toLowerCase()}-${kind}.jsonl`);
  const stem = base.endsWith('.jsonl') ? base.slice(0, -'.jsonl'.length) : base;
  return { train: `${stem}.train.jsonl`, validation: `${stem}.validation.jsonl`, summary: `${stem}.summary.json`, journal: `${stem}.journal.jsonl` };
}
