import type { Command } from 'commander';
import { ConfigError } from '../base/errors.js';
import { listBackends, listGames, listKeys, listModels, listPrograms } from '../api/list.js';

function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** `list`: printing only; each listing is one library function (api/list.ts). */
export function registerList(program: Command): void {
  program
    .command('list')
    .description('List games, models, programs, backends or keys')
    .argument('[what]', 'games | models | programs | backends | keys', 'games')
    .option('-v, --verbose', 'show full specifications')
    .action(async (what: string, opts: { verbose?: boolean }) => {
      const verbose = opts.verbose === true;
      switch (what) {
        case 'games':
          return printGames(verbose);
        case 'models':
          return printModels(verbose);
        case 'programs':
          return printPrograms();
        case 'backends':
          return printBackends(verbose);
        case 'keys':
          return printKeys();
        default:
          throw new ConfigError(`unknown list '${what}': use games, models, programs, backends or keys`);
      }
    });
}

function printGames(verbose: boolean): void {
  const games = listGames();
  print(`Found ${games.length} game(s):`);
  for (const { spec: g, code, shadowed } of games) {
    const note = shadowed ? ' [shadowed by an earlier entry]' : code === 'python' ? ' [Python game (not playable by clem-ts)]' : '';
    print(`${g.game_name}: ${g.description}${note}`);
    print(`    roles: ${g.roles.join(', ')}; from ${g.lookup_source} (${g.game_path})`);
    if (verbose) print(JSON.stringify(g, null, 2));
  }
}

function printModels(verbose: boolean): void {
  const models = listModels();
  print(`Found ${models.length} model(s):`);
  for (const m of models) {
    print(`${m.model_name} -> ${m.backend} (${m.lookup_source ?? 'unknown'})`);
    if (verbose) print(JSON.stringify(m, null, 2));
  }
}

async function printPrograms(): Promise<void> {
  const programs = await listPrograms();
  print(`Found ${programs.length} program(s) (a model entry runs one: "backend": "programmatic", "model_config": {"program": NAME}):`);
  for (const p of programs) print(`${p.name}: ${p.description}`);
}

function printBackends(verbose: boolean): void {
  const listing = listBackends();
  for (const [state, title] of [['active', '[ active ]'], ['inactive', '[inactive]'], ['unsupported', '[unsupported]']] as const) {
    const rows = listing.filter((b) => b.state === state);
    if (rows.length === 0) continue;
    print(title);
    for (const b of rows) {
      const note = b.note && (b.state !== 'active' || verbose) ? ` — ${b.note}` : '';
      print(`  ${b.name}: ${b.description}${note}`);
    }
  }
}

function printKeys(): void {
  for (const k of listKeys()) print(`${k.name}: ${k.masked}${k.source ? ` (${k.source})` : ''}`);
}
