/** The Sigma importer: `siemc import sigma FILES...` (src/frontends/sigma does the work). */
import { DEFAULT_SIGMA_OPTIONS, importSigma, type SigmaImportOptions } from '../frontends/sigma/index.js';
import type { Importer } from './importer.js';

export function sigmaImporter(options: SigmaImportOptions = DEFAULT_SIGMA_OPTIONS): Importer {
  return {
    name: 'sigma',
    title: 'Sigma YAML',
    accepts: (path) => /\.ya?ml$/i.test(path),
    importFile: (path, text) => importSigma(path, text, options),
  };
}

export const sigma: Importer = sigmaImporter();
