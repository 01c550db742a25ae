/**
 * Elastic's detection-rules TOML files (github.com/elastic/detection-rules `rules/`): one rule
 * per file. Single-event EQL and KQL (query, new_terms, threshold) rules are imported; the other
 * types get one diagnostic naming why. docs/importing-elastic.md lists the diagnostics.
 */
import type { ProjectConfig } from '../config.js';
import { convertElasticToml, type ElasticImportOptions } from '../frontends/elastic/convert.js';
import type { Importer } from './importer.js';

export function elasticImporter(options: ElasticImportOptions = {}): Importer {
  return {
    name: 'elastic',
    title: 'Elastic detection rules (TOML)',
    accepts: (path) => path.endsWith('.toml'),
    importFile(path, text) {
      const { rule, diagnostics } = convertElasticToml(path, text, options);
      return { rules: rule === undefined ? [] : [rule], diagnostics };
    },
    configure: (config: ProjectConfig) => elasticImporter({ ...options, ...(config.fields === undefined ? {} : { fields: config.fields }) }),
  };
}

export const elastic: Importer = elasticImporter();
