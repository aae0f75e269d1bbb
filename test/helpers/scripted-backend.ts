// The scripted backend is public (clem-ts/testing): game authors test their rules with it too.
export { fixedClock, scriptedBackend, type Script } from '../../testing/scripted-backend.js';
