import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_LLAMA_CPP_VERSION } from '../backends/llamacpp/binding.js';
import { LOCAL_RUNTIMES, LOCAL_RUNTIMES_INSTALL } from '../backends/local-runtimes.js';
import { packageRoot } from '../registry/package-root.js';
import { cliIsBuilt } from './helpers/cli.js';
import { SUMS_GAME_SOURCE } from './helpers/sums-game.js';
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
// Removing three node_modules (one with the local runtimes, ~450 MB) takes over a minute on a busy machine.
afterAll(() => tmp.cleanup(), 300_000);

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
    // The TypeScript sources are not shipped: the source maps carry them (tsconfig.build.json inlineSources).
    const map = JSON.parse(readFileSync(join(root, 'dist', 'cli', 'main.js.map'), 'utf8')) as { sources: string[]; sourcesContent?: string[] };
    expect(packed).toContain('dist/cli/main.js.map');
    expect(map.sources).toEqual(['../../cli/main.ts']);
    expect(map.sourcesContent?.[0]).toBe(readFileSync(join(root, 'cli', 'main.ts'), 'utf8'));
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
    writeFileSync(join(elsewhere, 'sums', 'master.ts'), SUMS_GAME_SOURCE);
    const cli = join(project, 'node_modules', 'clem-ts', 'dist', 'cli', 'main.js');
    const solo = await sh(process.execPath, [cli, 'run', '-g', './sums/master.ts', '-m', 'mock'], elsewhere);
    expect(solo.code, solo.err).toBe(0);
    expect(solo.out).toBe('played 3 episode(s): 3 success, 0 lose, 0 aborted; skipped 0 already done; errored 0. Results in results\n');
    // … and scored, evaluated and transcribed by the same path: registered nowhere, its code is what -g names.
    const scored = await sh(process.execPath, [cli, 'score', '-g', './sums/master.ts'], elsewhere);
    expect(scored.out, scored.err).toBe('scored 3 episode(s)\n');
    const evaluated = await sh(process.execPath, [cli, 'eval', '-g', './sums/master.ts', '--resamples', '0'], elsewhere);
    expect(evaluated.out.split('\n').slice(0, 2), evaluated.err).toEqual(['evaluated 3 episode(s) of 1 model(s)', '  mock: clemscore 100']);
    const transcribed = await sh(process.execPath, [cli, 'transcribe', '-g', './sums/master.ts'], elsewhere);
    expect(transcribed.out, transcribed.err).toBe(`wrote 3 transcript(s) and ${join(elsewhere, 'results', 'index.html')}\n`);

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

  it('npm 10 installs it offline with no error and no warning too, and its npx runs the CLI', async () => {
    // npm 10 is still what Node 20 and 22 ship; `npx -y npm@10` takes it from the npm cache (.ci/warm-npm-cache).
    const npm10 = (args: readonly string[], cwd: string): Promise<Result> => sh('npx', ['-y', 'npm@10', ...args], cwd);
    const version = await npm10(['--version'], root);
    expect(version.code, `${version.err}\nIf npm says ENOTCACHED, fill the npm cache once online: bash .ci/warm-npm-cache`).toBe(0);
    expect(version.out).toMatch(/^10\./);
    const elsewhere = tmp.make();
    writeFileSync(join(elsewhere, 'package.json'), `${JSON.stringify({ name: 'npm10-project', private: true, type: 'module' }, null, 2)}\n`);
    expectClean(await npm10(['install', tarball], elsewhere), 'npm 10: npm install <tarball>');
    expect(readdirSync(join(elsewhere, 'node_modules')).filter((d) => d.startsWith('onnxruntime') || d === 'node-llama-cpp')).toEqual([]);
    expect(readdirSync(join(elsewhere, 'node_modules', '@huggingface'))).not.toContain('transformers');
    const played = await npm10(['exec', '--', 'clem-ts', 'run', '-g', 'hello', '-m', 'mock', '--limit', '2'], elsewhere);
    expect(played.code, played.err).toBe(0);
    expect(played.out).toBe('played 2 episode(s): 2 success, 0 lose, 0 aborted; skipped 0 already done; errored 0. Results in results\n');
  }, 200_000);

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

    // list backends tells the truth before the first use: inactive, with the same one command
    const listed = await sh(process.execPath, [cli, 'list', 'backends'], project);
    const inactive = listed.out.slice(listed.out.indexOf('[inactive]'));
    expect(inactive).toContain(`  llamacpp: local GGUF models through llama.cpp (node-llama-cpp, an optional dependency) — the llamacpp backend needs node-llama-cpp`);
    expect(inactive).toContain(`Add it with \`npm install node-llama-cpp@${NODE_LLAMA_CPP_VERSION}\`.`);
    expect(inactive).toMatch(/ {2}transformers: .* — the transformers backend needs the local runtimes/);
    expect(inactive).toContain(LOCAL_RUNTIMES_INSTALL);

    const add = await npm(LOCAL_RUNTIMES_INSTALL.split(' ').slice(1), project, { ONNXRUNTIME_NODE_INSTALL: 'skip' });
    expect(add.code, add.err).toBe(0);
    const after = (await sh(process.execPath, [cli, 'list', 'backends'], project)).out;
    expect(after.slice(0, after.indexOf('[inactive]'))).toMatch(/\n {2}transformers: /);
    expect(after.slice(after.indexOf('[inactive]'))).toMatch(/\n {2}llamacpp: /);
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

describe('npm in a clone', () => {
  it('prints no warning with npm 11 or npm 10 (no project config npm does not know)', async () => {
    for (const [what, cmd, args] of [['npm', 'npm', []], ['npm 10', 'npx', ['-y', 'npm@10']]] as const) {
      const r = await sh(cmd, [...args, 'pkg', 'get', 'name'], root);
      expect(r.code, `${what}: ${r.err}`).toBe(0);
      expect(r.out.trim()).toBe('"clem-ts"');
      expect(r.err, `${what} printed to stderr in the clone`).toBe('');
    }
  }, 60_000);
});
