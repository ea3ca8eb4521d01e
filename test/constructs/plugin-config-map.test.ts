/** PluginConfigMap, on its own: what Argo CD reads to call the plugin server, with no token in it. */
import { describe, expect, it } from 'vitest';
import { PluginConfigMap } from '../../src/constructs/plugin-config-map.ts';
import { synthConstruct } from '../support/construct-synth.ts';

describe('PluginConfigMap', () => {
  it("names the server, the token by reference to a Secret in Argo CD's namespace, and the request timeout", () => {
    const [configMap] = synthConstruct(
      (chart) =>
        new PluginConfigMap(chart, 'plugin', {
          app: 'shop',
          name: 'dynenv-plugin-shop',
          namespace: 'argocd',
          baseUrl: 'http://dynenv-plugin.argocd.svc:4355',
          tokenSecret: { name: 'dynenv-plugin-token', key: 'token' },
          requestTimeoutSeconds: 30,
        }),
    );
    expect(configMap.metadata).toMatchObject({ name: 'dynenv-plugin-shop', namespace: 'argocd' });
    // Argo CD resolves `$<secret>:<key>` in its own namespace: the ConfigMap never holds the token itself.
    expect(configMap.data).toEqual({ baseUrl: 'http://dynenv-plugin.argocd.svc:4355', token: '$dynenv-plugin-token:token', requestTimeout: '30' });
  });
});
