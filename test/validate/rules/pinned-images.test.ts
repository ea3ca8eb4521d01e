import { describe, expect, it } from 'vitest';
import { pinnedImagesRule, pinningProblem } from '../../../src/validate/rules/pinned-images.ts';
import { type FixtureTree, CONTEXT, DIGEST, healthyTree, lines, objectIn } from '../fixtures.ts';

const container = (tree: FixtureTree) => objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec.containers[0];

describe('pinningProblem', () => {
  it.each([
    [`ghcr.io/acme/api@${DIGEST}`, undefined],
    [`ghcr.io/acme/api:1.4.2@${DIGEST}`, undefined],
    [`registry.local:5000/acme/api@${DIGEST}`, undefined],
    ['ghcr.io/acme/api:1.4.2', 'is pinned by tag only: tag "1.4.2" can be moved to another image'],
    ['registry.local:5000/acme/api:v2', 'is pinned by tag only: tag "v2" can be moved to another image'],
    ['ghcr.io/acme/api:latest', 'runs tag "latest", which moves with every push'],
    ['ghcr.io/acme/api', 'has neither tag nor digest, so it runs whatever "latest" is when the pod starts'],
    ['registry.local:5000/acme/api', 'has neither tag nor digest, so it runs whatever "latest" is when the pod starts'],
    ['ghcr.io/acme/api@sha256:abc', 'has a malformed digest: expected "@sha256:" and 64 lower-case hex digits'],
  ])('%s: %s', (image, expected) => {
    expect(pinningProblem(image)).toBe(expected);
  });
});

describe('pinned-images rule', () => {
  it('passes the healthy tree', async () => {
    expect(await lines(pinnedImagesRule, healthyTree())).toEqual([]);
  });

  it.each([
    { image: 'ghcr.io/acme/api:1.4.2', message: 'is pinned by tag only: tag "1.4.2" can be moved to another image' },
    { image: 'ghcr.io/acme/api:latest', message: 'runs tag "latest", which moves with every push' },
    { image: 'ghcr.io/acme/api', message: 'has neither tag nor digest, so it runs whatever "latest" is when the pod starts' },
  ])('reports $image in prod', async ({ image, message }) => {
    const tree = healthyTree();
    container(tree).image = image;
    expect(await lines(pinnedImagesRule, tree)).toEqual([`error prod Deployment/api spec.template.spec.containers[0].image: image "${image}" ${message}`]);
  });

  it('checks init containers too, and says how to pin', async () => {
    const tree = healthyTree();
    objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec.initContainers = [{ name: 'migrate', image: 'ghcr.io/acme/api:1.4.2' }];
    const findings = await pinnedImagesRule.check(tree, CONTEXT);
    expect(findings.map((item) => item.path)).toEqual(['spec.template.spec.initContainers[0].image']);
    expect(findings[0]?.fix).toBe(
      'pin it by digest: an images: entry with digest: in gitops/overlays/prod/kustomization.yaml (`npx dynenv promote` writes it), or image@sha256:<digest>',
    );
  });

  it('applies to staging as to prod, and not to dev or previews, which follow tags', async () => {
    for (const [name, expected] of [
      ['staging', 1],
      ['dev', 0],
      ['preview', 0],
    ] as const) {
      const tree = healthyTree();
      container(tree).image = 'ghcr.io/acme/api:main';
      tree.scopes[0] = { ...tree.scopes[0]!, name, directory: `gitops/overlays/${name}` };
      expect((await pinnedImagesRule.check(tree, CONTEXT)).length, name).toBe(expected);
    }
  });
});
