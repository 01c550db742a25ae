/** The public API for rule authors. */
export { all, any, not, type Condition } from './dsl/condition.js';
export { field, customField, type EcsFieldName, type Glob } from './dsl/fields.js';
export { pattern, literal, anyRun, oneChar } from './dsl/patterns.js';
export {
  defineRule,
  markdown,
  type Rule,
  type RuleSpec,
  type RuleTest,
  type MitreTactic,
  type MitreTechnique,
  type Severity,
  type RuleStatus,
  type KibanaLanguage,
  type ElasticRuleParameters,
} from './dsl/rule.js';
