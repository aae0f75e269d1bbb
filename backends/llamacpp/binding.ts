import { ConfigError } from '../../base/errors.js';

/** The node-llama-cpp module, as its own type declarations describe it (a devDependency supplies them at build time). */
export type NodeLlamaCpp = typeof import('node-llama-cpp');
export type Llama = import('node-llama-cpp').Llama;

/** The version the backend is built and tested against (package.json pins the same). */
export const NODE_LLAMA_CPP_VERSION = '3.21.1';

/** The one command that adds the optional binding. */
export const INSTALL_HINT = `npm install node-llama-cpp@${NODE_LLAMA_CPP_VERSION}`;

/**
 * Imports node-llama-cpp on first use (it is an optional peer dependency: several hundred MB of prebuilt
 * binaries that only users of this backend need). Throws ConfigError naming the command that installs it.
 */
export async function importNodeLlamaCpp(modelName: string, load: () => Promise<unknown> = () => import('node-llama-cpp')): Promise<NodeLlamaCpp> {
  try {
    return (await load()) as NodeLlamaCpp;
  } catch (e) {
    const missing = (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (package|module) 'node-llama-cpp'/.test(String(e));
    if (!missing) throw e;
    throw new ConfigError(`${modelName}: the llamacpp backend needs node-llama-cpp, an optional dependency that is not installed. Add it with \`${INSTALL_HINT}\`.`, { cause: e });
  }
}

/**
 * Process-wide llama.cpp instances, one per compute mode: node-llama-cpp loads its native binding once, and
 * every model of a run shares it. The one place where this backend keeps state beyond a model.
 */
const instances = new Map<string, Promise<Llama>>();

/**
 * The llama.cpp instance for `gpu` ('auto' finds CUDA, Vulkan or Metal when present; false is CPU only), using only
 * the prebuilt binaries (never a build at run time, never a download). A failed load is evicted so a later call
 * can retry.
 */
export function llamaInstance(lib: NodeLlamaCpp, gpu: 'auto' | false): Promise<Llama> {
  const key = String(gpu);
  let p = instances.get(key);
  if (!p) {
    p = lib.getLlama({ gpu, build: 'never', skipDownload: true, progressLogs: false, logLevel: lib.LlamaLogLevel.error });
    p.catch(() => instances.delete(key));
    instances.set(key, p);
  }
  return p;
}
