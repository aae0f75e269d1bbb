import { ClemError, ConfigError } from '../../base/errors.js';
import type { HubSettings } from './settings.js';

/** A hub refusal or failure for one repository (or one file of it): the status, and a message that says what to do. */
export class HubFileError extends ClemError {
  readonly code = 'hub';
  constructor(
    readonly repo: string,
    readonly path: string | undefined,
    readonly status: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown }).statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** The hub's own words (its JSON `error`), without the URL and request id @huggingface/hub appends. */
function hubMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/\. URL: .*$/s, '');
}

/**
 * Turns a failure of a hub call into an error that says what to do: a gated or private repository (401/403)
 * names the page that grants access and how to pass a token (never the token); 404 names the id and revision to
 * check; a network failure names the endpoint and HF_HUB_OFFLINE. Errors that are already ours pass through.
 */
export function hubErrorFor(e: unknown, repo: string, settings: HubSettings, path?: string, revision?: string): Error {
  if (e instanceof ClemError) return e;
  const status = statusOf(e);
  const page = `${settings.endpoint}/${repo}`;
  const what = path === undefined ? repo : `${repo}/${path}`;
  // The hub answers 401 to anonymous callers for a repository that does not exist (or is private).
  const missingRepo = (status === 401 || status === 404) && /repository not found/i.test(hubMessage(e));
  const login = `create a read token at ${settings.endpoint}/settings/tokens and set HF_TOKEN (or run \`huggingface-cli login\`)`;
  if (status === 404 || missingRepo) {
    const rev = revision === undefined ? '' : ` at revision '${revision}'`;
    return new HubFileError(repo, path, status, `${what}: not found on ${settings.endpoint}${rev}. Check the id (and model_config.revision); a private repository also needs HF_TOKEN.`, {
      cause: e,
    });
  }
  if (status === 401 && settings.token === undefined) {
    return new HubFileError(repo, path, status, `${what}: the hub asks for a login (401: the repository is gated or private). Accept its terms at ${page} while logged in, ${login}, then run again.`, { cause: e });
  }
  if (status === 401) {
    return new HubFileError(
      repo,
      path,
      status,
      `${what}: the hub refused the token from ${settings.tokenSource ?? 'the environment'} (401). Check that it is valid at ${settings.endpoint}/settings/tokens; if the model is gated, request access at ${page}.`,
      { cause: e },
    );
  }
  if (status === 403) {
    return new HubFileError(
      repo,
      path,
      status,
      `${what}: your account has no access yet (403: gated model). Request access at ${page} (approval can take a while), then run again. The hub says: ${hubMessage(e)}`,
      { cause: e },
    );
  }
  if (status !== undefined) return new HubFileError(repo, path, status, `${what}: the hub answered ${status}: ${hubMessage(e)}`, { cause: e });
  const reason = e instanceof Error ? `${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}` : String(e);
  return new HubFileError(
    repo,
    path,
    undefined,
    `${what}: could not reach ${settings.endpoint}: ${reason}. Check the network (or HF_ENDPOINT); with the files already in the cache, HF_HUB_OFFLINE=1 uses them without asking the hub.`,
    { cause: e },
  );
}

/** The error for HF_HUB_OFFLINE=1 when the cache lacks what is needed. */
export function offlineMissing(repo: string, revision: string, settings: HubSettings, detail: string): ConfigError {
  return new ConfigError(
    `${repo}@${revision}: HF_HUB_OFFLINE is set and the cache (${settings.cacheDir}) does not hold the model: ${detail}. ` +
      'Unset HF_HUB_OFFLINE to download it, or download it where the hub is reachable and copy the cache folder here.',
  );
}
