/**
 * What each stack's checks read of the app's other stacks, and what they leave unread: a stack that holds no resource
 * that can point at a network (a standalone rule, a route, an association) is not modelled, and one section of a
 * stack's document resolves only the elements that write it. Nothing read is kept from one stack's checks to the next:
 * a stack changed after another stack's checks read it is read as it is now.
 */
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import {
  App, Aspects, DataTerraformRemoteStateLocal, IAspect, LocalBackend, TerraformElement, TerraformLocal, TerraformOutput, TerraformStack,
  TerraformVariable, Testing,
} from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ApimNetworkChecks, ApimNetworkTesting } from '../../lib';
import { stackDocument } from '../../lib/cdktf/document';
import { connected } from '../support/connected';

function app(): App {
  return new App({ outdir: Testing.app().outdir, stackTraces: false });
}

function stackIn(scope: Construct, id: string): TerraformStack {
  const stack = new TerraformStack(scope, id);
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  return stack;
}

/** Stacks net, then each of `between`, then api; the library's network in net, connected to the APIM in api. */
function layout(between: string[] = []): { a: App; net: TerraformStack; api: TerraformStack; others: TerraformStack[] } {
  const a = app();
  const net = stackIn(a, 'net');
  const others = between.map((id) => stackIn(a, id));
  const api = stackIn(a, 'api');
  connected(net, api);
  return { a, net, api, others };
}

/** The body of a standalone rule denying the management port on the network's NSG, named literally. */
const DENY_MANAGEMENT = {
  name: 'deny-management', priority: 100, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', source_port_range: '*',
  destination_port_range: '3443', source_address_prefix: '*', destination_address_prefix: '*',
  network_security_group_name: 'nsg-contoso-apim-westeurope', resource_group_name: 'rg',
};

function denyManagement(stack: TerraformStack, id = 'deny-management'): NetworkSecurityRule {
  return new NetworkSecurityRule(stack, id, {
    name: DENY_MANAGEMENT.name, priority: 100, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', sourcePortRange: '*',
    destinationPortRange: '3443', sourceAddressPrefix: '*', destinationAddressPrefix: '*',
    networkSecurityGroupName: DENY_MANAGEMENT.network_security_group_name, resourceGroupName: 'rg',
  });
}

/** An aspect that changes nothing (but is not known to be read-only). */
class Noop implements IAspect {
  public visit(): void {}
}

const SHADOWED = /APIM-NSG-SHADOWED\[Inbound:ApiManagement:3443\]/;

describe('a stack that holds nothing that can point at a network', () => {
  test('is not modelled by another stack\'s checks: not even its provider or its output is turned into JSON', () => {
    const s = layout();
    // Created last: net's and api's checks both run before its own turn (which reads it, and writes it).
    const bystander = stackIn(s.a, 'bystander');
    new NetworkSecurityGroup(bystander, 'nsg', { name: 'nsg-other', location: 'westeurope', resourceGroupName: 'rg' });
    const output = new TerraformOutput(bystander, 'out', { value: 'text' });
    const provider = bystander.node.findAll().find((c) => c instanceof AzurermProvider) as AzurermProvider;
    // Their toTerraform calls synthesizeAttributes (spying on toTerraform itself would give each another toTerraform).
    const calls = [provider, output].map((element) => jest.spyOn(element as unknown as { synthesizeAttributes: () => unknown }, 'synthesizeAttributes'));
    const counts = () => calls.map((c) => c.mock.calls.length);
    // Registered before the checks: runs at the start of net's validations (after cdktf prepared every stack).
    let atStart: number[] = [];
    s.net.node.addValidation({ validate: () => {
      atStart = counts();
      return [];
    } });
    ApimNetworkChecks.applyTo(s.a);
    // Registered after the checks: runs just after api's checks, before bystander's turn.
    let atEnd: number[] = [];
    s.api.node.addValidation({ validate: () => {
      atEnd = counts();
      return [];
    } });
    s.a.synth();
    expect(atStart.length).toBe(2);
    expect(atEnd).toEqual(atStart);
    // Its own turn read and wrote it.
    expect(counts()).not.toEqual(atStart);
  });

  test('one whose aspects have not run is not read as it stands either', () => {
    const s = layout();
    const late = stackIn(s.a, 'late');
    Aspects.of(late).add(new Noop());
    new NetworkSecurityGroup(late, 'nsg', { name: 'nsg-other', location: 'westeurope', resourceGroupName: 'rg' });
    const provider = late.node.findAll().find((c) => c instanceof AzurermProvider) as AzurermProvider;
    const calls = jest.spyOn(provider as unknown as { synthesizeAttributes: () => unknown }, 'synthesizeAttributes');
    let atStart = -1;
    s.net.node.addValidation({ validate: () => {
      atStart = calls.mock.calls.length;
      return [];
    } });
    ApimNetworkChecks.applyTo(s.a);
    let atEnd = -2;
    s.api.node.addValidation({ validate: () => {
      atEnd = calls.mock.calls.length;
      return [];
    } });
    s.a.synth();
    expect(atEnd).toBe(atStart);
  });

  test('an element of another class that writes a standalone rule into the resource section is still read', () => {
    // Not a TerraformResource: its rule is in the document's resource section all the same (an escape hatch).
    class RawRule extends TerraformElement {
      public toTerraform(): any {
        return { resource: { azurerm_network_security_rule: { raw_deny: DENY_MANAGEMENT } } };
      }
    }
    const s = layout(['sec']);
    new RawRule(s.others[0], 'raw');
    ApimNetworkChecks.applyTo(s.a);
    expect(() => s.a.synth()).toThrow(SHADOWED);
  });

  test('an output whose toTerraform is its own (a subclass) is turned into JSON: a rule it writes is read', () => {
    class OutputWithRule extends TerraformOutput {
      public toTerraform(): any {
        return { ...super.toTerraform(), resource: { azurerm_network_security_rule: { out_deny: DENY_MANAGEMENT } } };
      }
    }
    const s = layout(['sec']);
    new OutputWithRule(s.others[0], 'out', { value: 'text' });
    ApimNetworkChecks.applyTo(s.a);
    expect(() => s.a.synth()).toThrow(SHADOWED);
  });
});

