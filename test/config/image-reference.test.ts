import { describe, expect, it } from 'vitest';
import { parseImageReference, resolveImage, shortImageName } from '../../src/config/image-reference.ts';

const digest = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  it.each([
    ['redis', { repository: 'docker.io/library/redis' }],
    ['redis:7.4-alpine', { repository: 'docker.io/library/redis', tag: '7.4-alpine' }],
    ['bitnami/redis', { repository: 'docker.io/bitnami/redis' }],
    ['docker.io/redis:7', { repository: 'docker.io/library/redis', tag: '7' }],
    ['index.docker.io/library/redis', { repository: 'docker.io/library/redis' }],
    ['ghcr.io/acme/api', { repository: 'ghcr.io/acme/api' }],
    ['localhost:5000/api:dev', { repository: 'localhost:5000/api', tag: 'dev' }],
    ['localhost/api', { repository: 'localhost/api' }],
    [`busybox:1.38.0@${digest}`, { repository: 'docker.io/library/busybox', tag: '1.38.0', digest }],
    [
      'us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/frontend:v0.10.6',
      { repository: 'us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/frontend', tag: 'v0.10.6' },
    ],
  ])('reads %s as the runtime does', (text, expected) => {
    expect(parseImageReference(text)).toEqual(expected);
  });

  it.each([
    ['Redis', 'expected lower-case letters, digits and single ".", "_" or "-" between them in "Redis" (image names are lower-case: "redis")'],
    ['ghcr.io/acme/api@sha256:abc', 'expected the digest after "@" to be "sha256:" and 64 lower-case hex digits'],
    ['ghcr.io/acme/api:', 'expected a tag of letters, digits, "_", "." and "-" after ":", got ""'],
    ['ghcr.io//api', 'expected an image name such as "ghcr.io/acme/api"'],
    ['ghcr.io/acme/a..b', 'expected lower-case letters, digits and single ".", "_" or "-" between them in "a..b"'],
  ])('refuses %s, saying why', (text, problem) => {
    expect(parseImageReference(text)).toEqual({ problem });
  });
});

describe('resolveImage', () => {
  it('takes an image without tag or digest as built here, and one with either as third-party', () => {
    expect(resolveImage('ghcr.io/acme/api', undefined)).toMatchObject({ builtHere: true, reference: 'ghcr.io/acme/api' });
    expect(resolveImage('docker.io/library/redis:7', undefined)).toMatchObject({ builtHere: false, reference: 'docker.io/library/redis:7' });
  });

  it('keeps the tag of an image built here as what runs until an environment pins its own', () => {
    expect(resolveImage('ghcr.io/acme/api:v1', true)).toEqual({ repository: 'ghcr.io/acme/api', tag: 'v1', builtHere: true, reference: 'ghcr.io/acme/api:v1' });
  });
});

describe('shortImageName', () => {
  it('writes Docker Hub repositories as people type them', () => {
    expect(shortImageName('docker.io/library/redis')).toBe('redis');
    expect(shortImageName('docker.io/bitnami/redis')).toBe('bitnami/redis');
    expect(shortImageName('ghcr.io/acme/api')).toBe('ghcr.io/acme/api');
  });
});
