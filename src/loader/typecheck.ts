/**
 * Type-checks rule sources with the TypeScript compiler (through ts-morph) before anything runs:
 * a misspelt ECS field or a number compared with a keyword stops the build at its line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Project, ts } from 'ts-morph';
import { codeFrame, type Diagnostic } from '../diagnostics.js';

function findTsconfig(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export function typecheckRules(files: readonly string[], rulesDir: string): Diagnostic[] {
  const tsConfigFilePath = findTsconfig(rulesDir);
  const project =
    tsConfigFilePath === undefined
      ? new Project({ compilerOptions: { strict: true, module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true, skipLibCheck: true } })
      : new Project({ tsConfigFilePath, skipAddingFilesFromTsConfig: true });
  for (const f of files) project.addSourceFileAtPath(f);
  const out: Diagnostic[] = [];
  for (const d of project.getPreEmitDiagnostics()) {
    const message = ts.flattenDiagnosticMessageText(d.compilerObject.messageText, '\n');
    const source = d.getSourceFile();
    const start = d.getStart();
    if (source === undefined || start === undefined) {
      out.push({ code: `SIEMC-TS${d.getCode()}`, severity: 'error', message });
      continue;
    }
    const { line, column } = source.getLineAndColumnAtPos(start);
    const file = source.getFilePath();
    out.push({
      code: `SIEMC-TS${d.getCode()}`,
      severity: 'error',
      message,
      location: { file, line, column },
      frame: codeFrame(readFileSync(file, 'utf8'), line, column),
    });
  }
  return out;
}
