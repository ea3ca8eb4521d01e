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
});
