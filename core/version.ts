import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../registry/package-root.js';

/** clem-ts's version from package.json (recorded in every result file's meta). */
export function clemVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
