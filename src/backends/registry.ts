/** Every target siemc compiles to. Adding a backend is one folder and one line here. */
import type { Backend } from './backend.js';
import { eql } from './eql/index.js';
import { esdsl } from './esdsl/index.js';
import { kql } from './kql/index.js';
import { sigma } from './sigma/index.js';
import { spl } from './spl/index.js';

export const backends: readonly Backend[] = [
  esdsl,
  eql,
  kql,
  spl,
  sigma,
];

export function backendNamed(name: string): Backend | undefined {
  return backends.find((b) => b.name === name);
}
