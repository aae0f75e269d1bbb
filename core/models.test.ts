import { describe, expect, it } from 'vitest';
import type { LocatedGameSpec } from '../registry/game-spec.js';
import type { ModelSpec } from '../registry/model-spec.js';
import { thrownMessage } from '../test/helpers/errors.js';
import { assignRoles } from './models.js';

const game = (roles: string[], default_models?: Record<string, string>): LocatedGameSpec =>
  ({ game_name: 'g', description: '', players: roles.length, roles, main_game: 'g', languages: [], benchmark: [], instances: 'instances', game_path: '/g', lookup_source: 'x', ...(default_models ? { default_models } : {}) }) as LocatedGameSpec;
const model = (model_name: string): ModelSpec => ({ model_name, backend: 'programmatic' });
const registry = [model('a'), model('b'), model('oracle')];
const names = (ms: ModelSpec[]): string[] => ms.map((m) => m.model_name);

describe('assignRoles', () => {
  it('one model plays every role (self-play); several are assigned in order', () => {
    expect(names(assignRoles(game(['Q', 'A']), [model('a')], registry))).toEqual(['a', 'a']);
    expect(names(assignRoles(game(['Q', 'A']), [model('a'), model('b')], registry))).toEqual(['a', 'b']);
  });

  it("fills a role from the game's default_models before self-play", () => {
    expect(names(assignRoles(game(['Q', 'A'], { A: 'oracle' }), [model('a')], registry))).toEqual(['a', 'oracle']);
    expect(names(assignRoles(game(['Q', 'A'], { A: 'oracle' }), [model('a'), model('b')], registry))).toEqual(['a', 'b']);
  });

  it('--role-model fills an open role before the game default, and may not contradict -m', () => {
    expect(names(assignRoles(game(['Q', 'A'], { A: 'oracle' }), [model('a')], registry, { A: 'b' }))).toEqual(['a', 'b']);
    expect(names(assignRoles(game(['Q', 'A']), [model('a')], registry, { A: 'oracle' }))).toEqual(['a', 'oracle']);
    expect(thrownMessage(() => assignRoles(game(['Q', 'A']), [model('a'), model('b')], registry, { A: 'oracle' }))).toBe(
      "game 'g': role 'A' is given twice, by -m (b) and by --role-model (oracle)",
    );
  });

  it('refuses too many models, none, or a role left without one', () => {
    expect(thrownMessage(() => assignRoles(game(['Q', 'A']), [model('a'), model('b'), model('a')], registry))).toBe(
      "game 'g' has 2 role(s) (Q, A), but -m named 3 models",
    );
    expect(thrownMessage(() => assignRoles(game(['Q']), [], registry))).toBe("game 'g': no model given (-m)");
    expect(thrownMessage(() => assignRoles(game(['Q', 'A', 'J']), [model('a'), model('b')], registry))).toBe(
      "game 'g': no model for role 'J' (give 3 models with -m, one per role: Q, A, J)",
    );
  });
});
