import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { ServiceConfig } from '../config/schema.ts';
import { filesConfigMapName } from './workload-volumes.ts';

/**
 * A ConfigMap per `files` volume of the service, holding the repository files the volume names (`repository`,
 * loaded by synth beforehand). Returns every file's text by `<volume>/<key>`, which the pod template hashes so that
 * a changed file rolls the pods.
 */
export function addFilesConfigMaps(
  scope: Construct,
  service: ServiceConfig,
  labels: Readonly<Record<string, string>>,
  repository: ReadonlyMap<string, string> | undefined,
): Map<string, string> {
  const all = new Map<string, string>();
  for (const volume of service.volumes) {
    if (!volume.files) continue;
    const data: Record<string, string> = {};
    for (const [key, path] of Object.entries(volume.files)) {
      const text = repository?.get(path);
      if (text === undefined) throw new Error(`unloaded repository file ${path} (services.${service.name}.volumes.${volume.name})`);
      data[key] = text;
      all.set(`${volume.name}/${key}`, text);
    }
    new kplus.k8s.KubeConfigMap(scope, `Files-${volume.name}`, { metadata: { name: filesConfigMapName(service.name, volume.name), labels }, data });
  }
  return all;
}
