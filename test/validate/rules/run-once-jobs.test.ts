/** A plain Job runs once only when the Application deploying it leaves its spec alone. */
import { describe, expect, it } from 'vitest';
import { runOnceJobsRule } from '../../../src/validate/rules/run-once-jobs.ts';
import { type FixtureTree, DIGEST, addObjects, healthyTree, lines, objectIn } from '../fixtures.ts';

const seed = (annotations: Record<string, string> = { 'argocd.argoproj.io/sync-wave': '-4' }, spec: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'api-seed', annotations },
    spec: {
      activeDeadlineSeconds: 900,
      ...spec,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'seed', image: `ghcr.io/acme/api@${DIGEST}` }] } },
    },
  });

/** The fixture's ApplicationSet made to deploy the prod overlay, with `spec` merged into its template's spec. */
function deployProd(tree: FixtureTree, spec: Record<string, unknown> = {}): void {
  const template = objectIn(tree, 'argocd', 'ApplicationSet', 'shop-previews').spec.template.spec;
  template.source.path = 'gitops/overlays/prod';
  Object.assign(template, spec);
}

const IGNORE_JOB_SPEC = { ignoreDifferences: [{ group: 'batch', kind: 'Job', jsonPointers: ['/spec'] }] };
const RESPECT = { syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['RespectIgnoreDifferences=true'] } };
const IMMUTABLE =
  'error prod Job/api-seed: ApplicationSet shop-previews deploys this plain Job and would apply it again on every sync, but Kubernetes refuses changes to a Job\'s pod template: the first sync after its image (or anything else in its template) changes fails with "field is immutable"';

describe('run-once-job rule', () => {
  it.each<[string, (tree: FixtureTree) => void]>([
    ['no plain Job', (tree) => deployProd(tree)],
    [
      'a hook Job, which Argo CD re-creates on every sync',
      (tree) => {
        deployProd(tree);
        addObjects(tree, 'prod', seed({ 'argocd.argoproj.io/hook': 'Sync' }));
      },
    ],
    [
      "a plain Job whose Application ignores Jobs' spec and respects that",
      (tree) => {
        deployProd(tree, { ...IGNORE_JOB_SPEC, ...RESPECT });
        addObjects(tree, 'prod', seed());
      },
    ],
    [
      'a plain Job ignored by name, through a jq path',
      (tree) => {
        deployProd(tree, { ignoreDifferences: [{ group: 'batch', kind: 'Job', name: 'api-seed', jqPathExpressions: ['.spec'] }], ...RESPECT });
        addObjects(tree, 'prod', seed());
      },
    ],
    ['a plain Job of an overlay no Application deploys', (tree) => addObjects(tree, 'prod', seed())],
  ])('passes %s', async (_name, build) => {
    const tree = healthyTree();
    build(tree);
    expect(await lines(runOnceJobsRule, tree)).toEqual([]);
  });

  it.each([
    ['without ignoreDifferences', {}],
    ['ignoring its spec without RespectIgnoreDifferences=true (a sync would still apply it)', IGNORE_JOB_SPEC],
    ['ignoring the spec of another Job only', { ignoreDifferences: [{ group: 'batch', kind: 'Job', name: 'other', jsonPointers: ['/spec'] }], ...RESPECT }],
    [
      'ignoring only part of its spec',
      { ignoreDifferences: [{ group: 'batch', kind: 'Job', jsonPointers: ['/spec/template/spec/containers/0/image'] }], ...RESPECT },
    ],
  ])('reports a plain Job whose Application updates it: %s', async (_name, spec) => {
    const tree = healthyTree();
    deployProd(tree, spec);
    addObjects(tree, 'prod', seed());
    expect(await lines(runOnceJobsRule, tree)).toEqual([IMMUTABLE]);
  });

  it('reports a plain Job that Kubernetes deletes after it finished: Argo CD creates it again', async () => {
    const tree = healthyTree();
    deployProd(tree, { ...IGNORE_JOB_SPEC, ...RESPECT });
    addObjects(tree, 'prod', seed(undefined, { ttlSecondsAfterFinished: 600 }));
    expect(await lines(runOnceJobsRule, tree)).toEqual([
      'warning prod Job/api-seed spec.ttlSecondsAfterFinished: Kubernetes deletes this plain Job once it has finished, and Argo CD then finds it missing and creates it again (self-heal, or the next sync): it runs again and again',
    ]);
  });
});
