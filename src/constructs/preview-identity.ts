import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ResolvedPreview } from '../config/resolve-preview.ts';
import { appLabels } from './labels.ts';

/** The ConfigMap that tells a preview's services and seed Job who they are. */
export const PREVIEW_IDENTITY_CONFIGMAP = 'dynenv-preview';

/**
 * The variables of the identity ConfigMap, each a pattern over the plugin's parameters. `fill` turns a pattern
 * into a value (the committed placeholder) or into a Go template (the ApplicationSet's per-PR patch).
 */
export function previewIdentityData(preview: ResolvedPreview, fill: (pattern: string) => string): Record<string, string> {
  return {
    DYNENV_PULL_REQUEST: fill('{{number}}'),
    DYNENV_TENANT_ID: fill(preview.data.tenantId),
    DYNENV_EMAIL_DOMAIN: fill(preview.data.emailDomain),
    DYNENV_BUCKET_PREFIX: fill(preview.data.bucketPrefix),
    ...(preview.host !== undefined && { DYNENV_PREVIEW_URL: fill(`${preview.scheme}://${preview.host}`) }),
  };
}

export interface PreviewIdentityProps {
  /** Application name, for labels. */
  readonly app: string;
  /** The variables, as `previewIdentityData` makes them. */
  readonly data: Readonly<Record<string, string>>;
}

/**
 * Who this preview is: its pull request, and the tenant ID, e-mail domain and storage prefix that keep its
 * data apart from every other preview's (two PRs seeding the same tenant slug or writing the same bucket keys
 * would be shared staging again). The committed overlay holds placeholders; the ApplicationSet patches in the
 * pull request's values. Services and the seed Job read it through `envFrom`.
 */
export class PreviewIdentity extends Construct {
  constructor(scope: Construct, id: string, props: PreviewIdentityProps) {
    super(scope, id);
    new kplus.k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: { name: PREVIEW_IDENTITY_CONFIGMAP, labels: appLabels(props.app) },
      data: { ...props.data },
    });
  }
}
