/**
 * An Ingress backend that names a missing Service, or a port the Service does not expose, answers 503 for every
 * request while Argo CD reports the application healthy. Each backend must name a Service of the same overlay
 * and one of its ports (by number or by name).
 */
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { finding, type Finding } from '../finding.ts';
import { objectsOfKind } from '../kinds.ts';
import { asArray, asRecord, asString, valueAt } from '../object-access.ts';
import { environmentObjects, type Scope } from '../render.ts';
import type { Rule } from '../rule.ts';

export const ingressBackendsRule: Rule = {
  id: 'ingress-backend',
  summary: 'every Ingress backend names a Service of the same environment and one of its ports',
  check(tree) {
    return tree.scopes.flatMap((scope) => {
      const services = new Map(objectsOfKind(environmentObjects(tree, scope), '', 'Service').map((service) => [service.metadata.name, service]));
      return objectsOfKind(scope.objects, 'networking.k8s.io', 'Ingress').flatMap((ingress) =>
        backendsOf(ingress).flatMap((path) => checkBackend(ingress, path, services, scope)),
      );
    });
  },
};

/** Paths of every service backend: the default backend, then each rule's paths. */
function backendsOf(ingress: KubernetesObject): PropertyKey[][] {
  const paths: PropertyKey[][] = [];
  if (valueAt(ingress, ['spec', 'defaultBackend', 'service']) !== undefined) paths.push(['spec', 'defaultBackend', 'service']);
  asArray(valueAt(ingress, ['spec', 'rules'])).forEach((rule, ruleIndex) => {
    asArray(valueAt(rule, ['http', 'paths'])).forEach((httpPath, pathIndex) => {
      if (valueAt(httpPath, ['backend', 'service']) !== undefined) {
        paths.push(['spec', 'rules', ruleIndex, 'http', 'paths', pathIndex, 'backend', 'service']);
      }
    });
  });
  return paths;
}

function checkBackend(ingress: KubernetesObject, path: PropertyKey[], services: Map<string, KubernetesObject>, scope: Scope): Finding[] {
  const backend = asRecord(valueAt(ingress, path));
  const name = asString(backend?.name);
  if (name === undefined) return [];
  const service = services.get(name);
  if (!service) {
    const known = [...services.keys()];
    return [
      finding(
        'ingress-backend',
        { scope: scope.name, object: ingress, path: [...path, 'name'] },
        `names Service "${name}", which is not in ${scope.name}`,
        known.length ? `name one of the overlay's Services (${known.join(', ')}), or add the Service` : 'add the Service to the overlay',
      ),
    ];
  }
  const port = asRecord(backend?.port);
  const ports = asArray(valueAt(service, ['spec', 'ports'])).map((value) => asRecord(value) ?? {});
  const exposed = ports.map((entry) => (entry.name === undefined ? String(entry.port) : `${String(entry.port)} (${String(entry.name)})`)).join(', ');
  if (typeof port?.number === 'number' && !ports.some((entry) => entry.port === port.number)) {
    return [
      finding(
        'ingress-backend',
        { scope: scope.name, object: ingress, path: [...path, 'port', 'number'] },
        `asks for port ${port.number} of Service "${name}", which exposes ${exposed || 'no port'}`,
        "use one of the Service's ports (the Service's port, not the container's)",
      ),
    ];
  }
  if (typeof port?.name === 'string' && !ports.some((entry) => entry.name === port.name)) {
    return [
      finding(
        'ingress-backend',
        { scope: scope.name, object: ingress, path: [...path, 'port', 'name'] },
        `asks for port "${port.name}" of Service "${name}", which exposes ${exposed || 'no port'}`,
        "use the name of one of the Service's ports, or give the port number",
      ),
    ];
  }
  return [];
}
