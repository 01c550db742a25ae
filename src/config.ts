/** The project configuration file, siemc.config.json, next to rules/ (all of it optional). */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass } from 'ajv';
import type { FieldType } from './ir/nodes.js';
import { UserError } from './user-error.js';

export interface SplunkSource {
  readonly index: string;
  readonly sourcetype?: string;
}

export interface AcceptedApproximation {
  readonly code: string;
  readonly target?: string;
  readonly rule?: string;
  readonly reason: string;
}

export interface ProjectConfig {
  readonly splunk?: {
    /** Elasticsearch index pattern of a rule -> Splunk index and sourcetype to search. */
    readonly sources?: { readonly [indexPattern: string]: SplunkSource };
  };
  /**
   * Field types beyond ECS (integration fields: aws.cloudtrail.*, okta.*, ...), read before ECS
   * by frontends and importers (src/schema/fields.ts). An unknown field is read as keyword.
   */
  readonly fields?: { readonly [name: string]: FieldType };
  /**
   * Approximations the team has reviewed and accepts, as linters take suppressions: each names a
   * code and, optionally, a target and a rule, with the reason. Accepted ones are counted, not
   * printed, and never fail --strict.
   */
  readonly accept?: readonly AcceptedApproximation[];
  readonly sigma?: {
    /** Field names in emitted Sigma rules: ECS as written (default) or the Sigma taxonomy where a mapping exists. */
    readonly fieldNames?: 'ecs' | 'sigma';
    /**
     * `siemc` (default): the rule as written. `sigmahq`: SigmaHQ's idiom: conditions the log
     * source states lifted into `logsource` (src/backends/sigma/metadata.ts, impliedConditions)
     * and edge wildcards written as `|startswith`/`|endswith`/`|contains`.
     */
    readonly idiom?: 'siemc' | 'sigmahq';
    /**
     * `exact` (default for `siemc build`): `|cased` and `|exists` as the rule means them;
     * `portable`: forms pySigma's Splunk, Lucene and EQL backends all convert (docs/publishing.md).
     */
    readonly mode?: SigmaMode;
  };
  readonly publish?: {
    /**
     * Whether published rules start enabled, the same for every target (Kibana `enabled`,
     * Splunk `disabled`); default false: importing rules should not start alerting by itself.
     */
    readonly enabled?: boolean;
    readonly sigma?: {
      /** Published Sigma rules: `portable` (default) or `exact` (docs/publishing.md). */
      readonly mode?: SigmaMode;
    };
  };
}

export type SigmaMode = 'exact' | 'portable';

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
  const problem = configProblem(value);
  if (problem !== undefined) throw new UserError(`${path}: ${problem} (see ${SCHEMA_FILE} in the siemc package).`);
  return value as ProjectConfig;
}

/** The JSON schema of siemc.config.json, shipped in the package so editors complete the file. */
export const SCHEMA_FILE = 'schema/siemc.config.schema.json';

let validator: ((value: unknown) => string | undefined) | undefined;

/** The first way `value` breaks the schema, as a phrase, or undefined when it fits. */
export function configProblem(value: unknown): string | undefined {
  if (validator === undefined) {
    const schema = JSON.parse(readFileSync(new URL(`../${SCHEMA_FILE}`, import.meta.url), 'utf8')) as object;
    // Ajv only when there is a file to check (most builds have none).
    const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
    const check = new Ajv({ allErrors: false, strict: false }).compile(schema);
    validator = (v) => {
      if (check(v)) return undefined;
      const e = check.errors?.[0];
      if (e === undefined) return 'does not fit the schema';
      const where = e.instancePath === '' ? 'the top level' : e.instancePath.slice(1).replaceAll('/', '.');
      const extra = e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"` : '';
      return `${where} ${e.message ?? 'is not valid'}${extra}`;
    };
  }
  return validator(value);
}

/** The reason the config gives for accepting this approximation, if it does. */
export function acceptance(config: ProjectConfig, d: { readonly code: string; readonly target?: string; readonly rule?: string }): string | undefined {
  return config.accept?.find((a) => a.code === d.code && (a.target === undefined || a.target === d.target) && (a.rule === undefined || a.rule === d.rule))?.reason;
}
