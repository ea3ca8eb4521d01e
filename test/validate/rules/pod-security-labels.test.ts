import { describe, expect, it } from 'vitest';
import { podSecurityLabelsRule } from '../../../src/validate/rules/pod-security-labels.ts';
import { CONTEXT, healthyTree, itReportsEachBreakage, lines, objectIn, type FixtureTree } from '../fixtures.ts';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const labels = (tree: FixtureTree) => objectIn(tree, 'prod', 'Namespace', 'shop-prod').metadata.labels;
const at = `error prod Namespace/shop-prod metadata.labels["${ENFORCE}"]`;

describe('pod-security-level rule', () => {
  describe('without dynenv.yaml, a Namespace must enforce baseline at least', () => {
    itReportsEachBreakage(podSecurityLabelsRule, [
      {
        name: 'a Namespace without the label',
        breaks: (tree) => delete labels(tree)[ENFORCE],
        expected: [`${at}: enforces no Pod Security level, so it admits privileged pods (at least "baseline" is required)`],
      },
      {
        name: 'a Namespace relabelled privileged',
        breaks: (tree) => (labels(tree)[ENFORCE] = 'privileged'),
        expected: [`${at}: enforces "privileged", weaker than "baseline" (at least "baseline" is required)`],
      },
      {
        name: 'a level that does not exist',
        breaks: (tree) => (labels(tree)[ENFORCE] = 'strict'),
        expected: [`${at}: enforces "strict", which is not a Pod Security level (at least "baseline" is required)`],
      },
      { name: 'nothing for baseline', breaks: (tree) => (labels(tree)[ENFORCE] = 'baseline'), expected: [] },
    ]);
  });

  describe('with dynenv.yaml', () => {
    it('reports a Namespace weaker than its environment is configured, naming the setting', async () => {
      const tree = healthyTree();
      labels(tree)[ENFORCE] = 'baseline';
      expect(await lines(podSecurityLabelsRule, tree, { ...CONTEXT, podSecurity: { prod: 'restricted' } })).toEqual([
        `${at}: enforces "baseline", weaker than "restricted" (environments.prod.podSecurity is "restricted")`,
      ]);
      expect(await lines(podSecurityLabelsRule, tree, { ...CONTEXT, podSecurity: { prod: 'baseline' } })).toEqual([]);
    });

    it("holds the Namespace of preview-fence (the preview's fence overlay) to the preview's level", async () => {
      const tree = healthyTree();
      labels(tree)[ENFORCE] = 'baseline';
      tree.scopes[0] = { ...tree.scopes[0]!, name: 'preview-fence' };
      expect(await lines(podSecurityLabelsRule, tree, { ...CONTEXT, podSecurity: { preview: 'restricted' } })).toEqual([
        `error preview-fence Namespace/shop-prod metadata.labels["${ENFORCE}"]: enforces "baseline", weaker than "restricted" (environments.preview.podSecurity is "restricted")`,
      ]);
    });
  });
});
