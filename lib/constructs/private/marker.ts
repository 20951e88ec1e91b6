/**
 * The marker this library's constructs leave in their resources' `"//"` metadata, so the checks (which read only
 * Terraform JSON) know a resource was built for API Management, and with which props, even when the
 * `azurerm_api_management` lives in another repository. Terraform ignores `"//"` keys.
 */
import { NetworkSecurityGroup, NetworkSecurityGroupConfig } from '@cdktf/provider-azurerm/lib/network-security-group';
import { PublicIp, PublicIpConfig } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet, SubnetConfig } from '@cdktf/provider-azurerm/lib/subnet';
import { Construct } from 'constructs';
import { MARKER_KEY, NetworkMarker } from '../../core/marker';

export class MarkedSubnet extends Subnet {
  public constructor(scope: Construct, id: string, config: SubnetConfig, private readonly marker: () => NetworkMarker) {
    super(scope, id, config);
  }

  protected get constructNodeMetadata(): { [key: string]: any } {
    return { ...super.constructNodeMetadata, [MARKER_KEY]: this.marker() };
  }
}

export class MarkedNetworkSecurityGroup extends NetworkSecurityGroup {
  public constructor(scope: Construct, id: string, config: NetworkSecurityGroupConfig, private readonly marker: () => NetworkMarker) {
    super(scope, id, config);
  }

  protected get constructNodeMetadata(): { [key: string]: any } {
    return { ...super.constructNodeMetadata, [MARKER_KEY]: this.marker() };
  }
}

export class MarkedPublicIp extends PublicIp {
  public constructor(scope: Construct, id: string, config: PublicIpConfig, private readonly marker: () => NetworkMarker) {
    super(scope, id, config);
  }

  protected get constructNodeMetadata(): { [key: string]: any } {
    return { ...super.constructNodeMetadata, [MARKER_KEY]: this.marker() };
  }
}
