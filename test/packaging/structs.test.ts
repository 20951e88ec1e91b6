import * as fs from 'fs';
import * as path from 'path';
import { CONSTRUCT_STRUCTS } from '../../lib/constructs/private/structs';
import { ROOT } from '../support/package';

/**
 * The constructs refuse any key that is not a prop of the struct it is given in, reading the known keys from
 * lib/constructs/private/structs.ts. The compiler checks each list against its interface; this test checks the lists
 * against what every jsii language sees, the assembly: every struct the assembly declares is either read by the
 * constructs with exactly its fields, or named below as one the constructs do not read. A new struct or prop cannot be
 * forgotten.
 */
const NOT_READ_BY_THE_CONSTRUCTS: Record<string, string> = {
  ApimResourceProps: 'a base of the construct props (its fields are in each of them)',
  ApimTaggedResourceProps: 'a base of the construct props (its fields are in each of them)',
  ApimNetworkProblem: 'an output: the problems of an ApimNetworkError',
  ApimFirewallDependency: 'an output of ApimFirewallDependencies.forLocation',
  ApimFinding: 'an output of the checks',
  ApimCheckOutcome: 'an output of the checks',
  ApimCheckResult: 'an output of the checks',
  ApimInventory: 'an output of the checks',
  ApimRuleInfo: 'an output of the checks',
  ApimNetworkChecksOptions: 'read by ApimNetworkChecks (lib/cdktf)',
  ApimNetworkTestingOptions: 'read by ApimNetworkTesting (lib/cdktf)',
  ApimEvaluationOptions: 'read by ApimNetworkRules (lib/checks)',
  ApimSuppression: 'read by ApimNetworkRules (lib/checks)',
};

interface JsiiType {
  readonly kind: string;
  readonly name: string;
  readonly datatype?: boolean;
  readonly properties?: Array<{ readonly name: string }>;
  readonly interfaces?: string[];
}

describe('the props each struct takes', () => {
  const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8')) as { types: Record<string, JsiiType> };
  const fields = (fqn: string): string[] => {
    const type = assembly.types[fqn];
    return [...(type.properties ?? []).map((p) => p.name), ...(type.interfaces ?? []).flatMap(fields)];
  };
  const structs = Object.entries(assembly.types).filter(([, t]) => t.kind === 'interface' && t.datatype);

  test('every struct of the assembly is read with exactly its fields, or named as one the constructs do not read', () => {
    const read = new Map(CONSTRUCT_STRUCTS.map((s) => [s.name, [...s.keys].sort()]));
    expect(structs.length).toBeGreaterThan(20);
    for (const [fqn, type] of structs) {
      if (NOT_READ_BY_THE_CONSTRUCTS[type.name]) {
        expect(read.has(type.name)).toBe(false);
        continue;
      }
      expect([type.name, read.get(type.name)]).toEqual([type.name, [...new Set(fields(fqn))].sort()]);
    }
  });

  test('every struct the constructs read is in the assembly', () => {
    const names = new Set(structs.map(([, t]) => t.name));
    expect(CONSTRUCT_STRUCTS.map((s) => s.name).filter((name) => !names.has(name))).toEqual([]);
  });
});
