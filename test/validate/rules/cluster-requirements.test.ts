/** The warnings about what the tree needs from the cluster, and the settings that silence each. */
import { describe, expect, it } from 'vitest';
import type { ClusterFacts } from '../../../src/validate/cluster-facts.ts';
import {
  acmeSolverRule,
  ingressClassRule,
  networkPolicyEnforcementRule,
  servicePortRule,
  storageClassRule,
} from '../../../src/validate/rules/cluster-requirements.ts';
import { PLATFORM_PROFILES } from '../../../src/platforms/index.ts';
import { CONTEXT, addObjects, healthyTree, lines, objectIn } from '../fixtures.ts';

const withCluster = (facts: Partial<ClusterFacts>) => ({ ...CONTEXT, cluster: { ...CONTEXT.cluster, ...facts } });

const DATABASE = `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: api-postgres }
spec:
  serviceName: api-postgres
  selector: { matchLabels: { app.kubernetes.io/name: api-postgres } }
  template:
    metadata: { labels: { app.kubernetes.io/name: api-postgres } }
    spec: { containers: [{ name: postgres, image: postgres }] }
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: cache }
spec: { storageClassName: fast, accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`;

describe('network-policy-enforcement rule', () => {
  it('is silent once the configuration says the plugin enforces NetworkPolicy', async () => {
    expect(await lines(networkPolicyEnforcementRule, healthyTree())).toEqual([]);
  });

  it('says what it cannot see, and how the platform enforces policies', async () => {
    const context = withCluster({ networkPolicyEnforced: undefined, profile: PLATFORM_PROFILES.eks });
    const [warning] = await networkPolicyEnforcementRule.check(healthyTree(), context);
    expect(warning).toMatchObject({
      severity: 'warning',
      scope: 'prod',
      message:
        "prod's NetworkPolicies are its fence, and only a network plugin that enforces NetworkPolicy applies them; dynenv cannot see whether this cluster's does",
      fix: 'make sure of it (on Amazon EKS: the Amazon VPC CNI 1.14 or later with the add-on setting "enableNetworkPolicy": "true" (or another policy engine such as Calico)), then say so: "cluster.networkPolicyEnforced: true" in dynenv.yaml',
    });
  });

  it('says the fence is absent where the configuration says policies are not enforced', async () => {
    expect(await lines(networkPolicyEnforcementRule, healthyTree(), withCluster({ networkPolicyEnforced: false }))).toEqual([
      "warning prod NetworkPolicy: prod's NetworkPolicies are not enforced on this cluster (cluster.networkPolicyEnforced: false): every fence of the environment is absent",
    ]);
  });
});

describe('storage-class rule', () => {
  const tree = () => {
    const fixture = healthyTree();
    addObjects(fixture, 'prod', DATABASE);
    return fixture;
  };

  it('is silent where the cluster has a default StorageClass', async () => {
    expect(await lines(storageClassRule, tree())).toEqual([]);
  });

  it('warns about every claim without a class where nothing is known', async () => {
    expect(await lines(storageClassRule, tree(), withCluster({ defaultStorageClass: 'unknown' }))).toEqual([
      'warning prod StatefulSet/api-postgres spec.volumeClaimTemplates[0].spec.storageClassName: names no StorageClass, so it binds only if the cluster has a default StorageClass, which dynenv cannot see (EKS 1.30+ has none: the claim would stay Pending and the sync wait on it)',
    ]);
  });

  it('says the claim never binds where the platform has no default (EKS 1.30+)', async () => {
    const [warning] = await storageClassRule.check(tree(), withCluster({ defaultStorageClass: 'absent', profile: PLATFORM_PROFILES.eks }));
    expect(warning?.message).toBe(
      'names no StorageClass, and Amazon EKS has no default one (EKS 1.30+): the claim stays Pending, the StatefulSet never becomes ready and the sync waits on it',
    );
    expect(warning?.fix).toBe(
      'name the StorageClass: "cluster.storageClassName" in dynenv.yaml (for the preview database also "preview.database.storageClassName")',
    );
  });
});

describe('ingress-class rule', () => {
  it('is silent when the configuration names the class, or on GKE (its controller serves class-less Ingresses)', async () => {
    expect(await lines(ingressClassRule, healthyTree())).toEqual([]);
    expect(await lines(ingressClassRule, healthyTree(), withCluster({ ingressClassName: undefined, profile: PLATFORM_PROFILES.gke }))).toEqual([]);
  });

  it('warns about an Ingress without a class elsewhere', async () => {
    expect(await lines(ingressClassRule, healthyTree(), withCluster({ ingressClassName: undefined }))).toEqual([
      'warning prod Ingress/api spec.ingressClassName: names no IngressClass, so only a default IngressClass serves it, which dynenv cannot see (without one, no controller routes its host)',
    ]);
  });

  it('takes an explicit class on the object', async () => {
    const tree = healthyTree();
    objectIn(tree, 'prod', 'Ingress', 'api').spec.ingressClassName = 'nginx';
    expect(await lines(ingressClassRule, tree, withCluster({ ingressClassName: undefined }))).toEqual([]);
  });
});

describe('acme-solver rule', () => {
  const issued = () => {
    const tree = healthyTree();
    objectIn(tree, 'prod', 'Ingress', 'api').metadata.annotations = { 'cert-manager.io/cluster-issuer': 'letsencrypt' };
    return tree;
  };

  it('is silent without a cert-manager issuer, or once the configuration says how it solves', async () => {
    expect(await lines(acmeSolverRule, healthyTree(), withCluster({ acmeSolver: undefined }))).toEqual([]);
    expect(await lines(acmeSolverRule, issued())).toEqual([]);
    expect(await lines(acmeSolverRule, issued(), withCluster({ acmeSolver: 'dns01' }))).toEqual([]);
  });

  it('tells that HTTP-01 needs a ClusterIP solver Service', async () => {
    const [warning] = await acmeSolverRule.check(issued(), withCluster({ acmeSolver: undefined }));
    expect(warning).toMatchObject({
      severity: 'warning',
      path: 'metadata.annotations["cert-manager.io/cluster-issuer"]',
      message:
        'cert-manager issues this certificate through "letsencrypt"; if it solves HTTP-01, its solver Service is a NodePort by default, which the quota refuses (services.nodeports: 0), so issuance and every renewal fail',
      fix: 'set "serviceType: ClusterIP" in the issuer\'s http01.ingress solver (or solve with DNS-01), then say which: "cluster.certManager.solver: http01" (or "dns01") in dynenv.yaml',
    });
  });
});

describe('service-port rule', () => {
  it('is silent where the policy engine does not care', async () => {
    expect(await lines(servicePortRule, healthyTree())).toEqual([]);
  });

  it('on EKS, warns about a Service port that is not the container port (by name or number)', async () => {
    const tree = healthyTree();
    expect(await lines(servicePortRule, tree, withCluster({ profile: PLATFORM_PROFILES.eks }))).toEqual([
      "warning prod Service/api spec.ports[0].port: port 80 forwards to container port 8080: on Amazon EKS the VPC CNI's network policy engine needs a Service's port to be the container port, or its policies drop the traffic",
    ]);
    objectIn(tree, 'prod', 'Service', 'api').spec.ports = [{ name: 'http', port: 8080, targetPort: 8080 }];
    expect(await lines(servicePortRule, tree, withCluster({ profile: PLATFORM_PROFILES.eks }))).toEqual([]);
  });
});
