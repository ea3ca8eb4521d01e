/**
 * How dynenv writes YAML. Synthesis and promotion share it, so a file promotion edited is byte-for-byte what
 * synthesis would write (and `dynenv synth --check` stays clean after a promotion).
 */
import { type CreateNodeOptions, Document, type ToStringOptions } from 'yaml';

/** Options for every `toString` of a document dynenv writes: no line folding, two-space indentation. */
export const YAML_OUTPUT: ToStringOptions = { lineWidth: 0, indent: 2, indentSeq: true };

/**
 * Options for every document dynenv builds from data: no anchors and aliases. A manifest spells every value out
 * (a reader, `kubectl diff` and kustomize's patches all expect that), and looking for objects used twice, which
 * `yaml` does by default, was half the cost of writing a file.
 */
export const YAML_DOCUMENT: CreateNodeOptions = { aliasDuplicateObjects: false };

/** The comment on top of every synthesized file. */
export const GENERATED_HEADER = ' Synthesized by dynenv from dynenv.yaml: edit that file and run `npx dynenv synth`.';

/** The first line of every file dynenv writes: what tells its files from anyone else's. */
export const GENERATED_FIRST_LINE = `#${GENERATED_HEADER}\n`;

/** Whether `text` begins with the generated-file header, i.e. dynenv wrote it and may replace or delete it. */
export function isGeneratedText(text: string): boolean {
  return text.startsWith(GENERATED_FIRST_LINE);
}

/** `value` as a YAML document with the generated-file header. */
export function toYamlFile(value: unknown, header: string = GENERATED_HEADER): string {
  const document = new Document(value, YAML_DOCUMENT);
  document.commentBefore = header;
  return document.toString(YAML_OUTPUT);
}

/**
 * JSON 6902 operations as a YAML file with the header. Every string is quoted: kustomize reads these files as
 * YAML 1.1, where a bare `y`, `no` or `on` is a boolean.
 */
export function toJsonPatchFile(operations: readonly unknown[]): string {
  const document = new Document(operations, YAML_DOCUMENT);
  document.commentBefore = GENERATED_HEADER;
  return document.toString({ ...YAML_OUTPUT, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
}
