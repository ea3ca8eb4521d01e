import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { clusterFacts } from '../../src/validate/cluster-facts.ts';
import { externalObjects } from '../../src/validate/external-objects.ts';
import { validateTree } from '../../src/validate/validate-tree.ts';
import { REPO_ROOT, tempDir } from '../support/workspace.ts';
import { ARGOCD_YAML, CONTEXT, DIGEST, OVERLAY_YAML, line, writeFixtureTree } from './fixtures.ts';

describe('validateTree', () => {
  it('passes a healthy tree rendered by the real Kustomize', async () => {
    const dir = await tempDir();
    await writeFixtureTree(dir);
    const report = await validateTree({ directory: dir, external: CONTEXT.external, cluster: CONTEXT.cluster });
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.scopes).toEqual([
      { name: 'prod', directory: path.join(dir, 'overlays/prod'), objects: 8 },
      { name: 'argocd', directory: path.join(dir, 'argocd'), objects: 2 },
    ]);
  });

  it('reports every finding of a broken tree, ordered by scope, object and path, and fails', async () => {
    const dir = await tempDir();
    const overlay = OVERLAY_YAML.replace('  replicas: 2\n', '  replica: 2\n')
      .replace(`ghcr.io/acme/api@${DIGEST}`, 'ghcr.io/acme/api:1.4.2')
      .replace('targetPort: http', 'targetPort: web');
    const argocd = ARGOCD_YAML.replace("name: 'pr-{{ .number }}'", "name: 'pr-{{ .pr_number }}'");
    await writeFixtureTree(dir, overlay, argocd);
    const report = await validateTree({ directory: dir, cluster: CONTEXT.cluster });
    expect(report.ok).toBe(false);
    expect(report.findings.map((item) => `${item.rule}: ${line(item)}`)).toEqual([
      'unknown-field: error prod Deployment/api spec.replica: unknown field "replica": the apps/v1 Deployment schema has no such field here, so the API server would drop or reject it',
      'pinned-images: error prod Deployment/api spec.template.spec.containers[0].image: image "ghcr.io/acme/api:1.4.2" is pinned by tag only: tag "1.4.2" can be moved to another image',
      'service-selector: error prod Service/api spec.ports[0].targetPort: targets port "web" by name, but no container of the pods it selects (Deployment/api) has a port of that name',
      'applicationset-parameters: error argocd ApplicationSet/shop-previews spec.template.metadata.name: {{ .pr_number }} uses parameter "pr_number", which the dynenv plugin does not emit',
      'plugin-config: error argocd ConfigMap/dynenv-plugin data.token: token reads Secret "dynenv-plugin-token", which is neither in argocd nor declared external: Argo CD would send "$dynenv-plugin-token:token" as the token',
    ]);
  });

  it('passes a tree whose only findings are warnings', async () => {
    const dir = await tempDir();
    await writeFixtureTree(dir, `${OVERLAY_YAML}---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: { name: api }\nspec: {}\n`);
    const report = await validateTree({ directory: dir, external: CONTEXT.external, cluster: CONTEXT.cluster });
    expect(report.findings.map((item) => item.severity)).toEqual(['warning']);
    expect(report.ok).toBe(true);
  });

  it('says what it cannot see about the cluster when nothing says it', async () => {
    const dir = await tempDir();
    await writeFixtureTree(dir);
    const report = await validateTree({ directory: dir, external: CONTEXT.external });
    expect(report.findings.map((item) => `${item.rule}: ${item.severity}`)).toEqual(['network-policy-enforcement: warning', 'ingress-class: warning']);
    expect(report.ok).toBe(true);
  });

  it('passes the committed tree of this repository, with the external objects of its dynenv.yaml', async () => {
    const config = await loadConfig(path.join(REPO_ROOT, 'dynenv.yaml'));
    const report = await validateTree({ directory: path.join(REPO_ROOT, 'gitops'), external: externalObjects(config), cluster: clusterFacts(config) });
    // Warnings only: a preview's workloads wait for what its fence, another Application, creates (the namespace, the
    // Secret its database reads).
    expect(report.findings.map((item) => `${item.rule}: ${item.severity} ${item.scope} ${item.kind}/${item.name}`)).toEqual([
      'sync-order: warning preview Namespace/checkout-preview',
      'sync-order: warning preview StatefulSet/api-postgres',
    ]);
    expect(report.ok).toBe(true);
    expect(report.scopes.map((scope) => scope.name)).toEqual(['dev', 'staging', 'prod', 'preview', 'preview-fence', 'argocd']);
  });
});
