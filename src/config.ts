/** The project configuration file, siemc.config.json, next to rules/ (all of it optional). */
import { existsSync, readFileSync } from 'node:fs';

export interface SplunkSource {
  readonly index: string;
  readonly sourcetype?: string;
}

export interface ProjectConfig {
  readonly splunk?: {
    /** Elasticsearch index pattern of a rule -> Splunk index and sourcetype to search. */
    readonly sources?: { readonly [indexPattern: string]: SplunkSource };
  };
  readonly sigma?: {
    /** Field names in emitted Sigma rules: ECS as written (default) or the Sigma taxonomy where a mapping exists. */
    readonly fieldNames?: 'ecs' | 'sigma';
  };
}

export const CONFIG_FILE = 'siemc.config.json';

export function loadConfig(path = CONFIG_FILE): ProjectConfig {
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ProjectConfig;
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${(e as Error).message}`);
  }
}
