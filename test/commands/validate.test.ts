import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynenv as dynenvProcess, dynenvInProcess as dynenv } from '../support/cli.ts';
import { REPO_ROOT, tempDir } from '../support/workspace.ts';
import { DIGEST, OVERLAY_YAML, writeFixtureTree } from '../validate/fixtures.ts';

// The fixture's Deployment also reads a Secret kept outside the tree, which dynenv.yaml must declare.
const WITH_PAYMENTS_SECRET = OVERLAY_YAML.replace(
  'envFrom: [{ configMapRef: { name: api-config } }]',
  'envFrom: [{ configMapRef: { name: api-config } }, { secretRef: { name: payments } }]',
);

/** A folder holding the fixture tree in gitops/ and a dynenv.yaml (the example's) declaring `external`. */
async function project(overlay = WITH_PAYMENTS_SECRET, external = '{ secrets: [payments] }'): Promise<string> {
  const dir = await tempDir();
  await writeFixtureTree(path.join(dir, 'gitops'), overlay);
  const example = await readFile(path.join(REPO_ROOT, 'dynenv.yaml'), 'utf8');
  await writeFile(path.join(dir, 'dynenv.yaml'), `${example}\nexternal: ${external}\n`);
  return dir;
}

describe('dynenv validate', () => {
  it('exits 0 and says what it checked when the tree passes, reading external objects from dynenv.yaml', async () => {
    // The plugin's token Secret (dynenv-plugin-token) is external by dynenv.yaml's argocd.plugin.tokenSecret.
    // The real binary here (a smoke test); the command line's behaviour below runs in this process.
    const result = await dynenvProcess(await project(), ['validate']);
    expect(result).toMatchObject({ code: 0, stdout: 'gitops/ passes: 10 objects in prod, argocd\n' });
  });

  it('exits 1 with each finding and what to do, in text by default', async () => {
    const dir = await project(WITH_PAYMENTS_SECRET.replace(`ghcr.io/acme/api@${DIGEST}`, 'ghcr.io/acme/api:latest'));
    const result = await dynenv(dir, ['validate']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        'prod  Deployment/api',
        '  error [pinned-images] spec.template.spec.containers[0].image: image "ghcr.io/acme/api:latest" runs tag "latest", which moves with every push',
        '    fix: pin it by digest: an images: entry with digest: in gitops/overlays/prod/kustomization.yaml (`npx dynenv promote` writes it), or image@sha256:<digest>',
        '',
        'gitops/ fails: 1 error, 0 warnings (10 objects in prod, argocd)',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON for CI with --format json, taking --dir and --config', async () => {
    const dir = await project(WITH_PAYMENTS_SECRET, '{ secrets: [] }');
    await writeFile(path.join(dir, 'other.yaml'), (await readFile(path.join(dir, 'dynenv.yaml'), 'utf8')).replace('secrets: []', 'secrets: [payments]'));
    const failing = await dynenv(dir, ['validate', '--format', 'json', '--dir', 'gitops']);
    expect(failing.code).toBe(1);
    const document = JSON.parse(failing.stdout);
    expect(document).toMatchObject({ ok: false, directory: 'gitops', summary: { errors: 1, warnings: 0, objects: 10 } });
    expect(document.findings).toEqual([
      {
        severity: 'error',
        rule: 'object-reference',
        scope: 'prod',
        kind: 'Deployment',
        name: 'api',
        path: 'spec.template.spec.containers[0].envFrom[1].secretRef.name',
        message: 'refers to Secret "payments", which is neither in prod nor declared external',
        fix: 'add the Secret to the overlay, or, when it is created outside gitops/ (by an operator, a Job or by hand), list it in dynenv.yaml under external.secrets',
      },
    ]);
    const passing = await dynenv(dir, ['validate', '--format', 'json', '--config', 'other.yaml']);
    expect(passing.code).toBe(0);
    expect(JSON.parse(passing.stdout)).toMatchObject({ ok: true, findings: [] });
  });

  it.each([
    { args: ['validate', '--format', 'xml'], code: 2, stderr: 'dynenv validate: --format: expected "text" or "json", got "xml"\n' },
    {
      args: ['validate', '--dir', 'nowhere'],
      code: 1,
      stderr: 'dynenv validate: nowhere: no such folder: pass the GitOps tree with --out (default "gitops")\n',
    },
    {
      args: ['validate', '--config', 'missing.yaml'],
      code: 1,
      stderr:
        'dynenv validate: missing.yaml: cannot read the configuration: no such file: run dynenv in the folder that holds it, or name it with --config FILE\n',
    },
  ])('rejects $args with a clear error and exit code $code', async ({ args, code, stderr }) => {
    expect(await dynenv(await project(), args)).toEqual({ code, stdout: '', stderr });
  });

  it('says that kubectl is missing when it is', async () => {
    const result = await dynenv(await project(), ['validate'], { PATH: await tempDir() });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'dynenv validate: neither kubectl nor kustomize is installed: install kubectl (it embeds Kustomize) to render the overlays\n',
    });
  });
});
