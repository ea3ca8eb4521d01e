/**
 * The workload model of `services[]`: every field's bad values, each answered with the service, the field and what
 * was expected (table tests pin the exact messages), and the good values as the rest of dynenv reads them.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { digest, problems, withService } from '../support/config-problems.ts';

const at = (field: string, message: string) => `dynenv.yaml: services[0].${field}: ${message}`;

describe('services[]: bad values', () => {
  const cases: Array<[string, string, string[]]> = [
    // ports
    [
      'port and ports together',
      'port: 80\nports: [{ name: http, containerPort: 80 }]\nhealthCommand: [x]',
      [at('ports', 'set either "port" (one HTTP port) or "ports", not both')],
    ],
    [
      'a port name Kubernetes refuses',
      'ports: [{ name: GRPC_1, containerPort: 7070 }]\nhealthCommand: [x]',
      [at('ports[0].name', 'expected a port name of lower-case letters, digits and single "-", with at least one letter, got "GRPC_1"')],
    ],
    [
      'a port name longer than 15 characters',
      'ports: [{ name: a-very-long-port-name, containerPort: 7070 }]\nhealthCommand: [x]',
      [at('ports[0].name', 'expected at most 15 characters (a Kubernetes port name), got "a-very-long-port-name"')],
    ],
    ['a port without a name', 'ports: [{ containerPort: 7070 }]\nhealthCommand: [x]', [at('ports[0].name', 'missing, expected a port name')]],
    [
      'a protocol in lower case',
      'ports: [{ name: dns, containerPort: 53, protocol: udp }]\nhealthCommand: [x]',
      [at('ports[0].protocol', 'expected "TCP", "UDP" or "SCTP", got "udp"')],
    ],
    [
      'an application protocol with spaces',
      'ports: [{ name: web, containerPort: 80, appProtocol: "http 2" }]\nhealthCommand: [x]',
      [at('ports[0].appProtocol', 'expected an application protocol such as "grpc", "http", "tcp" or "kubernetes.io/h2c", got "http 2"')],
    ],
    [
      'the same name, container port and Service port twice',
      'ports: [{ name: grpc, containerPort: 7070 }, { name: grpc, containerPort: 7070 }]\nhealthCommand: [x]',
      [
        at('ports[1].name', 'port name grpc also in ports[0]'),
        at('ports[1].containerPort', 'container port 7070 also in ports[0]'),
        at('ports[1].port', 'Service port 7070 also in ports[0]'),
      ],
    ],
    [
      'an empty list of ports',
      'ports: []\nhealthCommand: [x]',
      [at('ports', 'expected at least one port (leave "ports" out for a service without one), got []')],
    ],
    [
      'an ingress on several ports, none named http',
      'ports: [{ name: grpc, containerPort: 7070 }, { name: admin, containerPort: 9090 }]\nhealthCommand: [x]\ningress: true',
      [at('ingress', 'uses the port named "http", and there is none among grpc, admin')],
    ],
    // probes
    [
      'a probe on a port the service does not have',
      'ports: [{ name: grpc, containerPort: 7070 }]\nprobes: { readiness: { grpc: { port: grcp } } }',
      [at('probes.readiness.grpc.port', 'no port named "grcp" on this service (ports: grpc)')],
    ],
    [
      'a probe with two checks',
      'probes: { readiness: { exec: { command: [x] }, tcp: { port: 80 } } }',
      [at('probes.readiness', 'expected one check, got tcp and exec')],
    ],
    [
      'a probe with no check',
      'probes: { liveness: { periodSeconds: 5 } }\nhealthCommand: [x]',
      [at('probes.liveness', 'expected one of "http", "grpc", "tcp" or "exec"')],
    ],
    [
      'a probe that is true',
      'probes: { readiness: true }',
      [at('probes.readiness', 'expected false or a probe with one of "http", "grpc", "tcp" or "exec", got true')],
    ],
    [
      'a header that is not a string',
      'port: 80\nprobes: { readiness: { http: { port: http, headers: { Cookie: 1 } } } }',
      [at('probes.readiness.http.headers.Cookie', 'expected a string, got 1')],
    ],
    [
      'a period of zero',
      'probes: { readiness: { exec: { command: [x] }, periodSeconds: 0 } }',
      [at('probes.readiness.periodSeconds', 'expected an integer 1-86400, got 0')],
    ],
    [
      'an unknown probe kind',
      'probes: { ready: { exec: { command: [x] } } }\nhealthCommand: [x]',
      [at('probes.ready', 'unknown key (known keys: readiness, liveness, startup)')],
    ],
    [
      'no readiness check at all',
      'port: 80',
      [
        'dynenv.yaml: services[0]: needs a readiness check: set "healthPath" (with a port), "healthCommand" or "probes.readiness" (probes.readiness: false for a service that serves no traffic)',
      ],
    ],
    // env
    [
      'a Secret reference without a key',
      'healthCommand: [x]\nenv: { DB_PASSWORD: { secretKeyRef: { name: db } } }',
      [at('env.DB_PASSWORD.secretKeyRef.key', 'missing, expected a key')],
    ],
    [
      'a pod field Kubernetes does not offer',
      'healthCommand: [x]\nenv: { POD_IP: { fieldRef: status.podIp } }',
      [
        at(
          'env.POD_IP.fieldRef',
          "expected a pod field: one of metadata.name, metadata.namespace, metadata.uid, spec.nodeName, spec.serviceAccountName, status.hostIP, status.hostIPs, status.podIP, status.podIPs, metadata.labels['<key>'] or metadata.annotations['<key>']",
        ),
      ],
    ],
    [
      'an env value that is a list',
      'healthCommand: [x]\nenv: { A: [1] }',
      [
        at(
          'env.A',
          'expected a string, number or boolean, or one of {secretKeyRef: {name, key}}, {configMapKeyRef: {name, key}}, {fieldRef: <pod field>}, got [1]',
        ),
      ],
    ],
    [
      'envFrom naming both kinds',
      'healthCommand: [x]\nenvFrom: [{ configMap: a, secret: b }]',
      [at('envFrom[0]', 'expected exactly one of "configMap" or "secret"')],
    ],
  ];

  it.each(cases)('%s', (_, fields, expected) => {
    expect(problems(withService(fields))).toEqual(expected);
  });
});

describe('services[].image', () => {
  const cases: Array<[string, string, string[]]> = [
    [
      'a Docker Hub official image without a tag',
      'redis',
      [
        at(
          'image',
          'docker.io/library/redis is a Docker Hub official image, which no application builds: give its tag or digest ("redis:<tag>") to run it as a third-party image',
        ),
      ],
    ],
    [
      'an upper-case name',
      'Redis:7',
      [
        at(
          'image',
          'expected lower-case letters, digits and single ".", "_" or "-" between them in "Redis" (image names are lower-case: "redis"), got "Redis:7"',
        ),
      ],
    ],
    [
      'a malformed digest',
      'ghcr.io/acme/api@sha256:abc',
      [at('image', 'expected the digest after "@" to be "sha256:" and 64 lower-case hex digits, got "ghcr.io/acme/api@sha256:abc"')],
    ],
  ];
  it.each(cases)('refuses %s', (_, image, expected) => {
    expect(problems(withService('healthCommand: [x]', image))).toEqual(expected);
  });

  it('refuses a digest on an image this repository builds, and a third-party image without tag or digest', () => {
    expect(problems(withService(`builtHere: true\nhealthCommand: [x]`, `ghcr.io/acme/api:v1@${digest('c')}`))).toEqual([
      at(
        'image',
        `an image this repository builds takes its digest from each environment (environments.<env>.services.api.digest, moved by \`dynenv promote\`): drop "@${digest('c')}" here, or set builtHere: false`,
      ),
    ]);
    expect(problems(withService('builtHere: false\nhealthCommand: [x]').replace(/ {2}staging:.*\n {2}prod:.*\n/, ''))).toEqual([
      at('image', 'a third-party image (builtHere: false) runs as written in every environment: give its tag or digest ("ghcr.io/acme/api:<tag>")'),
    ]);
  });

  it('normalises Docker Hub short names, and needs no pin anywhere for a third-party image', () => {
    const text = withService('healthCommand: [x]', 'redis:7.4')
      .replace(/ {2}staging:.*\n {2}prod:.*\n/, '')
      .replace('dev: { imageTag: main }', 'dev: {}');
    expect(parseConfig(text).services[0]!.image).toBe('docker.io/library/redis:7.4');
  });

  it('runs the tag of an image built here wherever nothing is pinned, so staging and prod need no digest yet', () => {
    const text = withService('builtHere: true\nhealthCommand: [x]', 'ghcr.io/acme/api:v1')
      .replace(/ {2}staging:.*\n {2}prod:.*\n/, '')
      .replace('dev: { imageTag: main }', 'dev: {}');
    expect(parseConfig(text).services[0]).toMatchObject({ image: 'ghcr.io/acme/api:v1', builtHere: true });
  });
});

describe('services[]: good values', () => {
  it('reads named ports, probes by port name and env references', () => {
    const service = parseConfig(
      withService(`ports:
  - { name: grpc, containerPort: 7070, appProtocol: grpc }
  - { name: http, containerPort: 8080, port: 80 }
probes:
  readiness: { grpc: { port: grpc }, initialDelaySeconds: 15 }
  liveness: { http: { port: http, path: /_healthz, headers: { Cookie: "shop_session-id=x-liveness-probe" } } }
env:
  PORT: 8080
  DB_PASSWORD: { secretKeyRef: { name: db, key: password } }
  POD_IP: { fieldRef: status.podIP }
envFrom: [{ secret: api-keys, prefix: KEYS_ }]`),
    ).services[0]!;
    expect(service.ports).toEqual([
      { name: 'grpc', containerPort: 7070, appProtocol: 'grpc', protocol: 'TCP' },
      { name: 'http', containerPort: 8080, port: 80, protocol: 'TCP' },
    ]);
    expect(service.probes?.liveness).toEqual({
      http: { port: 'http', path: '/_healthz', scheme: 'HTTP', headers: { Cookie: 'shop_session-id=x-liveness-probe' } },
    });
    expect(service.env).toEqual({ PORT: '8080', DB_PASSWORD: { secretKeyRef: { name: 'db', key: 'password' } }, POD_IP: { fieldRef: 'status.podIP' } });
    expect(service.envFrom).toEqual([{ secret: 'api-keys', prefix: 'KEYS_' }]);
  });

  it('accepts a service that declares it serves no traffic instead of a readiness probe', () => {
    expect(parseConfig(withService('probes: { readiness: false }')).services[0]!.probes).toEqual({ readiness: false });
  });
});
