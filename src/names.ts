/**
 * Kubernetes names, shared by the generator and the plugin server.
 *
 * A namespace, Service or label-sized object name is a DNS-1123 label: at most 63 characters of `[a-z0-9-]`,
 * starting and ending with a letter or digit.
 */

/** Longest DNS-1123 label Kubernetes accepts (namespaces, Service names, most label-sized names). */
export const DNS1123_LABEL_MAX_LENGTH = 63;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** True when `name` is a valid DNS-1123 label (what a namespace or Service name must be). */
export function isDns1123Label(name: string): boolean {
  return name.length <= DNS1123_LABEL_MAX_LENGTH && DNS1123_LABEL.test(name);
}

/** Why `name` is not a DNS-1123 label, or undefined when it is one. */
export function explainDns1123Label(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > DNS1123_LABEL_MAX_LENGTH) {
    return `must be at most ${DNS1123_LABEL_MAX_LENGTH} characters (has ${name.length})`;
  }
  if (!DNS1123_LABEL.test(name)) {
    return 'must be lower-case letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
}
