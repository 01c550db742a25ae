/** Every importer `siemc import` knows. Adding one is one module and one line here. */
import { elastic } from './elastic.js';
import type { Importer } from './importer.js';
import { sigma } from './sigma.js';

export const importers: readonly Importer[] = [
  sigma,
  elastic,
];

export function importerNamed(name: string): Importer | undefined {
  return importers.find((i) => i.name === name);
}
