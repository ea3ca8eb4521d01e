/** A fake Kubernetes API per test: closed after it, and its schema violations checked (they void the test). */
import { expect } from 'vitest';
import { KubernetesApiClient } from '../../plugin-server/kubernetes/api-client.ts';
import type { KubernetesConnection } from '../../plugin-server/kubernetes/connection.ts';
import { ADMIN_TOKEN, startFakeKubernetes, type FakeKubernetes } from '../fake-kubernetes/index.ts';
import { afterEveryTest } from './after-each.ts';

const running: FakeKubernetes[] = [];
afterEveryTest(async () => {
  const fakes = running.splice(0);
  await Promise.all(fakes.map((fake) => fake.close()));
  for (const fake of fakes) expect(fake.schemaViolations).toEqual([]);
});

export async function startKubernetes(): Promise<FakeKubernetes> {
  const fake = await startFakeKubernetes();
  running.push(fake);
  return fake;
}

/** A connection to `fake` with `token` (plain HTTP on loopback). */
export function connectionTo(fake: FakeKubernetes, token: string = ADMIN_TOKEN): KubernetesConnection {
  return { server: fake.url, authorization: async () => `Bearer ${token}`, tls: { insecureSkipVerify: false }, source: 'fake' };
}

export function clientOf(fake: FakeKubernetes, token: string = ADMIN_TOKEN): KubernetesApiClient {
  return new KubernetesApiClient(connectionTo(fake, token));
}
