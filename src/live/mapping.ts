/**
 * Index mappings for checking rules on a real Elasticsearch. Field types come from the IR
 * (that is, from ECS). Types that need modules the test distribution lacks (wildcard,
 * match_only_text, constant_keyword, scaled_float) are mapped to their closest core type:
 * keyword for the string types, double for scaled_float. Keyword fields get no `ignore_above`,
 * so long values stay searchable, as the evaluator assumes.
 */
import { assertNever, familyOf, type Field, type FieldType } from '../ir/nodes.js';

type Mapping = { type: string } | { properties: Properties };
type Properties = { [name: string]: Mapping };

export function coreType(type: FieldType): string {
  const family = familyOf(type);
  switch (family) {
    case 'string':
      return 'keyword';
    case 'number':
      return type === 'scaled_float' ? 'double' : type;
    case 'boolean':
    case 'ip':
    case 'date':
      return type;
    case 'other':
      return type === 'geo_point' ? type : 'object';
    default:
      return assertNever(family, 'field family');
  }
}

/** `{ properties }` for the given fields, dotted names expanded into objects. */
export function mappingFor(fields: readonly Field[]): { dynamic: false; properties: Properties } {
  const root: Properties = {};
  for (const f of fields) {
    const segments = f.name.split('.');
    let props = root;
    segments.forEach((seg, i) => {
      if (i === segments.length - 1) {
        props[seg] = { type: coreType(f.type) };
        return;
      }
      const existing = props[seg];
      if (existing === undefined || !('properties' in existing)) props[seg] = { properties: {} };
      props = (props[seg] as { properties: Properties }).properties;
    });
  }
  // Unknown event fields are kept in _source but not indexed: they cannot break a bulk request.
  return { dynamic: false, properties: root };
}
