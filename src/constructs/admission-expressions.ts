/**
 * Pieces of CEL for the preview admission policies. They stay within what Kubernetes' CEL offers (the standard
 * library, its macros, `matches`, and the strings extension's `indexOf`, `substring` and `join`), so the tests can
 * evaluate them with a CEL library as the API server would.
 */
import { PLACEHOLDER } from '../config/preview-pattern.ts';
import { DYNENV_LABEL } from './labels.ts';

/** A CEL string literal holding `text` exactly. */
export function celString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** `text` as a regular expression that matches only itself. */
export function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The pull-request number of the namespace a namespaced request is for, from the label the fence gives it. */
export const NAMESPACE_PULL_REQUEST = `namespaceObject.metadata.labels[${celString(DYNENV_LABEL.pullRequest)}]`;

/**
 * What each plugin parameter may be inside a host, as a regular expression. The number and the namespace are
 * the request's own (so a preview cannot claim another preview's host); the others vary per commit or branch.
 */
const PARAMETER_EXPRESSIONS: Readonly<Record<string, string>> = {
  number: NAMESPACE_PULL_REQUEST,
  namespace: 'request.namespace',
  head_sha: celString('[0-9a-f]{40}'),
  head_short_sha: celString('[0-9a-f]{8}'),
  head_short_sha_7: celString('[0-9a-f]{7}'),
  branch_slug: celString('[a-z0-9-]{0,50}'),
  target_branch_slug: celString('[a-z0-9-]{0,50}'),
};

/**
 * A CEL expression whose value is the anchored regular expression of the hosts a preview may answer on: the host
 * pattern with its pull-request number and namespace filled in from the request, and any other placeholder
 * standing for the characters it can hold.
 */
export function hostRegexExpression(hostPattern: string): string {
  const parts: string[] = [celString('^')];
  let last = 0;
  for (const match of hostPattern.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(celString(regexLiteral(hostPattern.slice(last, match.index))));
    const expression = PARAMETER_EXPRESSIONS[match[1]!];
    if (expression === undefined) throw new Error(`host pattern ${hostPattern}: no admission rule for {{${match[1]}}}`);
    parts.push(expression);
    last = match.index + match[0].length;
  }
  if (last < hostPattern.length) parts.push(celString(regexLiteral(hostPattern.slice(last))));
  parts.push(celString('$'));
  return parts.join(' + ');
}

/** The pieces of a name pattern around its `{{number}}` placeholders (the only one admission can fill in). */
function numberPieces(pattern: string): string[] {
  const pieces = pattern.split(/\{\{\s*\.?number\s*\}\}/);
  if (pieces.some((piece) => piece.includes('{{'))) throw new Error(`name pattern ${pattern}: only {{number}} can be filled in at admission`);
  return pieces;
}

/**
 * A CEL expression of the name `pattern` gives for a pull request: the request's (its namespace's label), or the
 * one `number` (a CEL string expression) says.
 */
export function pullRequestNameExpression(pattern: string, number: string = NAMESPACE_PULL_REQUEST): string {
  return numberPieces(pattern)
    .flatMap((piece, index) => [...(index > 0 ? [number] : []), ...(piece !== '' ? [celString(piece)] : [])])
    .join(' + ');
}

/** An anchored regular expression matching the name `pattern` gives for any pull request. */
export function pullRequestNameRegex(pattern: string): string {
  return `^${numberPieces(pattern).map(regexLiteral).join('[0-9]+')}$`;
}

/** Argo CD's resource-tracking annotation (`<application>:<group>/<kind>:<namespace>/<name>`). */
export const TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';

/** One place Argo CD writes which Application an object belongs to. */
export interface TrackingRead {
  /** CEL: the Application's name, or '' when the object carries none. */
  readonly application: string;
  /** CEL: what the object carries there, for a message. */
  readonly shown: string;
  /** How a message introduces `shown`. */
  readonly introduction: string;
}

/**
 * Where Argo CD marks an object with its Application under `method` (util/argo/resource_tracking.go): the
 * annotation `argocd.argoproj.io/tracking-id` (annotation), the label `<instanceLabelKey>` (label), or both, each
 * of which is then read. Argo CD overwrites what it writes, so a pull request cannot forge the one in use; it
 * leaves the other alone, which is why only the configured method is read.
 */
export function trackingReads(method: 'annotation' | 'label' | 'annotation+label', instanceLabelKey: string): TrackingRead[] {
  const reads: TrackingRead[] = [];
  if (method !== 'label') {
    const present = `has(object.metadata.annotations) && ${celString(TRACKING_ANNOTATION)} in object.metadata.annotations`;
    const value = `object.metadata.annotations[${celString(TRACKING_ANNOTATION)}]`;
    reads.push({
      application: `(${present} && ${value}.indexOf(':') > 0 ? ${value}.substring(0, ${value}.indexOf(':')) : '')`,
      shown: `(${present} ? ${value} : 'nothing')`,
      introduction: 'this one is tracked as ',
    });
  }
  if (method !== 'annotation') {
    const present = `has(object.metadata.labels) && ${celString(instanceLabelKey)} in object.metadata.labels`;
    const value = `object.metadata.labels[${celString(instanceLabelKey)}]`;
    reads.push({
      application: `(${present} ? ${value} : '')`,
      shown: `(${present} ? ${value} : '(none)')`,
      introduction: `this one is labelled ${instanceLabelKey}=`,
    });
  }
  return reads;
}
