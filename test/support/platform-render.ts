/**
 * The bundled example adapted to one platform, synthesized and rendered with the real Kustomize, and its
 * environments turned into model pods for the NetworkPolicy evaluator.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config, EnvironmentName } from '../../src/config/schema.ts';
import { kustomizeBuild, type KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import type { PlatformName } from '../../src/platforms/index.ts';
import { configWith, writeTree } from './example.ts';
import type { ModelNetworkPolicy, ModelPod } from './network-policy-evaluator.ts';
import type { PlatformWorld } from './platform-worlds.ts';

/** The external database dev, staging and prod connect to in these tests. */
export const EXTERNAL_DATABASE = { ip: '10.20.0.15', port: 5432 } as const;

/**
 * The example on `platform`: the platform decides DNS, ingress and storage (the example's own ingress settings
 * removed), the world adds what only the cluster's owner knows, dev, staging and prod have an external database,
 * and in prod the api service (only it) may reach the metadata server where the platform has one.
 */
export function platformConfig(platform: PlatformName, world: PlatformWorld): Config {
  return configWith((data) => {
    data.cluster = { platform, ...world.cluster };
    for (const envName of ['dev', 'staging', 'prod']) {
      data.environments[envName].database = { cidr: `${EXTERNAL_DATABASE.ip}/32`, port: EXTERNAL_DATABASE.port };
    }
    if (world.metadataServer.length > 0) {
      data.environments.prod.services.api.egress = [{ to: 'metadata-server' }];
    }
  });
}

/** Writes the synthesized tree under `dir` and renders each environment (an overlay and its `-fence` companion, if any). */
export async function renderEnvironments(config: Config, dir: string): Promise<Map<EnvironmentName, KubernetesObject[]>> {
  await writeTree(config, dir);
  const rendered = new Map<EnvironmentName, KubernetesObject[]>();
  for (const envName of ['dev', 'staging', 'prod', 'preview'] as const) {
    const folders = [envName, `${envName}-fence`].map((name) => path.join(dir, 'overlays', name)).filter((folder) => existsSync(folder));
    rendered.set(envName, (await Promise.all(folders.map((folder) => kustomizeBuild(folder)))).flat());
  }
  return rendered;
}

export const networkPolicies = (objects: readonly KubernetesObject[]) =>
  objects.filter((object) => object.kind === 'NetworkPolicy') as unknown as ModelNetworkPolicy[];

/** One model pod per workload of the environment (Deployments, StatefulSets, Jobs), from its pod template. */
export function environmentPods(objects: readonly KubernetesObject[], namespace: string): ModelPod[] {
  let host = 10;
  return objects
    .filter((object) => ['Deployment', 'StatefulSet', 'Job'].includes(object.kind))
    .map((object) => {
      const template = (object as any).spec.template;
      const containers: any[] = template.spec.containers ?? [];
      return {
        namespace,
        name: `${object.kind}/${object.metadata.name}`,
        labels: template.metadata?.labels ?? {},
        ip: `10.50.0.${host++}`,
        ports: containers.flatMap((container) =>
          (container.ports ?? []).map((port: any) => ({ name: port.name, containerPort: port.containerPort, protocol: port.protocol ?? 'TCP' })),
        ),
      };
    });
}

/** The pod of one workload, by kind and name. */
export function podOf(pods: readonly ModelPod[], kind: string, name: string): ModelPod {
  const found = pods.find((pod) => pod.name === `${kind}/${name}`);
  if (found === undefined) throw new Error(`no ${kind}/${name} among ${pods.map((pod) => pod.name).join(', ')}`);
  return found;
}
