/**
 * The ledger of dev, staging and prod (the status reporter's non-preview subjects): the synthesized dev and prod
 * Applications, synced by Argo CD in the simulated world, become one GitHub Deployment per revision in the
 * environments `<app>-dev` and `<app>-prod`, only prod's a production environment, each with the images
 * running (Argo CD's summary, digests included) in its payload; a superseded revision goes inactive, and neither
 * a steady hour nor a restart of the controller writes anything again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredObject } from '../../fake-kubernetes/index.ts';
import { syncedAndHealthy } from '../../support/argocd-simulation.ts';
import { exampleArgocdObjects } from '../../support/controller-world.ts';
import { APP, quiesce, REPOSITORY, restartController, startLoopWorld, stopWorlds, tick, type LoopWorld } from '../../support/preview-loop-world.ts';

afterEach(stopWorlds);

const HOUR = 3_600_000;
const revision = (n: number) => String(n).repeat(40);
const digest = (image: string, n: number) => `ghcr.io/example-org/${image}@sha256:${String(n).repeat(64)}`;

/** Argo CD synced the synthesized Application `name` to `sha`, running `images` (created on first use). */
async function synced(world: LoopWorld, name: string, sha: string, images: string[]): Promise<void> {
  const { store } = world.kubernetes;
  let current = store.get('applications', 'argocd', name);
  if (!current) {
    const synthesized = (await exampleArgocdObjects()).find((object) => object.kind === 'Application' && object.metadata.name === name);
    current = store.create('applications', synthesized as unknown as StoredObject);
  }
  store.update('applications', { ...current, status: syncedAndHealthy(sha, images) });
  await quiesce(world);
}

const writes = (world: LoopWorld) => world.github.requests.filter((request) => request.method !== 'GET').length;

describe('deployments of dev and prod: the ledger a promotion gate reads', () => {
  it('one Deployment per revision and environment, production only for prod, the images in the payload', async () => {
    const world = await startLoopWorld();
    const { deployments } = world.github;
    const devImages = [digest('checkout-api', 1), digest('checkout-web', 2)];
    const prodImages = [digest('checkout-api', 3), digest('checkout-web', 4)];
    await synced(world, `${APP}-dev`, revision(1), devImages);
    await synced(world, `${APP}-prod`, revision(2), prodImages);
    await tick(world, 5_000);

    const [dev, ...moreDev] = deployments.of(REPOSITORY, `${APP}-dev`);
    expect(moreDev).toEqual([]);
    expect(dev).toMatchObject({ sha: revision(1), environment: `${APP}-dev`, productionEnvironment: false, transientEnvironment: false });
    expect(dev!.payload).toEqual({ application: `${APP}-dev`, images: devImages });
    expect(deployments.lastState(dev!)).toBe('success');
    expect(dev!.statuses.at(-1)!.logUrl).toBe(`https://argocd.example.test/applications/argocd/${APP}-dev`);
    const [prod, ...moreProd] = deployments.of(REPOSITORY, `${APP}-prod`);
    expect(moreProd).toEqual([]);
    expect(prod).toMatchObject({ sha: revision(2), environment: `${APP}-prod`, productionEnvironment: true, transientEnvironment: false });
    expect(prod!.payload).toEqual({ application: `${APP}-prod`, images: prodImages });
    expect(deployments.lastState(prod!)).toBe('success');
    // No preview comment for an environment.
    expect(world.github.requests.filter((request) => request.path.includes('/comments'))).toEqual([]);

    // dev moves on: a second Deployment for the new revision, the first superseded; prod untouched.
    const nextImages = [digest('checkout-api', 5), digest('checkout-web', 6)];
    await synced(world, `${APP}-dev`, revision(7), nextImages);
    await tick(world, 5_000);
    const devNow = deployments.of(REPOSITORY, `${APP}-dev`);
    expect(devNow.map((d) => [d.sha, deployments.lastState(d)]).sort()).toEqual([
      [revision(1), 'inactive'],
      [revision(7), 'success'],
    ]);
    expect(devNow.find((d) => d.sha === revision(7))!.payload).toEqual({ application: `${APP}-dev`, images: nextImages });
    expect(deployments.of(REPOSITORY, `${APP}-prod`)).toHaveLength(1);

    // Nothing changed: a steady hour and a restart (GitHub read back) write nothing.
    const before = writes(world);
    await tick(world, HOUR, 20 * 60_000);
    await restartController(world);
    await tick(world, 5_000);
    expect(writes(world) - before).toBe(0);
    expect(world.github.schemaViolations).toEqual([]);
  });
});
