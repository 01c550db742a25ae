/**
 * The field schema layer: which type a field has. ECS is built in (generated from @elastic/ecs);
 * a project declares the rest (integration fields such as aws.cloudtrail.* or okta.*) in
 * siemc.config.json `fields`. Frontends and the DSL ask here instead of reading the ECS table themselves.
 */
import type { FieldType } from '../ir/nodes.js';
import { ecsFieldTypes } from './ecs-fields.generated.js';

export { ecsFieldTypes };

export type DeclaredFields = Readonly<Record<string, FieldType>>;

const ECS: DeclaredFields = ecsFieldTypes;
const own = (table: DeclaredFields, name: string): FieldType | undefined =>
  Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;

/** A field's type: the project's declared fields first, then ECS; undefined when neither knows it. */
export function fieldType(name: string, declared: DeclaredFields = {}): FieldType | undefined {
  return own(declared, name) ?? own(ECS, name);
}

/**
 * A field-type lookup for frontends reading foreign rules: declared fields, then ECS, else
 * `keyword` (what most custom string fields are). It remembers the names it had to default, so
 * the caller can say so in one diagnostic per rule.
 */
export class FieldSchema {
  private readonly defaulted = new Set<string>();

  constructor(private readonly declared: DeclaredFields = {}) {}

  readonly typeOf = (name: string): FieldType => {
    const known = fieldType(name, this.declared);
    if (known !== undefined) return known;
    this.defaulted.add(name);
    return 'keyword';
  };

  /** The fields read as keyword because nothing declared them, in first-use order. */
  unknownFields(): readonly string[] {
    return [...this.defaulted];
  }
}
