/**
 * The first promotion of a service that was never promoted: staging and prod ran the tag its `image` names in
 * dynenv.yaml (as `dynenv init` writes it), so their overlays have no entry for it. `promote` adds the entry, and
 * the tree stays what synthesis writes.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { promote } from '../../src/delivery/promote.ts';
import { synthesize } from '../../src/gitops/synthesize.ts';
import { BUILT, IMAGES, OVERLAY, synthCheckOn } from '../support/delivery.ts';
import { gitHubSettings, startGitHub } from '../support/fake-github.ts';
import { commitOnMain, createGitFixture, originFile, pullMain } from '../support/git-fixture.ts';

describe('dynenv promote, the first time', () => {
  it('adds the pin of a service that ran the tag of dynenv.yaml, says so, and offers no rollback to a tag', async () => {
    const fixture = await createGitFixture();
    const fake = await startGitHub();
    await commitOnMain(fixture, 'api runs v1 until promoted', async (clone) => {
      const file = path.join(clone, 'dynenv.yaml');
      const config = parse(await readFile(file, 'utf8'));
      config.services[0].image = `${IMAGES.api}:v1`;
      config.services[0].builtHere = true;
      for (const env of ['staging', 'prod']) delete config.environments[env].services.api.digest;
      await writeFile(file, stringify(config));
      for (const env of ['staging', 'prod'] as const) await rm(path.join(clone, OVERLAY[env]));
      await synthesize({ configFile: file, outDir: path.join(clone, 'gitops') });
    });
    await pullMain(fixture);
    expect(await originFile(fixture, 'main', OVERLAY.staging)).not.toContain(IMAGES.api);

    const result = await promote({ cwd: fixture.work, service: 'api', to: 'staging', digest: BUILT.first, ...gitHubSettings(fake) });

    expect(result).toMatchObject({ outcome: 'published' });
    const branch = (result as { branch: string }).branch;
    const images = parse(await originFile(fixture, branch, OVERLAY.staging)).images;
    expect(images.at(-1)).toEqual({ name: IMAGES.api, digest: BUILT.first });
    const body = fake.pull('example-org/checkout', 1).body;
    expect(body).toContain(`- **api** (\`${IMAGES.api}\`)\n  - staging: \`tag v1\` → \`${BUILT.first}\`\n`);
    expect(body).not.toContain('To roll back');
    expect(await synthCheckOn(fixture, branch)).toEqual({ added: [], changed: [], removed: [], foreign: [] });
  });
});
