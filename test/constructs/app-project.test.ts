/**
 * AppProject, on its own, judged as Argo CD judges a sync against it (test/support/argocd-project.ts): its
 * Applications deploy only from the one repository, only to its destinations, only the kinds it lists; an empty
 * cluster-scoped list admits no cluster-scoped object at all.
 */
import { describe, expect, it } from 'vitest';
import { AppProject, type AppProjectProps } from '../../src/constructs/app-project.ts';
import { isSourcePermitted, syncPermissionError, type AppProjectObject } from '../support/argocd-project.ts';
import { synthConstruct } from '../support/construct-synth.ts';

const SERVER = 'https://kubernetes.default.svc';
const PROPS: AppProjectProps = {
  app: 'shop',
  name: 'shop-previews',
  namespace: 'argocd',
  description: 'Previews of shop',
  sourceRepo: 'https://github.com/example-org/shop.git',
  destinations: [{ server: SERVER, namespace: 'shop-pr-*' }],
  namespacedKinds: [
    { group: 'apps', kind: 'Deployment' },
    { group: '', kind: 'Service' },
    { group: '', kind: 'ConfigMap' },
  ],
  clusterKinds: [],
};

const project = (props: Partial<AppProjectProps> = {}) => {
  const [object] = synthConstruct((chart) => new AppProject(chart, 'project', { ...PROPS, ...props }));
  return object as AppProjectObject & { kind: string; metadata: { name: string; namespace: string } };
};
const object = (apiVersion: string, kind: string, namespace?: string) => ({ apiVersion, kind, metadata: { name: 'x', ...(namespace && { namespace }) } });

describe('AppProject', () => {
  it("is Argo CD's AppProject of that name, in Argo CD's namespace", () => {
    expect(project()).toMatchObject({ kind: 'AppProject', metadata: { name: 'shop-previews', namespace: 'argocd' } });
  });

  it('lets its Applications sync the listed kinds into its destinations, and nothing else anywhere', () => {
    const fence = project();
    expect(syncPermissionError(fence, SERVER, object('apps/v1', 'Deployment', 'shop-pr-12'), true)).toBeUndefined();
    expect(syncPermissionError(fence, SERVER, object('v1', 'Service', 'shop-pr-12'), true)).toBeUndefined();
    expect(syncPermissionError(fence, SERVER, object('apps/v1', 'Deployment', 'kube-system'), true)).toBe(
      "namespace kube-system is not permitted in project 'shop-previews'",
    );
    expect(syncPermissionError(fence, SERVER, object('rbac.authorization.k8s.io/v1', 'Role', 'shop-pr-12'), true)).toBe(
      'resource rbac.authorization.k8s.io:Role is not permitted in project shop-previews',
    );
    expect(syncPermissionError(fence, SERVER, object('v1', 'Namespace'), false)).toBe('resource :Namespace is not permitted in project shop-previews');
  });

  it('admits a cluster-scoped kind only when listed, by name where a name is given', () => {
    const fence = project({ clusterKinds: [{ group: '', kind: 'Namespace', name: 'shop-dev' }] });
    expect(syncPermissionError(fence, SERVER, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop-dev' } }, false)).toBeUndefined();
    expect(syncPermissionError(fence, SERVER, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } }, false)).toBeDefined();
  });

  it('takes sources from its one repository only', () => {
    const fence = project();
    expect(isSourcePermitted(fence, 'https://github.com/example-org/shop.git')).toBe(true);
    expect(isSourcePermitted(fence, 'https://github.com/example-org/shop')).toBe(true);
    expect(isSourcePermitted(fence, 'https://github.com/someone-else/shop.git')).toBe(false);
  });

  it('writes the same project whatever order the kinds come in (no diff in Git from a reordering)', () => {
    const reversed = project({ namespacedKinds: [...PROPS.namespacedKinds].reverse() });
    expect(reversed.spec.namespaceResourceWhitelist).toEqual(project().spec.namespaceResourceWhitelist);
  });
});
