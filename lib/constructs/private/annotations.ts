import { AnnotationMetadataEntryType } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * Add warnings to a construct without a stack trace: cdktf prints an annotation's trace under its message, about 30
 * lines each, so a finding would no longer fit in a few lines of `cdktf synth` output. The annotation is the same
 * metadata entry `Annotations.of(scope).addWarning` writes, with `stackTrace: false`.
 */
export function warnWithoutTrace(scope: IConstruct, messages: readonly string[]): void {
  for (const message of messages) {
    scope.node.addMetadata(AnnotationMetadataEntryType.WARN, message, { stackTrace: false });
  }
}
