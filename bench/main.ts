/**
 * `npm run bench [-- p1|p2|p3|p4|p5|p9|workers …]`: the performance benchmarks; each prints its figures and ratios.
 * Not tests: nothing here asserts, and timings depend on the machine.
 */
const BENCHES: Record<string, () => Promise<void>> = {
  p1: async () => (await import('./p1-runner.js')).runP1(),
  p2: async () => (await import('./p2-local.js')).runP2(),
  p3: async () => (await import('./p3-train.js')).runP3(),
  p4: async () => (await import('./p4-eval.js')).runP4(),
  p5: async () => (await import('./p5-connections.js')).runP5(),
  p9: async () => (await import('./p9-datasets.js')).runP9(),
  workers: async () => (await import('./workers.js')).runWorkers(),
};

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark '${name}' (have: ${Object.keys(BENCHES).join(', ')})`);
    process.exitCode = 2;
    continue;
  }
  console.log(`== ${name} ==`);
  await bench();
}
