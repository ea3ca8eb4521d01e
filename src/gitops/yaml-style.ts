/**
 * How dynenv writes YAML. Synthesis and promotion share it, so a file promotion edited is byte-for-byte what
 * synthesis would write (and `dynenv synth --check` stays clean after a promotion).
 */
import { Document, type ToStringOptions } from 'yaml';

/** Options for every `toString` of a document dynenv writes: no line folding, two-space indentation. */
export const YAML_OUTPUT: ToStringOptions = { lineWidth: 0, indent: 2, indentSeq: true };

/** The comment on top of every synthesized file. */
export const GENERATED_HEADER = ' Synthesized by dynenv from dynenv.yaml: edit that file and run `npx dynenv synth`.';

/** `value` as a YAML document with the generated-file header. */
export function toYamlFile(value: unknown, header: string = GENERATED_HEADER): string {
  const document = new Document(value);
  document.commentBefore = header;
  return document.toString(YAML_OUTPUT);
}

/**
 * JSON 6902 operations as a YAML file with the header. Every string is quoted: kustomize reads these files as
 * YAML 1.1, where a bare `y`, `no` or `on` is a boolean.
 */
export function toJsonPatchFile(operations: readonly unknown[]): string {
  const document = new Document(operations);
  document.commentBefore = GENERATED_HEADER;
  return document.toString({ ...YAML_OUTPUT, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
}
