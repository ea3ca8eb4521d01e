import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImagePins, setImageDigests } from '../../src/delivery/image-pins.ts';
import { thrown } from '../support/errors.ts';
import { exampleTree } from '../support/example.ts';
import { REPO_ROOT } from '../support/workspace.ts';

const API = 'ghcr.io/example-org/checkout-api';
const WEB = 'ghcr.io/example-org/checkout-web';
const OLD_API = 'sha256:3f1c6bd4d1b25e0a6f0bbf4fcb2b7a7c8d7e1f9a0c4b5d6e7f8091a2b3c4d5e6';
const NEW = `sha256:${'ab'.repeat(32)}`;

async function prodOverlay(): Promise<string> {
  return readFile(path.join(REPO_ROOT, 'gitops/overlays/prod/kustomization.yaml'), 'utf8');
}

describe('readImagePins', () => {
  it('reads digests (staging, prod) and followed tags (dev) by image name', async () => {
    const tree = await exampleTree();
    expect(readImagePins(tree.get('overlays/prod/kustomization.yaml')!, 'prod').get(API)).toEqual({ digest: OLD_API });
    expect(readImagePins(tree.get('overlays/dev/kustomization.yaml')!, 'dev').get(API)).toEqual({ tag: 'main' });
    expect(readImagePins(tree.get('overlays/preview/kustomization.yaml')!, 'preview').size).toBe(0);
  });

  it.each([
    ['images: [', 'prod.yaml:1:10: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['images: {name: x}', 'prod.yaml: images: expected a list of entries with a "name"'],
    ['images:\n  - digest: sha256:x\n', 'prod.yaml: images: expected a list of entries with a "name"'],
  ])('refuses %j, naming the file', (text, message) => {
    expect(thrown(() => readImagePins(text, 'prod.yaml')).message).toBe(message);
  });
});

describe('setImageDigests', () => {
  it('changes only the digest values: every other byte of the synthesized file stays', async () => {
    const original = await prodOverlay();
    const edited = setImageDigests(original, 'prod', new Map([[API, NEW]]));
    expect(edited).toBe(original.replace(OLD_API, NEW));
  });

  it('keeps comments, quoting and the order of keys and entries', () => {
    const original = [
      '# pins owned by promotion',
      'images:',
      '  # the API',
      `  - digest: "${OLD_API}" # released 2025-01-02`,
      `    name: ${API}`,
      '    newName: registry.example.com/checkout-api',
      `  - name: ${WEB}`,
      `    digest: ${OLD_API}`,
      'kind: Kustomization',
      '',
    ].join('\n');
    const edited = setImageDigests(original, 'prod', new Map([[API, NEW]]));
    expect(edited).toBe(original.replace(`"${OLD_API}"`, `"${NEW}"`));
  });

  it.each([
    [`images:\n  - name: ${WEB}\n    digest: ${OLD_API}\n`, 'prod: images: expected one entry named ghcr.io/example-org/checkout-api, found 0'],
    [
      `images:\n  - name: ${API}\n    digest: ${OLD_API}\n  - name: ${API}\n    digest: ${OLD_API}\n`,
      'prod: images: expected one entry named ghcr.io/example-org/checkout-api, found 2',
    ],
    [`images:\n  - name: ${API}\n    newTag: main\n`, 'prod: images: the entry of ghcr.io/example-org/checkout-api has no digest to replace'],
  ])('refuses to guess: %j', (text, message) => {
    expect(thrown(() => setImageDigests(text, 'prod', new Map([[API, NEW]]))).message).toBe(message);
  });

  it('adds the entry of an image promoted there for the first time, and only if it has none', () => {
    const text = `images:\n  - name: ${WEB}\n    digest: ${OLD_API}\n`;
    expect(setImageDigests(text, 'prod', new Map(), new Map([[API, NEW]]))).toBe(`${text}  - name: ${API}\n    digest: ${NEW}\n`);
    expect(setImageDigests('resources: [a.yaml]\n', 'prod', new Map(), new Map([[API, NEW]]))).toBe(
      `resources: [ a.yaml ]\nimages:\n  - name: ${API}\n    digest: ${NEW}\n`,
    );
    expect(thrown(() => setImageDigests(text, 'prod', new Map(), new Map([[WEB, NEW]]))).message).toBe(
      `prod: images: ${WEB} was never promoted, yet has 1 entry`,
    );
  });
});
