import { describe, expect, it } from 'vitest';
import { ModelSpecSchema } from '../../registry/model-spec.js';
import { thrownMessage } from '../../test/helpers/errors.js';
import type { Backend, GenerateRequest, GenerateResult } from '../backend.js';
import { createProgrammaticBackend } from './index.js';
import type { Program } from './program.js';

/** A model that says what it was asked, with usage and a price, and remembers whether it was closed. */
function fakeModel(name: string, costUsd: number | null = 0.25): Backend & { requests: GenerateRequest[]; closed: boolean } {
  const requests: GenerateRequest[] = [];
  const model = {
    name,
    requests,
    closed: false,
    capabilities: { score: false, logprobs: false, n: false, seed: false, batching: false },
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      requests.push(request);
      return {
        choices: [{ text: `model says: ${request.messages.at(-1)?.content ?? ''}`, finish: 'length', reasoning: 'thought' }],
        usage: { inputTokens: 11, outputTokens: 3 },
        latencyMs: 5,
        call: { request: { model: name }, response: { id: 'r1' } },
        warnings: ['seed ignored'],
        costUsd,
      };
    },
    async close() {
      model.closed = true;
    },
  };
  return model;
}

/** Answers "known" itself and hands everything else to its fallback model. */
const picky: Program = {
  name: 'picky',
  description: 'test program',
  respond: (request, signal, context) => {
    const last = request.messages.at(-1)?.content ?? '';
    return last === 'known' || !context ? 'I know this' : context.handOff(request, signal);
  },
};

const spec = ModelSpecSchema.parse({ model_name: 'picky+model', backend: 'programmatic', model_config: { program: 'picky' } });
const ask = (b: Backend, content: string, n = 1) => b.generate({ messages: [{ role: 'user', content }], args: { n, temperature: 0.3 } });

describe('a program with a fallback model', () => {
  it('hands a turn to the model: the choice names it, and its usage, cost, warnings and call are the reply\'s', async () => {
    const model = fakeModel('model');
    const backend = createProgrammaticBackend(spec, new Map([['picky', picky]]), () => 0, { backend: model, owned: false });
    const own = await ask(backend, 'known');
    expect(own).toMatchObject({ choices: [{ text: 'I know this', finish: 'stop' }], usage: { inputTokens: 0, outputTokens: 0 }, costUsd: null, warnings: [] });
    expect(own.choices[0]?.model).toBeUndefined();
    expect(model.requests).toHaveLength(0);

    const handed = await ask(backend, 'unknown', 2);
    expect(handed.choices).toEqual([
      { text: 'model says: unknown', finish: 'length', model: 'model', reasoning: 'thought' },
      { text: 'model says: unknown', finish: 'length', model: 'model', reasoning: 'thought' },
    ]);
    expect(handed).toMatchObject({ usage: { inputTokens: 22, outputTokens: 6 }, costUsd: 0.5, warnings: ['seed ignored', 'seed ignored'] });
    expect(handed.call).toEqual({
      request: { program: 'picky', context: 'unknown', handed_to: 'model', fallback_request: { model: 'model' } },
      response: { text: 'model says: unknown', fallback_response: { id: 'r1' } },
    });
    // the model gets the player's request as it is, one choice at a time
    expect(model.requests.map((r) => r.args)).toEqual([{ n: 1, temperature: 0.3 }, { n: 1, temperature: 0.3 }]);
    expect((await ask(createProgrammaticBackend(spec, new Map([['picky', picky]]), () => 0, { backend: fakeModel('free', null), owned: false }), 'x')).costUsd).toBeNull();
  });

  it('closes the model only when it created it; without a model, handing off says how to configure one', async () => {
    const shared = fakeModel('shared');
    await createProgrammaticBackend(spec, new Map([['picky', picky]]), () => 0, { backend: shared, owned: false }).close();
    expect(shared.closed).toBe(false);
    const owned = fakeModel('owned');
    await createProgrammaticBackend(spec, new Map([['picky', picky]]), () => 0, { backend: owned, owned: true }).close();
    expect(owned.closed).toBe(true);

    const handsOffAlways: Program = { name: 'always', description: 'test', respond: (request, signal, context) => (context as NonNullable<typeof context>).handOff(request, signal) };
    const alone = createProgrammaticBackend(spec, new Map([['picky', handsOffAlways]]));
    expect(await ask(alone, 'known').then(() => '', (e: unknown) => (e as Error).message)).toBe(
      "model 'picky+model' has no fallback model to hand a turn to (set model_config.fallback_model, or name it as picky+model+<model>)",
    );
    expect(thrownMessage(() => createProgrammaticBackend(ModelSpecSchema.parse({ model_name: 'x', backend: 'programmatic' }), new Map()))).toMatch(/^unknown program 'x'/);
  });
});
