import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_LLAMA_CPP_VERSION } from '../backends/llamacpp/binding.js';
import { LOCAL_RUNTIMES, LOCAL_RUNTIMES_INSTALL } from '../backends/local-runtimes.js';
import { packageRoot } from '../registry/package-root.js';
import { cliIsBuilt } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dir.js';

/**
 * The package as a user gets it: `npm pack`, then `npm install <tarball>` into an empty folder with the network cut
 * off (npm --offline: every request from the npm cache), then the README's library example, a game written as a
 * single master.ts outside the package, and a scaffolded game under its own vitest test — through the public exports
 * only. Needs the npm cache to hold the dependencies (this machine's does after `npm install`; .ci/run fills it).
 * About a minute and a half on a quiet machine, most of it copying the local runtimes.
 */
const root = packageRoot();
const tmp = tempDirs('clem-ts-pack-');
afterAll(() => tmp.cleanup());

interface Result {
  code: number | null;
  out: string;
  err: string;
}

function sh(cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...OFFLINE, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

// Network cut off for npm: offline mode (every request answered from the cache, or failing with ENOTCACHED; the
// cache is keyed by the registry's URL, so the registry stays the default one). No audit or fund requests either.
const OFFLINE = {
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

function npm(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Result> {
  return sh('npm', args, cwd, env);
}

function expectClean(r: Result, what: string): void {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.err}\n${r.out}\nIf npm says ENOTCACHED, fill the npm cache once online: bash .ci/warm-npm-cache`);
  expect(r.err, `${what} printed to stderr`).toBe('');
}

/** The README's library example, as written there. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /```ts\n(\/\/ play\.ts[\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no ```ts block starting with // play.ts');
  return block;
}

/** A game written as one master.ts outside the package: spec, templates and instances in code. */
const SOLO_GAME = `import { defineGame, ParseError, z, type GameModule } from 'clem-ts';

const game = defineGame({
  instanceSchema: z.object({ game_id: z.number(), a: z.number(), b: z.number() }),
  setup: (i) => ({ sum: i.a + i.b, a: i.a, b: i.b }),
  prompt: (s, _p, ctx) => ctx.render('ask', s),
  parse: (_s, _p, reply) => {
    const n = Number(reply.trim());
    if (!Number.isInteger(n)) throw new ParseError('expected a whole number', reply);
    return n;
  },
  advance: (s, _p, n: number) => ({ kind: 'end', outcome: n === s.sum ? 'success' : 'lose' }),
  score: ({ interactions }) => ({ rounds: [{}], episode: { 'Main Score': interactions.Success === 1 ? 100 : 0 } }),
});

const module: GameModule = {
  spec: { game_name: 'sums', roles: ['Adder'], description: 'Add two numbers.' },
  game,
  templates: { ask: 'What is {{a}} + {{b}}? Answer with the number only.' },
  instances: { experiments: [{ name: 'small', game_instances: [[1, 2], [20, 22], [5, 5]].map(([a, b], game_id) => ({ game_id, a, b })) }] },
  mock: { name: 'mock', description: 'adds', respond: (r) => String(Number(r.episode?.instance.a) + Number(r.episode?.instance.b)) },
};
export default module;
`;

describe.runIf(cliIsBuilt())('the packed package, installed offline into an empty folder', () => {
  let tarball = '';
  let project = '';
  let packed: string[] = [];

  beforeAll(async () => {
    const dest = tmp.make();
    // As for publishing: prepack builds dist/ and takes out `prepare` (a tarball install would list it as an install script).
    const r = await npm(['pack', '--json', '--pack-destination', dest], root);
    expect(r.code, r.err).toBe(0);
    const [info] = JSON.parse(r.out) as { filename: string; files: { path: string }[] }[];
    tarball = join(dest, info?.filename ?? '');
    packed = (info?.files ?? []).map((f) => f.path);
    project = tmp.make();
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'user-project', private: true, type: 'module' }, null, 2)}\n`);
  }, 120_000);

  it('ships the code, games, prompts and LICENSE, and no test, helper or fixture', () => {
    expect(packed).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/testing.js', 'dist/cli/main.js', 'games/20q/clemgame.json', 'games/hello/master.ts']));
    expect(packed.filter((p) => /(^|\/)(test|tests|fixtures|helpers|corpus|bench)\/|\.test(-d)?\.(ts|js|d\.ts|js\.map)$/.test(p))).toEqual([]);
  });

  it('installs with no error and no warning, without the local runtimes; the README example, a one-file game and a new game work', async () => {
    expectClean(await npm(['install', tarball], project), 'npm install <tarball>');
    expect(readdirSync(join(project, 'node_modules')).filter((d) => d.startsWith('onnxruntime') || d === 'node-llama-cpp')).toEqual([]);
    // @huggingface/hub and @huggingface/jinja (hub downloads, GGUF chat templates) are dependencies; transformers.js is not
    expect(readdirSync(join(project, 'node_modules', '@huggingface'))).not.toContain('transformers');

    // The README's library example, run as its comment says (tsx from the npm cache, installed apart).
    expect((await npm(['install', '-D', 'tsx'], project)).code).toBe(0);
    writeFileSync(join(project, 'play.ts'), readmeExample());
    // It type-checks against the installed declarations, libraries' included, without the local runtimes installed.
    const tsc = await sh(process.execPath, [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--skipLibCheck', 'false', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--target', 'es2022', '--types', 'node', '--typeRoots', join(root, 'node_modules', '@types'), 'play.ts',
    ], project);
    expect(tsc.out + tsc.err).toBe('');
    const play = await sh('npx', ['tsx', 'play.ts'], project);
    expect(play.err).toBe('');
    expect(play.out).toBe('mock: clemscore 100\n');
    expect(readdirSync(join(project, 'results', 'mock', 'echo', 'fruit')).sort()).toEqual(['experiment.json', 'instance_00000', 'instance_00001', 'instance_00002']);
    expect(readdirSync(join(project, 'results', 'mock', 'echo', 'fruit', 'instance_00000')).sort()).toEqual(expect.arrayContaining(['scores.json', 'transcript.html']));

    // A game in a single master.ts in a folder with no node_modules anywhere above it, played by the installed CLI.
    const elsewhere = tmp.make();
    mkdirSync(join(elsewhere, 'sums'));
    writeFileSync(join(elsewhere, 'sums', 'master.ts'), SOLO_GAME);
    const cli = join(project, 'node_modules', 'clem-ts', 'dist', 'cli', 'main.js');
    const solo = await sh(process.execPath, [cli, 'run', '-g', './sums/master.ts', '-m', 'mock'], elsewhere);
    expect(solo.code, solo.err).toBe(0);
    expect(solo.out).toBe('played 3 episode(s): 3 success, 0 lose, 0 aborted; skipped 0 already done; errored 0. Results in results\n');

    // clem-ts new game: the folder plays at once, and its own test (the shared game suite) passes under vitest.
    const created = await sh('npx', ['clem-ts', 'new', 'game', 'guess'], project);
    expect(created.code, created.err).toBe(0);
    const mock = await sh('npx', ['clem-ts', 'run', '-g', 'guess', '-m', 'mock', '-r', 'guess-results'], project);
    expect(mock.out).toMatch(/^played 10 episode\(s\): 10 success, 0 lose, 0 aborted;/);
    expect((await npm(['install', '-D', 'vitest'], project)).code).toBe(0);
    const test = await sh('npx', ['vitest', 'run', 'guess'], project, { CI: 'true' });
    expect(test.code, test.out + test.err).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(test.out.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+3 passed \(3\)/);
  }, 400_000);

  it('a local model without the runtimes names the command that adds them; after it, one onnxruntime-node', async () => {
    const cli = join(project, 'node_modules', 'clem-ts', 'dist', 'cli', 'main.js');
    const model = join(project, 'tiny');
    const made = await sh(process.execPath, [join(project, 'node_modules', 'clem-ts', 'dist', 'scripts', 'make-tiny-model.js'), '--out', model, '--gguf', 'q8_0'], project);
    expect(made.code, made.err).toBe(0);
    // a GGUF model needs node-llama-cpp alone, and says so by its one command
    const gguf = JSON.stringify({ model_name: 'tiny-gguf', backend: 'llamacpp', huggingface_id: join(model, 'model-q8_0.gguf') });
    const noBinding = await sh(process.execPath, [cli, 'run', '-g', 'hello', '-m', gguf, '--limit', '1', '-r', 'local-gguf'], project);
    expect(noBinding.code).toBe(2);
    expect(noBinding.err).toContain(`tiny-gguf: the llamacpp backend needs node-llama-cpp, an optional dependency that is not installed. Add it with \`npm install node-llama-cpp@${NODE_LLAMA_CPP_VERSION}\`.`);
    const spec = JSON.stringify({ model_name: 'tiny', backend: 'transformers', huggingface_id: model });
    const without = await sh(process.execPath, [cli, 'run', '-g', 'hello', '-m', spec, '--limit', '1', '-r', 'local'], project);
    expect(without.code).toBe(2);
    expect(without.err).toContain(`model 'tiny' (backend transformers) needs the local runtimes`);
    expect(without.err).toContain(LOCAL_RUNTIMES_INSTALL);

    const add = await npm(LOCAL_RUNTIMES_INSTALL.split(' ').slice(1), project, { ONNXRUNTIME_NODE_INSTALL: 'skip' });
    expect(add.code, add.err).toBe(0);
    const ls = await npm(['ls', 'onnxruntime-node', '--all', '--parseable'], project);
    const copies = ls.out.split('\n').filter((l) => l.endsWith('onnxruntime-node'));
    expect(copies).toEqual([join(project, 'node_modules', 'onnxruntime-node')]);
    expect(JSON.parse(readFileSync(join(copies[0] as string, 'package.json'), 'utf8')).version).toBe(LOCAL_RUNTIMES['onnxruntime-node']);
    const played = await sh(process.execPath, [cli, 'run', '-g', 'hello', '-m', spec, '--limit', '1', '-r', 'local', '-l', '4'], project);
    expect(played.code, played.err).toBe(0);
    expect(played.out).toMatch(/^played 1 episode\(s\)/);
  }, 400_000);
});

