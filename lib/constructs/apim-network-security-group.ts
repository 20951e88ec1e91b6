import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { fitAzureName } from '../core/azure-names';
import { LIBRARY_PRIORITY_BAND } from '../core/nsg-catalog';
import { ApimVirtualNetworkType } from '../core/types';
import { ApimNsgRuleOptions } from './nsg-options';
import { ApimNsgOptions } from './region-options';
import { ApimTaggedResourceProps } from './resource-props';
import { addWarnings } from '../cdktf/annotate';
import { NsgFlowContext, NsgRule, checkUserRule, isClean, judgeRule, renderSecurityRules, reportVerdict, sortedRules } from './private/nsg-rules';
import { NsgPlan, planNsg, planNsgSettings, reportRefused } from './private/plan-nsg';
import { PlanHandOff, PropChecker, checkedScope, failed, raise, validate } from './private/props';
import { NameClaim, checkNames, claimNames } from './private/names';
import { checkNsgLimits } from './private/limits';
import { checkPrimaryLocation, warnGlobalTags } from './private/placement';
import { NSG_PROPS } from './private/structs';

/**
 * Props of `ApimNetworkSecurityGroup`.
 */
export interface ApimNetworkSecurityGroupProps extends ApimTaggedResourceProps, ApimNsgOptions {
  /**
   * The APIM virtual network mode the rules are for.
   */
  readonly virtualNetworkType: ApimVirtualNetworkType;

  /**
   * NSG name (1-80 letters, digits, `_`, `.` and `-`, starting with a letter or digit and ending with a letter, digit
   * or `_`). A reference is fine.
   *
   * @default - `nsg-apim-<location>`
   */
  readonly name?: string;

  /**
   * Whether the APIM instance has more than one location. In External mode this adds the inbound
   * AzureTrafficManager rule that multi-region routing needs. `false` with a `primaryLocation` other than `location`
   * is refused (a secondary location means several locations).
   *
   * @default - true when `primaryLocation` differs from `location`, else false
   */
  readonly multiRegion?: boolean;

  /**
   * The APIM instance's primary location, for regional service tags. A location this library does not list is
   * accepted (the NSG then uses the global tags) and the checks warn about it (APIM-LOCATION-UNKNOWN).
   *
   * @default - this NSG's location
   */
  readonly primaryLocation?: string;
}

const HAND_OFF = new PlanHandOff<NsgPlan>();

/**
 * A network security group carrying exactly the rules API Management needs on its subnet for the mode, rendered from
 * the library's rule catalog, plus rules of your own.
 *
 * Required rules (both modes): inbound ApiManagement 3443 and AzureLoadBalancer 6390; outbound Storage 443, Sql 1433,
 * AzureKeyVault 443, AzureMonitor 1886 and 443, Internet 80. External mode adds inbound Internet 443, and with more
 * than one location inbound AzureTrafficManager 443. Service tags always go in the singular prefix fields.
 *
 * @see https://learn.microsoft.com/azure/api-management/virtual-network-reference
 * @example
 * const nsg = new ApimNetworkSecurityGroup(this, 'nsg', {
 *   resourceGroupName: 'rg-apim',
 *   location: 'westeurope',
 *   virtualNetworkType: ApimVirtualNetworkType.EXTERNAL,
 *   optionalRules: { inboundHttp: true },
 * });
 * nsg.addRule({
 *   name: 'allow-backend-8443', priority: 1000, direction: NsgDirection.OUTBOUND, access: NsgAccess.ALLOW,
 *   protocol: NsgProtocol.TCP, sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: '10.20.0.0/16',
 *   destinationPortRange: '8443',
 * });
 */
export class ApimNetworkSecurityGroup extends Construct {
  /** First priority held for the APIM rules (200); your rules take 100-199 or 400-4096. */
  public static readonly LIBRARY_PRIORITY_FIRST = LIBRARY_PRIORITY_BAND[0];
  /** Last priority held for the APIM rules (399). */
  public static readonly LIBRARY_PRIORITY_LAST = LIBRARY_PRIORITY_BAND[1];

  /**
   * Leave a plan its parent validated for the constructor call whose props this is:
   * `new ApimNetworkSecurityGroup(scope, id, ApimNetworkSecurityGroup._handOff(plan))`. The parent calls the constructor itself, so no frame of a factory
   * sits between it and the provider's constructors (every cdktf token they make records the whole call stack).
   *
   * @internal
   */
  public static _handOff(plan: NsgPlan): ApimNetworkSecurityGroupProps {
    HAND_OFF.give(plan);
    return undefined as unknown as ApimNetworkSecurityGroupProps;
  }

  /** The `azurerm_network_security_group` resource. */
  public readonly networkSecurityGroup: NetworkSecurityGroup;
  /** Its ID. */
  public readonly id: string;
  /** Its name. */
  public readonly name: string;
  /** Normalised location. */
  public readonly location: string;
  /** The mode the rules are for. */
  public readonly virtualNetworkType: ApimVirtualNetworkType;
  /** Whether the rules are for an APIM instance with more than one location. */
  public readonly multiRegion: boolean;
  /** Normalised primary location of the APIM instance. */
  public readonly primaryLocation: string;

