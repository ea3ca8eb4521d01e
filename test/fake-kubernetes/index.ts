/** The stateful Kubernetes API fake: Namespaces, Applications and ApplicationSets, watched and patched over HTTP. */
export { ADMIN_TOKEN, FakeKubernetes, startFakeKubernetes } from './server.ts';
export type { KubernetesFault, KubernetesRequestRecord } from './server.ts';
export type { Grant, Identity, PolicyRule } from './rbac.ts';
export { FakeKubernetesStore, RESOURCE_TYPES } from './store.ts';
export type { StoredObject } from './store.ts';
