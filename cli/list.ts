import type { Command } from 'commander';
import { ConfigError } from '../base/errors.js';
import { BACKENDS, listBackends } from '../backends/index.js';
import { discoverGames } from '../registry/game-registry.js';
import { KeyRing, maskKey } from '../registry/keys.js';
import { loadModelRegistry } from '../registry/model-registry.js';

function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description('List games, models, backends or keys')
    .argument('[what]', 'games | models | backends | keys', 'games')
    .option('-v, --verbose', 'show full specifications')
    .action((what: string, opts: { verbose?: boolean }) => {
      const verbose = opts.verbose === true;
      switch (what) {
        case 'games':
          return listGames(verbose);
        case 'models':
          return listModels(verbose);
        case 'backends':
          return printBackends(verbose);
        case 'keys':
          return listKeys();
        default:
          throw new ConfigError(`unknown list '${what}': use games, models, backends or keys`);
      }
    });
}

function listGames(verbose: boolean): void {
  const games = discoverGames();
  const seen = new Set<string>();
  print(`Found ${games.length} game(s):`);
  for (const g of games) {
    const shadowed = seen.has(g.game_name) ? ' [shadowed by an earlier entry]' : '';
    seen.add(g.game_name);
    print(`${g.game_name}: ${g.description}${shadowed}`);
    print(`    roles: ${g.roles.join(', ')}; from ${g.lookup_source} (${g.game_path})`);
    if (verbose) print(JSON.stringify(g, null, 2));
  }
}

function listModels(verbose: boolean): void {
  const models = loadModelRegistry();
  print(`Found ${models.length} model(s):`);
  for (const m of models) {
    print(`${m.model_name} -> ${m.backend} (${m.lookup_source ?? 'unknown'})`);
    if (verbose) print(JSON.stringify(m, null, 2));
  }
}

function printBackends(verbose: boolean): void {
  const listing = listBackends(BACKENDS, loadModelRegistry(), KeyRing.load());
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

function listKeys(): void {
  const keys = KeyRing.load();
  const names = new Set([...keys.names(), ...Object.values(BACKENDS).flatMap((b) => (b.keyName ? [b.keyName] : []))]);
  for (const name of [...names].sort()) {
    const entry = keys.get(name);
    print(`${name}: ${maskKey(entry?.api_key)}${entry ? ` (${entry.source})` : ''}`);
  }
}
