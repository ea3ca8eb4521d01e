/** The fake Kubernetes API's store: what its listeners (the watches, the simulated controllers) can rely on. */
import { describe, expect, it } from 'vitest';
import { FakeKubernetesStore } from './store.ts';

describe('FakeKubernetesStore', () => {
  it('removes a listener once, however often it is removed (a watch unsubscribes when it ends and again when it closes)', () => {
    const store = new FakeKubernetesStore();
    const heard: string[] = [];
    const off = store.onEvent(() => heard.push('watch'));
    store.onEvent((event) => heard.push(`controller ${event.type} ${event.object.metadata.name}`));
    off();
    off();
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    expect(heard).toEqual(['controller ADDED team-a']);
  });
});
