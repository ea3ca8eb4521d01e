/**
 * Rules of the network settings that only the whole configuration can check: an Ingress with no known source
 * of the ingress controller's traffic, a named destination that does not exist on the platform, an address of
 * a family the cluster's pods do not use, a shorthand set beside the field it abbreviates.
 */
import { ENVIRONMENT_NAMES } from './environment-names.ts';
import { cidrFamily, type EgressRule } from './network-schema.ts';
import { resolveCluster, type ResolvedCluster } from './resolve-cluster.ts';
import type { Config } from './schema.ts';

type Issue = { path: (string | number)[]; message: string };

export function networkProblems(config: Config): Issue[] {
  const cluster = resolveCluster(config);
  return [...shorthandRules(config), ...ingressRules(config, cluster), ...egressRules(config, cluster)];
}

function shorthandRules(config: Config): Issue[] {
  const { cluster } = config;
  const issues: Issue[] = [];
  if (cluster.ingressControllerNamespace !== undefined && cluster.ingressController.from !== undefined) {
    issues.push({ path: ['cluster', 'ingressControllerNamespace'], message: 'set either this or "cluster.ingressController.from", not both' });
  }
  for (const field of ['dnsNamespace', 'dnsPodLabels'] as const) {
    if (cluster[field] !== undefined && cluster.dns.peers !== undefined) {
      issues.push({ path: ['cluster', field], message: 'set either this or "cluster.dns.peers", not both' });
    }
  }
  if (cluster.dns.peers?.length === 0) {
    issues.push({ path: ['cluster', 'dns', 'peers'], message: 'expected at least one peer: without one no pod can resolve a name' });
  }
  return issues;
}

function ingressRules(config: Config, cluster: ResolvedCluster): Issue[] {
  const withHost = ENVIRONMENT_NAMES.filter((envName) => (envName === 'preview' ? config.preview.host : config.environments[envName].host));
  const exposed = config.services.some((service) => service.ingress) && withHost.length > 0;
  if ((!exposed && config.argocd.plugin.webhook === undefined) || cluster.ingressFrom.length > 0) return [];
  return [
    {
      path: ['cluster', 'ingressController', 'from'],
      message:
        `${cluster.profile.title} has no ingress controller of its own, and an Ingress needs one: name where its traffic comes from, ` +
        'e.g. [{ namespace: ingress-nginx }], or the subnets of your load balancers ([{ cidr: 10.0.0.0/16 }]) for the AWS Load ' +
        'Balancer Controller in IP mode',
    },
  ];
}

function egressRules(config: Config, cluster: ResolvedCluster): Issue[] {
  const issues: Issue[] = [];
  for (const envName of ENVIRONMENT_NAMES) {
    const environment = config.environments[envName];
    const at = (...path: (string | number)[]) => ['environments', envName, ...path];
    if (envName === 'preview' && environment.database !== undefined) {
      issues.push({ path: at('database'), message: 'a preview runs its own database in its namespace: leave this out' });
    }
    const check = (rules: readonly EgressRule[], path: (string | number)[], hasDatabase: boolean) =>
      rules.forEach((rule, index) => issues.push(...ruleProblems(rule, [...path, index], hasDatabase, cluster, envName)));
    check(environment.network.allowEgress, at('network', 'allowEgress'), environment.database !== undefined);
    for (const [serviceName, override] of Object.entries(environment.services)) {
      const service = config.services.find((candidate) => candidate.name === serviceName);
      if (override.database !== undefined) {
        if (envName === 'preview') {
          issues.push({ path: at('services', serviceName, 'database'), message: 'a preview runs its own database in its namespace: leave this out' });
        } else if (service !== undefined && service.database === undefined) {
          issues.push({ path: at('services', serviceName, 'database'), message: `needs "database" on service "${serviceName}"` });
        }
      }
      check(override.egress, at('services', serviceName, 'egress'), (override.database ?? environment.database) !== undefined);
    }
  }
  return issues;
}

function ruleProblems(rule: EgressRule, path: (string | number)[], hasDatabase: boolean, cluster: ResolvedCluster, envName: string): Issue[] {
  if (rule.to !== undefined && rule.cidr !== undefined) return []; // The schema said so already.
  if (rule.to === 'metadata-server' && cluster.metadataServer.length === 0) {
    return [
      {
        path: [...path, 'to'],
        message: `${cluster.profile.title} has no metadata server dynenv knows: set "cluster.metadataServer" (its addresses and ports)`,
      },
    ];
  }
  if (rule.to === 'database' && !hasDatabase) {
    const why = envName === 'preview' ? "a preview's database is in its namespace, which its pods may already reach" : `set "environments.${envName}.database"`;
    return [{ path: [...path, 'to'], message: `no external database in ${envName}: ${why}` }];
  }
  const blocks = rule.cidr !== undefined ? [rule.cidr, ...rule.except] : [];
  return blocks
    .filter((block) => !cluster.ipFamilies.includes(cidrFamily(block)))
    .map((block) => ({
      path: [...path, rule.cidr === block ? 'cidr' : 'except'],
      message: `"${block}" is ${cidrFamily(block)}, and the cluster's pods use ${cluster.ipFamilies.join(' and ')} only (cluster.ipFamilies): the rule would match nothing`,
    }));
}