  private readonly rules: NsgRule[];
  private readonly flows: NsgFlowContext;

  public constructor(scope: Construct, id: string, props: ApimNetworkSecurityGroupProps) {
    const handed = HAND_OFF.take();
    super(checkedScope(scope, id), id);
    try {
      const standalone = handed ? undefined : validate(this.node.path, (check) => planStandaloneNsg(check, this, props));
      const plan = handed ?? standalone!;
      this.location = plan.location;
      this.name = plan.name;
      this.virtualNetworkType = plan.mode;
      this.multiRegion = plan.multiRegion;
      this.primaryLocation = plan.primaryLocation;
      this.rules = [...plan.rules];
      this.flows = plan.flows;
      this.networkSecurityGroup = new NetworkSecurityGroup(this, 'nsg', {
        name: plan.name,
        location: plan.location,
        resourceGroupName: plan.resourceGroupName,
        provider: plan.provider,
        tags: plan.tags,
        securityRule: renderSecurityRules(this.rules),
      });
      this.id = this.networkSecurityGroup.id;
      addWarnings(this, plan.notes);
      if (standalone) {
        claimNames(TerraformStack.of(this), this.node.path, [standalone.claim]);
      }
    } catch (error) {
      raise(failed(scope, id, this.node.path, error));
    }
  }

  /**
   * Add a rule of your own. It is refused, with an error naming the rule and the field, when its priority is outside
   * 100-4096, taken in that direction or held for the APIM rules, when a field is invalid, when it is a deny that
   * would block part of a flow APIM needs or every client the NSG lets in, or when it is an allow that would open the
   * management port 3443 or every port to public addresses (in Internal mode also 80 and 443).
   */
  public addRule(rule: ApimNsgRuleOptions): void {
    try {
      const check = new PropChecker(this.node.path);
      const accepted = checkUserRule(check, `addRule(${ruleLabel(rule)})`, rule, { rules: this.rules });
      if (accepted) {
        const verdict = judgeRule(this.rules, accepted, this.flows);
        if (!isClean(verdict)) {
          reportVerdict(check, `addRule(${accepted.name})`, accepted, verdict, [], this.flows.clientSources);
        }
        checkNsgLimits(check, { rules: `addRule(${accepted.name})`, clients: `addRule(${accepted.name})` }, [...this.rules, accepted]);
      }
      check.throwIfAny();
      this.rules.push(accepted!);
      this.networkSecurityGroup.putSecurityRule(renderSecurityRules(this.rules));
      addWarnings(this, check.warnings);
    } catch (error) {
      raise(failed(undefined, undefined, this.node.path, error));
    }
  }

  /** Names of the rules of this NSG, in priority order per direction (inbound first). */
  public get ruleNames(): string[] {
    return sortedRules(this.rules).map((r) => r.name);
  }
}

/** How `addRule(<name>)` names a rule in errors (its name when it has a readable one). */
function ruleLabel(rule: unknown): string {
  try {
    const name = (rule as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' && name.trim() !== '' ? name : '?';
  } catch {
    return '?';
  }
}

/** Check the props of an NSG built on its own, and plan it: props and user rules in one pass. */
function planStandaloneNsg(check: PropChecker, self: Construct, input: ApimNetworkSecurityGroupProps): NsgPlan & { claim: NameClaim } {
  const props = check.struct('', input, NSG_PROPS, true);
  if (!props) {
    return check.throwIfAny() as never;
  }
  const resourceGroupName = check.azureName('resource group', 'resourceGroupName', props.resourceGroupName, { required: true, allowToken: true }) ?? '';
  const location = check.location('location', props.location) ?? '';
  const mode = check.enumValue('virtualNetworkType', props.virtualNetworkType, ApimVirtualNetworkType,
    { enumName: 'ApimVirtualNetworkType', need: 'the mode decides which rules the NSG has at synth time' });
  const name = check.azureName('network security group', 'name', props.name, { required: false, allowToken: true })
    ?? fitAzureName('network security group', 'nsg-apim-', location, '');
  const { primaryLocation, multiRegion } = checkPrimaryLocation(check, '', props, location);
  const tags = check.tags('tags', props.tags);
  const provider = check.provider('provider', props.provider, self);
  const settings = planNsgSettings(check, '', props, mode);
  warnGlobalTags(check, 'regionalServiceTags', settings.regionalServiceTags, primaryLocation, [location]);
  const { plan, refused } = planNsg({
    name, location, resourceGroupName, mode: mode ?? ApimVirtualNetworkType.EXTERNAL, multiRegion, primaryLocation, provider, tags,
  }, settings);
  reportRefused(check, refused, settings.clientSources);
  checkNsgLimits(check, { rules: 'rules', clients: 'clientAddressPrefixes' }, plan.rules);
  const claim: NameClaim = {
    kind: 'network security group', scope: [{ what: 'resource group', name: plan.resourceGroupName }], name: plan.name,
    ...(props.name === undefined ? { prop: 'location', value: props.location, derived: true } : { prop: 'name', value: props.name, derived: false }),
  };
  checkNames(check, TerraformStack.of(self), self.node.path, [claim]);
  return { ...plan, notes: [...check.warnings], claim };
}
