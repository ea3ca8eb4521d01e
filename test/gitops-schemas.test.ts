/**
 * Every object in the committed gitops/ tree, and every object each overlay renders to, validates against the
 * official schemas; and the committed tree is exactly what the bundled dynenv.yaml synthesizes.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readTree } from '../src/gitops/write.ts';
import { kustomizeBuild } from '../src/gitops/kustomize-build.ts';
import { exampleTree } from './support/example.ts';
import { validateObject } from './support/schemas.ts';
import { REPO_ROOT } from './support/workspace.ts';

const GITOPS = path.join(REPO_ROOT, 'gitops');

describe('gitops/', () => {
  it('is what the bundled dynenv.yaml synthesizes', async () => {
    const committed = await readTree(GITOPS);
    const synthesized = await exampleTree();
    expect([...committed.keys()].sort()).toEqual([...synthesized.keys()].sort());
    for (const [file, text] of synthesized) expect(committed.get(file), file).toBe(text);
  });

  it('holds only objects that validate against the Kubernetes and Argo CD schemas (patches excepted)', async () => {
    const committed = await readTree(GITOPS);
    let checked = 0;
    for (const [file, text] of committed) {
      if (file.endsWith('kustomization.yaml') || file.includes('/patches/')) continue;
      for (const document of parseAllDocuments(text)) {
        validateObject(document.toJS(), `gitops/${file}`);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it.each(['dev', 'staging', 'prod', 'preview', 'preview-fence'])('overlays/%s renders to objects that all validate', async (environment) => {
    const objects = await kustomizeBuild(path.join(GITOPS, 'overlays', environment));
    for (const object of objects) validateObject(object, `overlays/${environment}`);
    expect(objects.length).toBeGreaterThan(10);
  });

  it('argocd/ renders to objects that all validate', async () => {
    const objects = await kustomizeBuild(path.join(GITOPS, 'argocd'));
    for (const object of objects) validateObject(object, 'argocd');
    expect(objects.map((object) => object.kind).sort()).toEqual([
      'AppProject',
      'AppProject',
      'AppProject',
      'Application',
      'Application',
      'Application',
      'ApplicationSet',
      'ApplicationSet',
      // The sweep's access to namespaces, and its CronJob.
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'CronJob',
      'Deployment',
      'Ingress',
      'NetworkPolicy',
      // The controller's and the sweep's access in Argo CD's namespace.
      'Role',
      'Role',
      'RoleBinding',
      'RoleBinding',
      'Service',
      'ServiceAccount',
      'ServiceAccount',
      ...Array(6).fill('ValidatingAdmissionPolicy'),
      ...Array(6).fill('ValidatingAdmissionPolicyBinding'),
    ]);
  });

  it('rejects an object that breaks its schema (the check is not a no-op)', () => {
    expect(() => validateObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'http' }] } } as object, 'test')).toThrow(
      /test: v1\/Service x does not validate/,
    );
    expect(() =>
      validateObject(
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x' }, spec: { destination: {}, project: 7 } } as object,
        'test',
      ),
    ).toThrow(/does not validate/);
    expect(() => validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } }, 'test')).toThrow(
      'test: no schema for example.com/v1/Widget',
    );
  });
});
