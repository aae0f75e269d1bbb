/**
 * clem-ts/testing: what a game author tests a game with. `checkGame` is the shared suite every game must pass
 * (instances validate, the generator is reproducible, the mock plays, every episode scores and replays);
 * `playScripted` plays one instance with scripted replies to test the rules.
 */
export { checkGame, GameCheckError, type CheckGameOptions, type GameCheck, type GameCheckReport } from './testing/check-game.js';
export { playScripted, playLive, type LiveEpisode } from './testing/play.js';
export { scriptedBackend, fixedClock, type Script } from './testing/scripted-backend.js';
