/**
 * The per-pull-request `kustomize.patches` of the preview ApplicationSets: JSON patches whose values are Go
 * templates over the plugin's parameters. The ApplicationSet comes from the protected branch and the overlay it
 * patches from the revision each Application deploys, so a patch must render against an overlay of another
 * commit: every operation is `add`, which sets a member whether or not it exists, where `replace` fails on a
 * missing one ("replace operation does not apply: doc is missing path", a ComparisonError for every pull request
 * branched before the member existed; issue 15). `add` on an array index would insert rather than set, and needs
 * its parent, so arrays are set whole.
 */
import { toGoTemplate } from '../config/preview-pattern.ts';
import type { ResolvedPreview } from '../config/resolve-preview.ts';
import { DYNENV_ANNOTATION, DYNENV_LABEL } from './labels.ts';
import { PREVIEW_IDENTITY_CONFIGMAP, previewIdentityData } from './preview-identity.ts';

/** One entry of an Application's `spec.source.kustomize.patches`. */
export interface KustomizePatchEntry {
  readonly target: Readonly<Record<string, string>>;
  readonly patch: string;
}

interface AddOperation {
  readonly path: string;
  /** The value, written as JSON; a `RawParameter` is written by the template itself. */
  readonly value: unknown;
}

/**
 * A plugin parameter whose value nothing constrains (the pull request's `url`, from GitHub's `html_url`): the
 * template writes it as JSON itself (sprig's `toJson`, which Argo CD's goTemplate offers), so that a quote or a
 * line break in it stays inside the one string and cannot add operations to the patch.
 */
class RawParameter {
  constructor(readonly name: string) {}
}

/**
 * A value of a JSON patch inside a template: a JSON string, so that YAML reads it as a string (`"42"`). The
 * patterns inside such strings take only parameters made of letters, digits and `-` (preview-pattern.ts), which
 * cannot leave the string.
 */
function jsonValue(value: unknown): string {
  return value instanceof RawParameter ? `{{ .${value.name} | toJson }}` : JSON.stringify(value);
}

/** Path segment of a JSON pointer: "/" and "~" escaped. */
function pointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function jsonPatch(operations: readonly AddOperation[]): string {
  return operations.map(({ path, value }) => `- op: add\n  path: ${path}\n  value: ${jsonValue(value)}`).join('\n');
}

/**
 * The fence Application's patches: the Namespace says which pull request and commit it belongs to, and the
 * Ingress answers on the pull request's host.
 */
export function fencePatches(preview: ResolvedPreview, ingressTls: boolean): KustomizePatchEntry[] {
  const go = toGoTemplate;
  const patches: KustomizePatchEntry[] = [
    {
      target: { kind: 'Namespace' },
      patch: jsonPatch([
        { path: `/metadata/labels/${pointer(DYNENV_LABEL.pullRequest)}`, value: go('{{number}}') },
        { path: `/metadata/annotations/${pointer(DYNENV_ANNOTATION.pullRequestUrl)}`, value: new RawParameter('url') },
        { path: `/metadata/annotations/${pointer(DYNENV_ANNOTATION.headSha)}`, value: go('{{head_sha}}') },
      ]),
    },
  ];
  if (preview.host !== undefined) {
    // The fence folder holds only dynenv's own Ingresses, so a target without a name cannot reach anyone else's.
    patches.push({
      target: { kind: 'Ingress' },
      patch: jsonPatch([
        { path: '/spec/rules/0/host', value: go(preview.host) },
        // The whole TLS section: it renders over an Ingress of a commit that had none.
        ...(ingressTls
          ? [
              {
                path: '/spec/tls',
                value: [{ hosts: [go(preview.host)], ...(preview.tlsSecretName !== undefined && { secretName: go(preview.tlsSecretName) }) }],
              },
            ]
          : []),
      ]),
    });
  }
  return patches;
}

/** The workload Application's patches: the identity ConfigMap gets the pull request's values. */
export function workloadPatches(preview: ResolvedPreview): KustomizePatchEntry[] {
  return [
    {
      target: { kind: 'ConfigMap', name: PREVIEW_IDENTITY_CONFIGMAP },
      patch: jsonPatch([{ path: '/data', value: previewIdentityData(preview, toGoTemplate) }]),
    },
  ];
}
