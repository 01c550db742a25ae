/**
 * The KQL frontend: Kibana's grammar (parse.ts), the Query DSL Kibana's detection engine sends
 * (kibana-dsl.ts) and its meaning as IR (lower.ts).
 */
import type { Node } from '../../ir/nodes.js';
import { lowerKql, type KqlLowerContext } from './lower.js';
import { parseKql } from './parse.js';

export { kibanaDsl, escapeQueryString } from './kibana-dsl.js';
export { KqlUnsupported, lowerKql, type KqlLowerContext, type KqlWarning } from './lower.js';
export { KqlSyntaxError, parseKql, type KqlAst, type KqlLiteral } from './parse.js';

/** Parses and lowers a KQL query; throws KqlSyntaxError or KqlUnsupported. */
export function kqlToIr(text: string, ctx: KqlLowerContext): Node {
  return lowerKql(parseKql(text), ctx);
}
