/**
 * The field schema layer: which type a field has. ECS is built in (generated from @elastic/ecs);
 * frontends and the DSL ask here instead of reading the ECS table themselves.
 */
import type { FieldType } from '../ir/nodes.js';
import { ecsFieldTypes } from './ecs-fields.generated.js';

export { ecsFieldTypes };

/** A field's type: the project's declared fields first, then ECS; undefined when neither knows it. */
export function fieldType(name: string, declared: Readonly<Record<string, FieldType>> = {}): FieldType | undefined {
  return declared[name] ?? (ecsFieldTypes as Readonly<Record<string, FieldType>>)[name];
}