test('each section of a stack\'s document is the section of the whole document', () => {
  const a = app();
  const other = stackIn(a, 'other');
  const stack = stackIn(a, 'stack');
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  const variable = new TerraformVariable(stack, 'subnet_id', { type: 'string' });
  new TerraformLocal(stack, 'names', { first: variable.stringValue, list: ['a', 'b'] });
  new TerraformOutput(stack, 'id', { value: variable.stringValue, description: 'the subnet' });
  new TerraformOutput(stack, 'plain', { value: 'text' });
  new DataTerraformRemoteStateLocal(stack, 'state', { path: 'other.tfstate' });
  const nsg = new NetworkSecurityGroup(other, 'nsg', { name: 'nsg', location: 'westeurope', resourceGroupName: 'rg' });
  // A cross-stack reference: an output in `other`, remote state in `stack`.
  new TerraformOutput(stack, 'remote', { value: nsg.name });
  a.synth();
  const whole = JSON.parse(JSON.stringify(stack.toTerraform())) as Record<string, unknown>;
  const document = stackDocument(stack);
  for (const kind of ['terraform', 'provider', 'variable', 'locals', 'output']) {
    expect(JSON.parse(JSON.stringify(document.section(kind) ?? null))).toEqual(whole[kind] ?? null);
  }
  const data = (whole.data ?? {}) as Record<string, Record<string, unknown>>;
  expect(document.names('data', 'terraform_remote_state').sort()).toEqual(Object.keys(data.terraform_remote_state ?? {}).sort());
  expect(stackDocument(stack).toJSON()).toEqual(document.toJSON());
});

describe('nothing read of another stack is kept from one stack\'s checks to the next', () => {
  test('a rule added to a third stack between two synths of the same App is read by the second', () => {
    const s = layout(['sec']);
    ApimNetworkChecks.applyTo(s.a);
    s.a.synth();
    denyManagement(s.others[0]);
    expect(() => s.a.synth()).toThrow(SHADOWED);
  });

  test('a rule added to a third stack by a validation registered after the checks is read by a later stack\'s checks', () => {
    const s = layout(['sec']);
    ApimNetworkChecks.applyTo(s.a);
    // Runs in sec's turn, after sec's checks (and after net's checks read sec).
    s.others[0].node.addValidation({ validate: () => {
      if (!s.others[0].node.tryFindChild('deny-management')) {
        denyManagement(s.others[0]);
      }
      return [];
    } });
    expect(() => s.a.synth()).toThrow(SHADOWED);
  });

  test('a rule added to a third stack by an aspect of a later stack is read by that stack\'s checks', () => {
    const s = layout(['sec']);
    const sec = s.others[0];
    class AddRule implements IAspect {
      public visit(node: IConstruct): void {
        if (node === s.api && !sec.node.tryFindChild('deny-management')) {
          denyManagement(sec);
        }
      }
    }
    Aspects.of(s.api).add(new AddRule());
    ApimNetworkChecks.applyTo(s.a);
    expect(() => s.a.synth()).toThrow(SHADOWED);
  });

  test('Testing.fullSynth after a change reads the change', () => {
    const s = layout(['sec']);
    ApimNetworkChecks.applyTo(s.a);
    // net's checks judge the NSG the library built; the rule in sec names it.
    expect(() => Testing.fullSynth(s.net)).not.toThrow();
    denyManagement(s.others[0]);
    expect(() => Testing.fullSynth(s.net)).toThrow(SHADOWED);
  });

  test('a third stack whose aspects have not run when the checks read it: what it holds is unknown, as before', () => {
    // late is created after api, with an aspect: it may still change when api's checks run.
    const s = layout();
    const late = stackIn(s.a, 'late');
    Aspects.of(late).add(new Noop());
    denyManagement(late);
    ApimNetworkChecks.applyTo(s.a);
    const findings = ApimNetworkTesting.findings(s.api);
    expect(findings.filter((f) => f.ruleId === 'APIM-UNKNOWN' && f.detail === 'APIM-NSG-SHADOWED').map((f) => f.message))
      .toEqual([expect.stringMatching(/a value from the stack "late", whose aspects \(Noop\) have not run/)]);
    expect(findings.filter((f) => f.ruleId === 'APIM-NSG-SHADOWED')).toEqual([]);
  });
});
