/**
 * Prints how well the question mapper and the win rule understand the corpus:
 *   npx tsx games/20q/corpus/report.ts             tables for the tuned and the held-out part
 *   npx tsx games/20q/corpus/report.ts --failures  and every tuned item it gets wrong (held-out items are
 *                                                  never listed: they are not tuned on)
 *   npx tsx games/20q/corpus/report.ts --write     rebuild questions.json from the sources first
 *   npx tsx games/20q/corpus/report.ts --independent            each independent held-out set, as tables only:
 *                                                  independent.json whole, dev half and blind half;
 *                                                  independent-2.json (all blind) whole
 *   npx tsx games/20q/corpus/report.ts --independent-failures   every item of independent.json's dev half it gets
 *                                                  wrong (blind items, and independent-2.json, are never listed)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJsonFile } from '../../../registry/parse.js';
import { independentHalf, measureIndependent } from './independent-measure.js';
import { INDEPENDENT_SETS, loadIndependentSet } from './independent-schema.js';
import { figuresTable, measureCorpus, type ItemResult, type MeasuredItem } from './measure.js';
import { CorpusFileSchema } from './schema.js';

const here = dirname(fileURLToPath(import.meta.url));
const file = join(here, 'questions.json');

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  if (args.has('--independent') || args.has('--independent-failures')) return reportIndependent(args.has('--independent-failures'));
  if (args.has('--write')) {
    const { buildCorpus, formatCorpus } = await import('./build.js');
    writeFileSync(file, formatCorpus(buildCorpus()));
  }
  const corpus = parseJsonFile(CorpusFileSchema, file, readFileSync(file, 'utf8'));
  const { figures, results } = measureCorpus(corpus);
  console.log(`## tuned (${results.filter((r) => r.item.split === 'tuned').length} items)\n\n${figuresTable(figures, 'tuned')}\n`);
  console.log(`## held out (${results.filter((r) => r.item.split === 'held_out').length} items)\n\n${figuresTable(figures, 'held_out')}\n`);
  if (args.has('--failures')) for (const r of results.filter((x) => x.item.split === 'tuned')) printFailure(r, r.item.meaning);
}

function reportIndependent(failures: boolean): void {
  for (const spec of INDEPENDENT_SETS) {
    const { figures, results } = measureIndependent(loadIndependentSet(spec), undefined, spec);
    if (failures) {
      // only a dev half is ever listed item by item; a set without halves is blind as a whole
      if (spec.halves) for (const r of results.filter((x) => independentHalf(x.item) === 'dev')) printFailure(r, JSON.stringify(r.item.answers));
      continue;
    }
    console.log(`## ${spec.file} (${results.length} items${spec.halves ? '' : ', all blind'})\n\n${figuresTable(figures, spec.name)}\n`);
    if (!spec.halves) continue;
    for (const half of ['dev', 'blind'] as const) {
      const count = results.filter((r) => independentHalf(r.item) === half).length;
      console.log(`## ${spec.file}, ${half} half (${count} items)\n\n${figuresTable(figures, `${spec.name} ${half}`)}\n`);
    }
  }
}

/** One line per thing the item got wrong; `detail` says what it means (the corpus meaning, or the expected answers). */
function printFailure(r: ItemResult<MeasuredItem & { id: string }>, detail: string): void {
  const { item } = r;
  const m = JSON.stringify(r.mapping);
  if (item.expect === 'answer' && !r.mapped) console.log(`UNMAPPED  ${item.id}  ${item.text}  [${detail}]  ${m}`);
  else if (r.wrong.length > 0) console.log(`WRONG     ${item.id}  ${item.text}  [${detail}]  ${m}  wrong for ${r.wrong.join(', ')}`);
  if (item.expect === 'refuse' && r.mapped) console.log(`ANSWERED  ${item.id}  ${item.text}  ${m}`);
  if (item.expect === 'off_task' && !r.offTask) console.log(`NOT-OFF   ${item.id}  ${item.text}  ${m}`);
  if (item.expect === 'answer' && r.offTask) console.log(`FALSE-OFF ${item.id}  ${item.text}`);
  if (r.missedWin.length > 0) console.log(`NO-WIN    ${item.id}  ${item.text}  q=${JSON.stringify(r.question)}`);
  if (r.falseWins.length > 0) console.log(`FALSE-WIN ${item.id}  ${item.text}  for ${r.falseWins.join(', ')}`);
}

await main();