describe('the local runtimes', () => {
  it('are the versions package.json pins, and the ones transformers.js depends on', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    for (const [name, version] of Object.entries(LOCAL_RUNTIMES)) expect(pkg.devDependencies?.[name]).toBe(version);
    // node-llama-cpp (the llamacpp backend) is the other optional peer, pinned as its binding says
    expect(Object.keys(pkg.peerDependencies ?? {}).filter((n) => n !== 'node-llama-cpp')).toEqual(Object.keys(LOCAL_RUNTIMES));
    expect([pkg.peerDependencies?.['node-llama-cpp'], pkg.devDependencies?.['node-llama-cpp']]).toEqual([NODE_LLAMA_CPP_VERSION, NODE_LLAMA_CPP_VERSION]);
    expect((pkg.peerDependenciesMeta as unknown as Record<string, { optional?: boolean }>)['node-llama-cpp']?.optional).toBe(true);
    const transformers = JSON.parse(readFileSync(join(root, 'node_modules', '@huggingface', 'transformers', 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(transformers.dependencies?.['onnxruntime-node']).toBe(LOCAL_RUNTIMES['onnxruntime-node']);
    expect(pkg.dependencies?.['onnxruntime-node']).toBeUndefined();
    expect(pkg.dependencies?.['@huggingface/transformers']).toBeUndefined();
  });
});
