/** Files of the SigmaHQ corpus, in a stable order. */
import { filesUnder } from '../../src/util/files.js';

export function yamlFiles(root: string): string[] {
  return filesUnder(root, (_, name) => /\.ya?ml$/.test(name));
}
