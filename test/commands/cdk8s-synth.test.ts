import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, tempDir } from '../support/workspace.ts';

describe('npx cdk8s synth', () => {
  it('runs the app named in cdk8s.yaml and writes one manifest per chart, never into gitops/', async () => {
    const out = await tempDir();
    // --no-check-upgrade: otherwise the cdk8s CLI first asks the npm registry for its latest version, and no test
    // may reach the internet.
    await promisify(execFile)(path.join(REPO_ROOT, 'node_modules/.bin/cdk8s'), ['synth', '--no-check-upgrade', '--output', out], { cwd: REPO_ROOT });
    const files = (await readdir(out)).sort();
    expect(files).toEqual(
      expect.arrayContaining(['argocd.k8s.yaml', 'base-api.k8s.yaml', 'base-web.k8s.yaml', 'base-worker.k8s.yaml', 'overlay-prod.k8s.yaml']),
    );
    const kinds = parseAllDocuments(await readFile(path.join(out, 'base-api.k8s.yaml'), 'utf8')).map((document) => document.get('kind'));
    expect(kinds.sort()).toEqual(['ConfigMap', 'Deployment', 'Service', 'ServiceAccount']);
    expect(await readFile(path.join(REPO_ROOT, 'cdk8s.yaml'), 'utf8')).toMatch(/^output: cdk8s.out$/m);
  });
});
