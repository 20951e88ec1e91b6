/**
 * The library's annotations, without stack traces: cdktf prints an error annotation's stack trace under its message
 * (about 30 lines of library and cdktf frames), which buries the finding in CI logs. An annotation is the metadata
 * entry `Annotations.of(scope).addError/addWarning` writes, here with `stackTrace: false`; `cdktf synth` then prints
 * each as one `LEVEL [path]: message` line.
 */
import { AnnotationMetadataEntryType } from 'cdktf';
import { IConstruct } from 'constructs';

/** Add an error annotation (it fails `cdktf synth`) without a stack trace. */
export function addError(scope: IConstruct, message: string): void {
  scope.node.addMetadata(AnnotationMetadataEntryType.ERROR, message, { stackTrace: false });
}

/** Add warning annotations without stack traces. */
export function addWarnings(scope: IConstruct, messages: readonly string[]): void {
  for (const message of messages) {
    scope.node.addMetadata(AnnotationMetadataEntryType.WARN, message, { stackTrace: false });
  }
}
