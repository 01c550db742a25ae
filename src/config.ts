/** The project configuration file, siemc.config.json, next to rules/ (all of it optional). */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { UserError } from './user-error.js';

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
  if (statSync(path).isDirectory()) throw new UserError(`${path} is a folder; siemc reads its project settings from a JSON file of that name.`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UserError(`${path} is not valid JSON (${(e as Error).message}); fix it or delete it to use the defaults.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`${path} must hold a JSON object of settings.`);
  return value as ProjectConfig;
}
