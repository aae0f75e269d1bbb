import { ConfigError } from '../base/errors.js';

/**
 * The local runtimes: transformers.js and the ONNX Runtime it runs on. They are optional peer dependencies of the
 * package (about 450 MB with onnxruntime-web and sharp), needed only by local models (`transformers` backend) and
 * the built-in trainer; API and programmatic players run without them. The versions are the ones transformers.js
 * pins together, so that one onnxruntime-node is installed (package.test.ts checks them against package.json).
 */
export const LOCAL_RUNTIMES = { '@huggingface/transformers': '4.3.1', 'onnxruntime-node': '1.30.0' } as const;

/** The one command that adds the local runtimes to a project that installed clem-ts. */
export const LOCAL_RUNTIMES_INSTALL = `npm install ${Object.entries(LOCAL_RUNTIMES).map(([name, version]) => `${name}@${version}`).join(' ')}`;

function missingPackage(e: unknown): string | undefined {
  if (!(e instanceof Error) || (e as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  return Object.keys(LOCAL_RUNTIMES).find((name) => e.message.includes(`'${name}'`));
}

/**
 * Imports a module that needs the local runtimes (`load` is a dynamic `import()` of it) and returns it. When one
 * of them is not installed, throws a ConfigError that names `what` needed it and the command that adds them;
 * any other failure is rethrown as it is.
 */
export async function importLocalRuntime<T>(what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const missing = missingPackage(e);
    if (missing === undefined) throw e;
    throw new ConfigError(
      `${what} needs the local runtimes (${Object.keys(LOCAL_RUNTIMES).join(' and ')}), and ${missing} is not installed. ` +
        `Add them to your project with: ${LOCAL_RUNTIMES_INSTALL}` +
        ' (offline, or on a machine without CUDA, prefix it with ONNXRUNTIME_NODE_INSTALL=skip)',
      { cause: e },
    );
  }
}
