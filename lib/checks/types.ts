/**
 * What the checks produce. Pure data, jsii-compatible (structs and enums), no cdktf.
 */

/** How serious a rule's finding is. */
export enum ApimRuleLevel {
  /** Fails `cdktf synth`. */
  ERROR = 'error',
  /** Reported; fails `cdktf synth` only with `strict`. */
  WARNING = 'warning',
}

/** The outcome of one rule on one resource. */
export enum ApimRuleOutcome {
  /** The resource meets the rule. */
  PASS = 'pass',
  /** The resource breaks the rule. */
  FAIL = 'fail',
  /** The resource breaks the rule, and a suppression with a reason covers it. */
  SUPPRESSED = 'suppressed',
  /** A value the rule needs is not known at synth time. */
  UNKNOWN = 'unknown',
  /** The rule does not apply (for example a v2 SKU). */
  NOT_APPLICABLE = 'not-applicable',
}

/** Metadata of one rule. */
export interface ApimRuleInfo {
  /** Stable id, e.g. `APIM-NSG-REQUIRED`. */
  readonly id: string;
  /** Level of its findings. */
  readonly level: ApimRuleLevel;
  /** Area of the rule: placement, subnet, nsg, public-ip, routing, dns, meta. */
  readonly area: string;
  /** What the rule checks, in one line. */
  readonly title: string;
  /** Why it matters, in one line. */
  readonly why: string;
  /** How to fix a finding. */
  readonly fix: string;
  /** Where the requirement is documented. */
  readonly source: string;
}

/** One outcome of one rule on one resource, as the JSON report lists it. */
export interface ApimCheckOutcome {
  /** Rule id. */
  readonly ruleId: string;
  /** Detail after the id (`Inbound:ApiManagement:3443`), when the rule has one. */
  readonly detail?: string;
  /** Terraform address of the resource (`azurerm_subnet.network_westeurope_subnet_1A2B3C4D`). */
  readonly address: string;
  /** Construct path of the resource, or its address when it was not made by a construct. */
  readonly constructPath: string;
  /** The outcome. */
  readonly outcome: ApimRuleOutcome;
  /** What is wrong, or what could not be known. */
  readonly message?: string;
  /** The suppression's reason, for suppressed outcomes. */
  readonly suppressionReason?: string;
  /** Source file of the resource, when the document's metadata gives it (`"//".metadata.file`). */
  readonly file?: string;
  /** Line of the resource in `file`. */
  readonly line?: number;
}

/** A finding: a failed or undecidable outcome that is not suppressed. */
export interface ApimFinding {
  /** Rule id: the failed rule's, or `APIM-UNKNOWN` / `APIM-SUPPRESSION-UNUSED`. */
  readonly ruleId: string;
  /** Detail after the id; for APIM-UNKNOWN, the rule that could not decide. */
  readonly detail?: string;
  /** Level of the finding. */
  readonly level: ApimRuleLevel;
  /** Terraform address of the resource. */
  readonly address: string;
  /** Construct path of the resource. */
  readonly constructPath: string;
  /** What is wrong, with the offending value. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** The full message as annotations show it: `[ID[detail]] address (path): message. Fix: fix`. */
  readonly text: string;
  /** Source file of the resource, when the document's metadata gives it (`"//".metadata.file`). */
  readonly file?: string;
  /** Line of the resource in `file`. */
  readonly line?: number;
}

/** Which NSGs that no APIM instance of the input uses are checked as APIM NSGs (for inputs without the instance). */
export enum ApimOrphanNsgs {
  /** None: only the NSGs of APIM subnets. */
  NONE = 'none',
  /** NSGs with an inbound allow from the ApiManagement tag to port 3443 (meant for APIM). */
  SIGNATURE = 'signature',
  /** Every NSG that no APIM subnet of the input uses. */
  ALL = 'all',
}

/** A suppression: a rule (optionally one detail of it) that does not apply to a construct's subtree. */
export interface ApimSuppression {
  /** Rule id, optionally with a detail: `APIM-NSG-REQUIRED` or `APIM-NSG-REQUIRED[Inbound:Internet:443]`. */
  readonly ruleId: string;
  /** Why, at least 10 characters. */
  readonly reason: string;
  /** Construct path of the subtree it covers. */
  readonly constructPath: string;
  /**
   * Construct paths outside that subtree it also covers: the APIM instance a `MultiRegionApimNetwork` inside it was
   * connected to (a suppression set on a network, or above one, covers the findings on that instance too).
   *
   * @default - none
   */
  readonly alsoCovers?: string[];
}

/** What an evaluation found in the document. */
export interface ApimInventory {
  /** `azurerm_api_management` instances (any tier, injected or not). */
  readonly apimInstances: number;
  /** Subnets an injected APIM location uses, or that this library built for APIM. */
  readonly apimSubnets: number;
  /** NSGs checked as APIM NSGs. */
  readonly networkSecurityGroups: number;
}

/** Everything one evaluation produced. */
export interface ApimCheckResult {
  /** Every rule x resource outcome. */
  readonly outcomes: ApimCheckOutcome[];
  /** The findings (failed, unknown, unused suppressions), not suppressed. */
  readonly findings: ApimFinding[];
  /** How long the evaluation took, in milliseconds. */
  readonly durationMs: number;
  /** What the evaluation found: none of it means the input holds no APIM network. */
  readonly inventory?: ApimInventory;
}
