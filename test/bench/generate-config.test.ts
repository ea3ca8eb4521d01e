import { describe, expect, it } from 'vitest';
import { generateConfig } from '../../bench/synth/generate-config.ts';
import { parseConfig } from '../../src/config/load.ts';
import { synthesizeTree } from '../../src/gitops/tree.ts';

// The benchmarks measure this configuration; if the schema's rules moved past it, they would measure an error.
describe('the benchmarks generated configuration', () => {
  it('is valid and synthesizes every part of the tree', () => {
    const config = parseConfig(generateConfig(100));
    expect(config.services).toHaveLength(100);
    const files = [...synthesizeTree(config).keys()];
    expect(files).toContain('base/svc-099/deployment.yaml');
    expect(files).toContain('overlays/prod/kustomization.yaml');
    expect(files).toContain('argocd/applicationset-bench-previews.yaml');
    expect(files).toContain('overlays/preview-fence/kustomization.yaml');
  });

  it('with the workload model, uses its fields and still synthesizes', () => {
    const config = parseConfig(generateConfig(100, { workloadModel: true }));
    const kinds = new Set(config.services.map((service) => service.kind));
    expect([...kinds].sort()).toEqual(['CronJob', 'Deployment', 'StatefulSet']);
    expect(config.services.filter((service) => service.talksTo !== undefined).length).toBeGreaterThan(20);
    const tree = synthesizeTree(config);
    const files = [...tree.keys()];
    expect(files).toContain('base/svc-005/statefulset.yaml');
    expect(files).toContain('base/svc-019/cronjob.yaml');
    expect(files).toContain('base/svc-003/patches/user-01-deployment-svc-003.yaml');
    expect(files).toContain('overlays/prod/networkpolicy-allow-svc-001-callers.yaml');
    expect(files).toContain('overlays/prod/networkpolicy-allow-svc-000-calls.yaml');
    expect(tree.get('overlays/dev/kustomization.yaml')).not.toContain('../../base/svc-099');
  });
});
