/**
 * What dynenv.yaml says exists in the cluster without being in the tree: the objects declared under `external:`,
 * and the Secrets that dynenv's own design keeps out of Git. Those are the plugin server's token and GitHub
 * Secrets (created with kubectl, in Argo CD's namespace) and each database's credentials Secret (generated in a
 * preview by its credentials Job; provided by the platform in dev, staging and prod). And `kube-root-ca.crt`, which
 * Kubernetes publishes in every namespace: the controller container mounts the cluster's CA from it.
 */
import type { Config, ExternalObjects } from '../config/schema.ts';
import { KUBE_ROOT_CA_CONFIGMAP } from '../constructs/plugin-controller.ts';
import { databaseSecretName } from '../constructs/preview-database.ts';

export function externalObjects(config: Config): ExternalObjects {
  const { external, argocd, services } = config;
  const secrets = [
    ...external.secrets,
    argocd.plugin.tokenSecret.name,
    argocd.plugin.githubSecret,
    ...services.filter((service) => service.database !== undefined).map((service) => databaseSecretName(service.name)),
  ];
  const configMaps = [...external.configMaps, ...(argocd.plugin.controller.enabled ? [KUBE_ROOT_CA_CONFIGMAP] : [])];
  return { ...external, secrets: [...new Set(secrets)], configMaps: [...new Set(configMaps)] };
}
