import { TerraformProvider } from 'cdktf';

/**
 * Props every construct of this library takes: where its resources go.
 */
export interface ApimResourceProps {
  /**
   * Name of the resource group the resources are created in. A reference such as `resourceGroup.name` is fine.
   */
  readonly resourceGroupName: string;

  /**
   * Azure location of the resources, e.g. `westeurope` or `West Europe` (one location, however it is spelled).
   *
   * Must be a literal: the location decides names, DNS labels and regional service tags at synth time.
   */
  readonly location: string;

  /**
   * The azurerm provider the resources use, e.g. an aliased provider for another subscription.
   *
   * @default - the stack's default azurerm provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * Props of a construct whose resource takes tags.
 */
export interface ApimTaggedResourceProps extends ApimResourceProps {
  /**
   * Tags for the resource.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
}
