/** The ConfigMaps that carry repository files into a service's `files` volumes (src/constructs/files-config-maps.ts). */
import { ApiObject, App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import type { ServiceConfig } from '../../src/config/schema.ts';
import { addFilesConfigMaps } from '../../src/constructs/files-config-maps.ts';

/** The `cache` service of a configuration whose volumes are `volumes` (YAML flow list). */
function cache(volumes: string): ServiceConfig {
  const config = parseConfig(
    `app: shop\nservices:\n  - name: cache\n    image: redis:7.4\n    healthCommand: [redis-cli, ping]\n    volumes: ${volumes}\nenvironments:\n  dev: {}\n`,
  );
  return config.services[0]!;
}

function synth(service: ServiceConfig, repository: ReadonlyMap<string, string> | undefined) {
  const chart = new Chart(new App(), 'test');
  const texts = addFilesConfigMaps(chart, service, { 'app.kubernetes.io/name': service.name }, repository);
  const objects = chart.node
    .findAll()
    .filter((construct): construct is ApiObject => construct instanceof ApiObject)
    .map((object) => object.toJson());
  return { texts, objects };
}

describe('addFilesConfigMaps', () => {
  it('makes one ConfigMap per files volume, named <service>-<volume>, with each file under its key', () => {
    const service = cache(
      '[{ name: conf, mountPath: /etc/redis, files: { redis.conf: config/redis.conf, users.acl: config/users.acl } }, { name: data, mountPath: /data, emptyDir: {} }]',
    );
    const repository = new Map([
      ['config/redis.conf', 'maxmemory 64mb\n'],
      ['config/users.acl', 'user default on nopass ~* +@all\n'],
      ['config/unused.conf', 'not named by any volume\n'],
    ]);
    const { texts, objects } = synth(service, repository);
    expect(objects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cache-conf', labels: { 'app.kubernetes.io/name': 'cache' } },
        data: { 'redis.conf': 'maxmemory 64mb\n', 'users.acl': 'user default on nopass ~* +@all\n' },
      },
    ]);
    // What the pod template hashes, so that a changed file rolls the pods.
    expect([...texts]).toEqual([
      ['conf/redis.conf', 'maxmemory 64mb\n'],
      ['conf/users.acl', 'user default on nopass ~* +@all\n'],
    ]);
  });

  it('makes nothing for a service without files volumes', () => {
    expect(synth(cache('[{ name: data, mountPath: /data, emptyDir: {} }]'), new Map())).toEqual({ texts: new Map(), objects: [] });
  });

  it('refuses a file synth did not load, naming the service and the volume', () => {
    const service = cache('[{ name: conf, mountPath: /etc/redis, files: { redis.conf: config/redis.conf } }]');
    expect(() => synth(service, new Map())).toThrow('unloaded repository file config/redis.conf (services.cache.volumes.conf)');
    expect(() => synth(service, undefined)).toThrow('services.cache.volumes.conf');
  });
});
