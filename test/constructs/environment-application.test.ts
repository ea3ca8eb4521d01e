/** EnvironmentApplication, on its own: the Argo CD Application of one long-lived environment. */
import { describe, expect, it } from 'vitest';
import { EnvironmentApplication, type EnvironmentApplicationProps } from '../../src/constructs/environment-application.ts';
import { synthConstruct } from '../support/construct-synth.ts';

const PROPS: EnvironmentApplicationProps = {
  app: 'shop',
  environment: 'prod',
  argocdNamespace: 'argocd',
  project: 'shop',
  source: { repoURL: 'https://github.com/example-org/shop.git', targetRevision: 'main', path: 'gitops/overlays/prod' },
  destination: { server: 'https://kubernetes.default.svc', namespace: 'shop-prod' },
  deleteResourcesOnDelete: false,
};
const application = (props: Partial<EnvironmentApplicationProps> = {}) =>
  synthConstruct((chart) => new EnvironmentApplication(chart, 'application', { ...PROPS, ...props }))[0];

describe('EnvironmentApplication', () => {
  it("is `<app>-<environment>` in Argo CD's namespace, deploying the overlay's folder of the branch into the namespace", () => {
    const object = application();
    expect(object.metadata).toMatchObject({ name: 'shop-prod', namespace: 'argocd', labels: { 'dynenv.io/environment': 'prod' } });
    expect(object.spec).toMatchObject({ project: 'shop', source: PROPS.source, destination: PROPS.destination });
  });

  it('syncs by hand unless told to sync automatically, with the prune and self-heal it is given', () => {
    expect(application().spec.syncPolicy).not.toHaveProperty('automated');
    expect(application({ automated: { prune: true, selfHeal: false } }).spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: false });
  });

  it('deletes what it deployed with it only when told (the finalizer), else leaves the workloads running', () => {
    expect(application().metadata).not.toHaveProperty('finalizers');
    expect(application({ deleteResourcesOnDelete: true }).metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  it('leaves the fields someone else owns to them, also in its syncs', () => {
    expect(application().spec).not.toHaveProperty('ignoreDifferences');
    const object = application({ ignoreDifferences: [{ group: 'apps', kind: 'Deployment', name: 'api', jsonPointers: ['/spec/replicas'] }] });
    expect(object.spec.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', name: 'api', jsonPointers: ['/spec/replicas'] }]);
    expect(object.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
  });
});
