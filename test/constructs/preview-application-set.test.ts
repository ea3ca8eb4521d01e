/**
 * PreviewApplicationSet, on its own: what Argo CD's ApplicationSet controller makes of it for the plugin's
 * answers (its template rendered with each parameter set, as test/support/argocd-render.ts renders Go templates):
 * one Application per pull request, named by the pattern, deploying the pull request's revision into its namespace,
 * synced automatically and pruned, deleting what it deployed when it goes.
 */
import { describe, expect, it } from 'vitest';
import { PreviewApplicationSet, type PreviewApplicationSetProps } from '../../src/constructs/preview-application-set.ts';
import { applicationsOf } from '../support/argocd-render.ts';
import { synthConstruct } from '../support/construct-synth.ts';

const PROPS: PreviewApplicationSetProps = {
  app: 'shop',
  name: 'shop-previews',
  part: 'workloads',
  argocdNamespace: 'argocd',
  project: 'shop-previews',
  applicationName: 'shop-pr-{{number}}',
  pluginConfigMap: 'dynenv-plugin-shop',
  parameters: {
    repo: 'example-org/shop',
    labels: ['preview'],
    excludeLabels: [],
    includeDrafts: false,
    includeForks: false,
    targetBranches: ['main'],
    maxAgeHours: 0,
    namespacePrefix: 'shop',
  },
  requeueAfterSeconds: 180,
  source: { repoURL: 'https://github.com/example-org/shop.git', targetRevision: '{{ .head_sha }}', path: 'gitops/overlays/preview' },
  images: ['ghcr.io/example-org/api:sha-{{ .head_sha }}'],
  patches: [],
  server: 'https://kubernetes.default.svc',
  links: { preview: 'https://pr-{{number}}.preview.example.com' },
};

const applicationSet = (props: Partial<PreviewApplicationSetProps> = {}) =>
  synthConstruct((chart) => new PreviewApplicationSet(chart, 'set', { ...PROPS, ...props }))[0];
const PULL_REQUESTS = [
  { number: '7', namespace: 'shop-pr-7', head_sha: 'a'.repeat(40), url: 'https://github.com/example-org/shop/pull/7' },
  { number: '12', namespace: 'shop-pr-12', head_sha: 'b'.repeat(40), url: 'https://github.com/example-org/shop/pull/12' },
];

describe('PreviewApplicationSet', () => {
  it('asks the plugin named by the ConfigMap, with the configured parameters, at the configured interval', () => {
    const set = applicationSet();
    expect(set.spec.generators).toEqual([
      { plugin: { configMapRef: { name: 'dynenv-plugin-shop' }, input: { parameters: PROPS.parameters }, requeueAfterSeconds: 180 } },
    ]);
    // A parameter the plugin does not send fails the whole set rather than deploying "<no value>".
    expect(set.spec).toMatchObject({ goTemplate: true, goTemplateOptions: ['missingkey=error'] });
  });

  it('makes one Application per pull request: its name, its namespace, its head commit, its image, its link', () => {
    const [seven, twelve] = applicationsOf(applicationSet(), PULL_REQUESTS);
    expect(seven!.metadata.name).toBe('shop-pr-7');
    expect(twelve!.metadata.name).toBe('shop-pr-12');
    expect(seven!.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'shop-pr-7' });
    expect(seven!.spec.source).toMatchObject({
      repoURL: 'https://github.com/example-org/shop.git',
      targetRevision: 'a'.repeat(40),
      path: 'gitops/overlays/preview',
      kustomize: { namespace: 'shop-pr-7', images: [`ghcr.io/example-org/api:sha-${'a'.repeat(40)}`] },
    });
    expect(seven!.metadata.labels).toMatchObject({ 'dynenv.io/pull-request': '7', 'dynenv.io/environment': 'preview', 'dynenv.io/preview-part': 'workloads' });
    expect(seven!.metadata.annotations).toEqual({ 'link.argocd.argoproj.io/preview': 'https://pr-7.preview.example.com' });
    expect(seven!.spec.project).toBe('shop-previews');
  });

  it('syncs automatically, prunes and self-heals, and deletes what it deployed when the pull request goes', () => {
    const [application] = applicationsOf(applicationSet(), PULL_REQUESTS.slice(0, 1));
    expect(application!.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(application!.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  it("deploys the base branch when told (the fence), labelled as the fence's half", () => {
    const set = applicationSet({
      part: 'fence',
      name: 'shop-preview-fences',
      applicationName: 'shop-pr-{{number}}-fence',
      source: { ...PROPS.source, targetRevision: 'main', path: 'gitops/overlays/preview-fence' },
    });
    const [fence] = applicationsOf(set, PULL_REQUESTS.slice(0, 1));
    expect(fence!.metadata.name).toBe('shop-pr-7-fence');
    expect(fence!.spec.source).toMatchObject({ targetRevision: 'main', path: 'gitops/overlays/preview-fence' });
    expect(fence!.metadata.labels).toMatchObject({ 'dynenv.io/preview-part': 'fence' });
    expect(set.metadata.labels).toMatchObject({ 'dynenv.io/preview-part': 'fence' });
  });

  it('leaves alone the fields it is told someone else owns, in the spec and in its syncs', () => {
    const [plain] = applicationsOf(applicationSet(), PULL_REQUESTS.slice(0, 1));
    expect(plain!.spec).not.toHaveProperty('ignoreDifferences');
    const [owned] = applicationsOf(
      applicationSet({ ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }] }),
      PULL_REQUESTS.slice(0, 1),
    );
    expect(owned!.spec.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]);
    expect(owned!.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
  });
});
