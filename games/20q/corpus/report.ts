/**
 * Prints how well the question mapper and the win rule understand the corpus:
 *   npx tsx games/20q/corpus/report.ts             tables for the tuned and the held-out part
 *   npx tsx games/20q/corpus/report.ts --failures  and every tuned item it gets wrong (held-out items are
 *                                                  never listed: they are not tuned on)
 *   npx tsx games/20q/corpus/report.ts --write     rebuild questions.json from the sources first
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJsonFile } from '../../../registry/parse.js';
import { figuresTable, measureCorpus, type ItemResult } from './measure.js';
import { CorpusFileSchema } from './schema.js';

const here = dirname(fileURLToPath(import.meta.url));
const file = join(here, 'questions.json');

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  if (args.has('--write')) {
    const { buildCorpus, formatCorpus } = await import('./build.js');
    writeFileSync(file, formatCorpus(buildCorpus()));
  }
  const corpus = parseJsonFile(CorpusFileSchema, file, readFileSync(file, 'utf8'));
  const { figures, results } = measureCorpus(corpus);
  console.log(`## tuned (${results.filter((r) => r.item.split === 'tuned').length} items)\n\n${figuresTable(figures, 'tuned')}\n`);
  console.log(`## held out (${results.filter((r) => r.item.split === 'held_out').length} items)\n\n${figuresTable(figures, 'held_out')}\n`);
  if (args.has('--failures')) for (const r of results.filter((x) => x.item.split === 'tuned')) printFailure(r);
}

function printFailure(r: ItemResult): void {
  const { item } = r;
  const m = JSON.stringify(r.mapping);
  if (item.expect === 'answer' && !r.mapped) console.log(`UNMAPPED  ${item.id}  ${item.text}  [${item.meaning}]  ${m}`);
  else if (r.wrong.length > 0) console.log(`WRONG     ${item.id}  ${item.text}  [${item.meaning}]  ${m}  wrong for ${r.wrong.join(', ')}`);
  if (item.expect === 'refuse' && r.mapped) console.log(`ANSWERED  ${item.id}  ${item.text}  ${m}`);
  if (item.expect === 'off_task' && !r.offTask) console.log(`NOT-OFF   ${item.id}  ${item.text}  ${m}`);
  if (item.expect === 'answer' && r.offTask) console.log(`FALSE-OFF ${item.id}  ${item.text}`);
  if (r.missedWin.length > 0) console.log(`NO-WIN    ${item.id}  ${item.text}  q=${JSON.stringify(r.question)}`);
  if (r.falseWins.length > 0) console.log(`FALSE-WIN ${item.id}  ${item.text}  for ${r.falseWins.join(', ')}`);
}

await main();
