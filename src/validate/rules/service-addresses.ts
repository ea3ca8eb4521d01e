/**
 * An environment variable that addresses a Service of the environment by name and port (`cartservice:7070`,
 * `http://api:8080/v1`) must name a port that Service exposes: a call to any other port fails at connect time,
 * and nothing else would notice. The `port` shorthand exposes port 80 only, so `api:8080` is the classic case.
 * Values are read from the containers' `env` and from the ConfigMaps their `envFrom` loads.
 */
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { finding, type Finding } from '../finding.ts';
import { isKind } from '../kinds.ts';
import { asArray, asRecord, asString } from '../object-access.ts';
import { containersOf, podTemplates } from '../pod-templates.ts';
import { environmentObjects } from '../render.ts';
import type { Rule } from '../rule.ts';

// A host that is a DNS label, optionally `.<namespace>`, `.svc`, `.svc.cluster.local`, then `:<port>`; not part of a
// longer name (`api.example.com:443` is no Service of ours) and not followed by more digits.
const ADDRESS = /(?<![-a-z0-9.])([a-z]([-a-z0-9]*[a-z0-9])?)(?:\.([a-z0-9]([-a-z0-9]*[a-z0-9])?))?(\.svc(\.cluster\.local)?)?:([0-9]{1,5})(?![0-9])/g;

interface Address {
  readonly host: string;
  readonly namespace: string | undefined;
  readonly port: number;
}

/** The `<host>[.<namespace>[.svc[.cluster.local]]]:<port>` addresses in a value. */
export function addressesIn(value: string): Address[] {
  return [...value.matchAll(ADDRESS)].map((match) => ({ host: match[1]!, namespace: match[3], port: Number(match[7]) }));
}

export const serviceAddressesRule: Rule = {
  id: 'service-address',
  summary: 'an env value addressing <service>:<port> names a port that Service exposes',
  check(tree) {
    const findings: Finding[] = [];
    for (const scope of tree.scopes) {
      if (!scope.environment) continue;
      const objects = environmentObjects(tree, scope);
      const servicePorts = new Map<string, number[]>();
      for (const service of objects.filter((object) => isKind(object, '', 'Service'))) {
        const ports = asArray(asRecord(service.spec)?.ports).flatMap((port) => {
          const number = asRecord(port)?.port;
          return typeof number === 'number' ? [number] : [];
        });
        servicePorts.set(service.metadata.name, ports);
      }
      const check = (value: string, object: KubernetesObject, path: readonly PropertyKey[]) => {
        for (const address of addressesIn(value)) {
          const ports = servicePorts.get(address.host);
          // Another namespace's Service (or a host that is no Service here) is not this environment's to judge.
          if (ports === undefined || (address.namespace !== undefined && address.namespace !== scope.namespace)) continue;
          if (ports.includes(address.port)) continue;
          findings.push(
            finding(
              'service-address',
              { scope: scope.name, object, path },
              `"${value}" addresses ${address.host}:${address.port}, but Service ${address.host} exposes ${ports.length > 0 ? `port ${ports.join(', ')}` : 'no port'}: the call would fail`,
              `address a port the Service exposes (${ports.map((port) => `${address.host}:${port}`).join(' or ') || 'none'}), or expose ${address.port} on ${address.host} ` +
                `(in dynenv.yaml: ports: [{ name, containerPort, port: ${address.port} }])`,
            ),
          );
        }
      };
      const configMaps = new Set<string>();
      for (const template of podTemplates(scope.objects)) {
        for (const { container, path } of containersOf(template)) {
          asArray(container.env).forEach((entry, index) => {
            const value = asString(asRecord(entry)?.value);
            if (value !== undefined) check(value, template.object, [...path, 'env', index, 'value']);
          });
          for (const source of asArray(container.envFrom)) {
            const name = asString(asRecord(asRecord(source)?.configMapRef)?.name);
            if (name !== undefined) configMaps.add(name);
          }
        }
      }
      for (const configMap of scope.objects.filter((object) => isKind(object, '', 'ConfigMap') && configMaps.has(object.metadata.name))) {
        for (const [key, value] of Object.entries(asRecord(configMap.data) ?? {})) {
          if (typeof value === 'string') check(value, configMap, ['data', key]);
        }
      }
    }
    return findings;
  },
};
