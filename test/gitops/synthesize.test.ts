import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImages } from '../../src/gitops/kustomization.ts';
import { synthesize } from '../../src/gitops/synthesize.ts';
import { readTree } from '../../src/gitops/write.ts';
import { exampleWorkspace } from '../support/workspace.ts';

const promotedDigest = `sha256:${'f'.repeat(64)}`;

async function synthIn(dir: string, check = false) {
  return synthesize({ configFile: path.join(dir, 'dynenv.yaml'), outDir: path.join(dir, 'gitops'), check });
}

async function mtimes(dir: string): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const file of (await readTree(dir)).keys()) times.set(file, (await stat(path.join(dir, file))).mtimeMs);
  return times;
}

describe('synthesize', () => {
  it('writes the same bytes on every run', async () => {
    const first = await exampleWorkspace();
    const second = await exampleWorkspace();
    await synthIn(first);
    await synthIn(second);
    const a = await readTree(path.join(first, 'gitops'));
    expect(a.size).toBeGreaterThan(20);
    expect([...(await readTree(path.join(second, 'gitops')))]).toEqual([...a]);
  });

  it('reports every file as added on the first run and nothing on a no-op run, whose files keep their mtimes', async () => {
    const dir = await exampleWorkspace();
    const first = await synthIn(dir);
    expect(first.changed).toEqual([]);
    expect(first.added).toContain('overlays/prod/kustomization.yaml');
    // Dated back a day: a file the second run rewrote would carry the time of now, whatever the clock's resolution.
    const dayAgo = new Date(Date.now() - 86_400_000);
    for (const file of (await readTree(path.join(dir, 'gitops'))).keys()) await utimes(path.join(dir, 'gitops', file), dayAgo, dayAgo);
    const before = await mtimes(path.join(dir, 'gitops'));
    expect(await synthIn(dir)).toEqual({ added: [], changed: [], removed: [] });
    expect(await mtimes(path.join(dir, 'gitops'))).toEqual(before);
  });

  it('rewrites only the files a configuration change touches, and removes what no longer exists', async () => {
    const dir = await exampleWorkspace();
    await synthIn(dir);
    const config = path.join(dir, 'dynenv.yaml');
    const text = await readFile(config, 'utf8');
    // Drop the ingress flag of web: the Ingress objects and the ingress controller's NetworkPolicies disappear,
    // and the preview's host patch; LOG_LEVEL of prod changes one ConfigMap patch.
    await writeFile(config, text.replace('    ingress: true\n', '').replace('LOG_LEVEL: warn', 'LOG_LEVEL: error'));
    const changes = await synthIn(dir);
    expect(changes.added).toEqual([]);
    expect(changes.removed).toEqual([
      'overlays/dev/ingress.yaml',
      'overlays/dev/networkpolicy-allow-from-ingress-controller.yaml',
      'overlays/preview-fence/ingress.yaml',
      'overlays/preview-fence/networkpolicy-allow-from-ingress-controller.yaml',
      'overlays/prod/ingress.yaml',
      'overlays/prod/networkpolicy-allow-from-ingress-controller.yaml',
      'overlays/staging/ingress.yaml',
      'overlays/staging/networkpolicy-allow-from-ingress-controller.yaml',
    ]);
    expect(changes.changed).toEqual([
      // The preview's host patch and URL go, so does Ingress from what the fence's AppProjects admit, and the
      // admission policy refuses every Ingress in a preview. The workloads' AppProject admits a fixed list.
      'argocd/applicationset-checkout-preview-fences.yaml',
      'argocd/applicationset-checkout-previews.yaml',
      'argocd/appproject-checkout-preview-fences.yaml',
      'argocd/appproject-checkout.yaml',
      'argocd/validatingadmissionpolicy-checkout-preview-ingresses.yaml',
      'overlays/dev/kustomization.yaml',
      'overlays/preview-fence/kustomization.yaml',
      'overlays/preview/configmap.yaml',
      'overlays/prod/kustomization.yaml',
      'overlays/prod/patches/configmap-api-config.yaml',
      'overlays/prod/patches/configmap-web-config.yaml',
      'overlays/prod/patches/configmap-worker-config.yaml',
      'overlays/prod/patches/deployment-api.yaml',
      'overlays/prod/patches/deployment-web.yaml',
      'overlays/prod/patches/deployment-worker.yaml',
      'overlays/staging/kustomization.yaml',
    ]);
  });

  it('carries promoted digests, and the comments around them, forward', async () => {
    const dir = await exampleWorkspace();
    await synthIn(dir);
    const kustomization = path.join(dir, 'gitops/overlays/prod/kustomization.yaml');
    const original = await readFile(kustomization, 'utf8');
    const configured = /sha256:3f1c[0-9a-f]+/.exec(original)![0];
    const promoted = original.replace(configured, `${promotedDigest} # promoted from staging`);
    await writeFile(kustomization, promoted);
    expect(await synthIn(dir)).toEqual({ added: [], changed: [], removed: [] });
    expect(await readFile(kustomization, 'utf8')).toBe(promoted);
    // A change elsewhere in the same file keeps the pin too.
    const config = path.join(dir, 'dynenv.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('namespace: checkout-prod', 'namespace: checkout-production'));
    await synthIn(dir);
    const after = await readFile(kustomization, 'utf8');
    expect(after).toContain('namespace: checkout-production');
    expect(after).toContain(`digest: ${promotedDigest} # promoted from staging`);
    expect(after).not.toContain(configured);
  });

  it("has dev run the tag dynenv.yaml gives it, while a digest pinned in dev stays promotion's", async () => {
    const dir = await exampleWorkspace();
    await synthIn(dir);
    const kustomization = path.join(dir, 'gitops/overlays/dev/kustomization.yaml');
    const config = path.join(dir, 'dynenv.yaml');
    // A digest pinned in dev (by hand or a tool) for one service; the others follow the tag.
    const original = await readFile(kustomization, 'utf8');
    const pinned = original.replace(/(- name: ghcr\.io\/example-org\/checkout-web\n\s+)newTag: main/, `$1digest: ${promotedDigest}`);
    expect(pinned).not.toBe(original);
    await writeFile(kustomization, pinned);
    await writeFile(config, (await readFile(config, 'utf8')).replace('    imageTag: main', '    imageTag: develop'));
    const changes = await synthIn(dir);
    expect(changes.changed).toEqual(['overlays/dev/kustomization.yaml']);
    const images = readImages(await readFile(kustomization, 'utf8'));
    expect(images).toEqual([
      { name: 'ghcr.io/example-org/checkout-api', newTag: 'develop' },
      { name: 'ghcr.io/example-org/checkout-web', digest: promotedDigest },
      { name: 'ghcr.io/example-org/checkout-worker', newTag: 'develop' },
    ]);
  });

  it('adds a pin for a new service without touching the existing ones', async () => {
    const dir = await exampleWorkspace();
    await synthIn(dir);
    const kustomization = path.join(dir, 'gitops/overlays/prod/kustomization.yaml');
    await writeFile(kustomization, (await readFile(kustomization, 'utf8')).replace(/sha256:3f1c[0-9a-f]+/, promotedDigest));
    const config = path.join(dir, 'dynenv.yaml');
    const newDigest = `sha256:${'1'.repeat(64)}`;
    await writeFile(
      config,
      (await readFile(config, 'utf8'))
        .replace('  - name: worker\n', '  - name: mailer\n    image: ghcr.io/example-org/checkout-mailer\n    healthCommand: [/bin/true]\n  - name: worker\n')
        .replaceAll('      worker: {', `      mailer: { digest: "${newDigest}" }\n      worker: {`),
    );
    await synthIn(dir);
    const images = (await readFile(kustomization, 'utf8')).split('images:\n')[1]!;
    expect(images).toContain(`digest: ${promotedDigest}`);
    expect(images).toContain(`- name: ghcr.io/example-org/checkout-mailer\n    digest: ${newDigest}`);
  });

  it('refuses to guess when a kustomization it must carry pins from cannot be read, and writes nothing', async () => {
    const dir = await exampleWorkspace();
    await synthIn(dir);
    const kustomization = path.join(dir, 'gitops/overlays/prod/kustomization.yaml');
    await writeFile(kustomization, 'images: [\n');
    const before = await readTree(path.join(dir, 'gitops'));
    await expect(synthIn(dir)).rejects.toThrow(/overlays\/prod\/kustomization.yaml:2:1: cannot read the image pins to carry them forward/);
    expect([...(await readTree(path.join(dir, 'gitops')))]).toEqual([...before]);
  });

  it('leaves the tree untouched when the configuration is invalid', async () => {
    const dir = await exampleWorkspace();
    await synthIn(dir);
    const before = await readTree(path.join(dir, 'gitops'));
    const times = await mtimes(path.join(dir, 'gitops'));
    const config = path.join(dir, 'dynenv.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('port: 3000', 'port: http').replace('LOG_LEVEL: warn', 'LOG_LEVEL: error'));
    await expect(synthIn(dir)).rejects.toThrow('services.web.port: expected an integer 1-65535, got "http"');
    expect([...(await readTree(path.join(dir, 'gitops')))]).toEqual([...before]);
    expect(await mtimes(path.join(dir, 'gitops'))).toEqual(times);
  });

  it('leaves the tree untouched when writing fails part-way', async () => {
    const dir = await exampleWorkspace();
    await synthIn(dir);
    const gitops = path.join(dir, 'gitops');
    // The new configuration changes files in several folders; a file where the patches/ folder of prod must be
    // makes staging fail after other files were staged.
    const config = path.join(dir, 'dynenv.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replaceAll('LOG_LEVEL: ', 'LOG_LEVEL: x-'));
    await rm(path.join(gitops, 'overlays/prod/patches'), { recursive: true });
    await writeFile(path.join(gitops, 'overlays/prod/patches'), 'in the way\n');
    const before = await readTree(gitops);
    await expect(synthIn(dir)).rejects.toThrow();
    expect([...(await readTree(gitops))]).toEqual([...before]);
    // Nothing staged is left behind.
    expect((await readTree(gitops)).size).toBe(before.size);
  });

  it('with check, writes nothing and lists what is stale', async () => {
    const dir = await exampleWorkspace();
    expect((await synthIn(dir, true)).added.length).toBeGreaterThan(20);
    await expect(stat(path.join(dir, 'gitops'))).rejects.toThrow('ENOENT');
    await synthIn(dir);
    await writeFile(path.join(dir, 'gitops/overlays/dev/stray.yaml'), 'kind: ConfigMap\n');
    await rm(path.join(dir, 'gitops/base/api/service.yaml'));
    expect(await synthIn(dir, true)).toEqual({ added: ['base/api/service.yaml'], changed: [], removed: ['overlays/dev/stray.yaml'] });
    await expect(stat(path.join(dir, 'gitops/base/api/service.yaml'))).rejects.toThrow('ENOENT');
  });

  it('cleans up files staged by a run that was killed', async () => {
    const dir = await exampleWorkspace();
    await synthIn(dir);
    const leftover = path.join(dir, 'gitops/overlays/dev/.dynenv-tmp-123-abcd-namespace.yaml');
    await writeFile(leftover, 'half');
    expect(await synthIn(dir, true)).toEqual({ added: [], changed: [], removed: [] });
    const config = path.join(dir, 'dynenv.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('LOG_LEVEL: debug', 'LOG_LEVEL: info'));
    await synthIn(dir);
    await expect(stat(leftover)).rejects.toThrow('ENOENT');
  });
});
