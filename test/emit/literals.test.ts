/** String literals, names and layout of emitted sources, without loading anything. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { NameScope, camelName, kebabName, numberLiteral, propertyKey, stringLiteral } from '../../src/emit/literals.js';
import { WIDTH, array, call, render, splitString, str } from '../../src/emit/layout.js';
import { adversarialString } from '../support/arbitraries.js';

/** What the TypeScript compiler reads a literal expression as (transpiled, then run). */
function readBack(literal: string): unknown {
  const js = ts.transpileModule(`export default (${literal});`, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const mod: { exports: { default?: unknown } } = { exports: {} };
  new Function('module', 'exports', js)(mod, mod.exports);
  return mod.exports.default;
}

const anyText = fc.oneof(adversarialString, fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }));

describe('stringLiteral', () => {
  it('reads back as the same string for adversarial text, lone surrogates included (10,000 values)', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const lit = stringLiteral(s);
        expect(Function(`return ${lit}`)()).toBe(s);
        // One physical line, no invisible characters: safe in any editor and in diffs.
        expect(lit).not.toMatch(/[\n\r\u2028\u2029\u0000-\u001f\u007f\ufeff]/);
      }),
      { numRuns: 10_000 },
    );
  });

  it('reads back through the TypeScript compiler as well', () => {
    fc.assert(fc.property(anyText, (s) => {
      expect(readBack(stringLiteral(s))).toBe(s);
    }), { numRuns: 300 });
  });

  it('writes the usual cases readably', () => {
    expect(stringLiteral("O'Brien")).toBe('"O\'Brien"');
    expect(stringLiteral('say "hi"')).toBe("'say \"hi\"'");
    expect(stringLiteral('C:\\Windows\\*')).toBe("'C:\\\\Windows\\\\*'");
    expect(stringLiteral('${x} `y`')).toBe("'${x} `y`'");
    expect(stringLiteral('é😀\u00a0\u200b\n')).toBe("'é😀\\xA0\\u200B\\n'");
  });

  it('splits long strings into pieces that join back, never inside a surrogate pair', () => {
    fc.assert(
      fc.property(fc.array(anyText, { maxLength: 8 }).map((xs) => xs.join(' ')), fc.integer({ min: 1, max: 60 }), (s, width) => {
        const pieces = splitString(s, width);
        expect(pieces.join('')).toBe(s);
        for (const p of pieces) expect(Function(`return ${stringLiteral(p)}`)()).toBe(p);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('names and numbers', () => {
  it('makes identifiers and file names from free text', () => {
    expect(camelName('Suspicious PowerShell (encoded) Command', 'x')).toBe('suspiciousPowerShellEncodedCommand');
    expect(camelName('process.code_signature.subject_name', 'x')).toBe('processCodeSignatureSubjectName');
    expect(camelName('日本語', 'importedRule')).toBe('importedRule');
    expect(camelName('7zip usage', 'rule')).toBe('rule7zipUsage');
    expect(camelName('delete', 'x')).toBe('deleteValue');
    expect(kebabName('proc_creation_win_susp_PowerShell', 'rule')).toBe('proc-creation-win-susp-power-shell');
    expect(kebabName('../..', 'rule')).toBe('rule');
    const scope = new NameScope(['field']);
    expect([scope.claim('field'), scope.claim('a'), scope.claim('a')]).toEqual(['field2', 'a', 'a2']);
  });

  it('writes numbers that read back as the same double', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
      expect(Object.is(Function(`return ${numberLiteral(n)}`)(), n)).toBe(true);
    }));
  });

  it('quotes object keys that are not identifiers, and keeps __proto__ an own property', () => {
    expect(propertyKey('process')).toBe('process');
    expect(propertyKey('process.name')).toBe("'process.name'");
    const o = Function(`return { ${propertyKey('__proto__')}: 1 }`)() as object;
    expect(Object.keys(o)).toEqual(['__proto__']);
  });
});

describe('layout', () => {
  it('keeps short calls on one line and breaks long ones one argument per line within the width', () => {
    expect(render(call('f', str('a'), array([str('b')])), 0, 0, 0)).toBe("f('a', ['b'])");
    const long = render(call('f', array(Array.from({ length: 30 }, (_, i) => str(`value-${i}`)))), 1, 2, 1);
    expect(long.split('\n')[0]).toBe('f([');
    for (const line of long.split('\n')) expect(line.length).toBeLessThanOrEqual(WIDTH);
  });
});
