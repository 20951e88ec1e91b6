import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ApimNetworkChecks } from '../../cdktf/apim-network-checks';

/** Register ApimNetworkChecks on the stack of a construct (once per stack, however many constructs ask). */
export function registerDefaultChecks(scope: Construct): void {
  new ApimNetworkChecks().register(TerraformStack.of(scope));
}
