/** The `image` of a service or container in dynenv.yaml, normalised as the container runtime reads it. */
import { z } from 'zod';
import { formatImageReference, parseImageReference } from './image-reference.ts';

const DESCRIPTION =
  'Image: a repository this repository builds, without tag or digest ("ghcr.io/acme/api": each environment pins it), or a ' +
  'third-party image with its tag or digest ("redis:7.4", "bitnami/redis@sha256:…"). Docker Hub short names are normalised ' +
  '("redis:7.4" is "docker.io/library/redis:7.4"). Required.';

export const imageSchema = z
  .string({ error: 'expected an image such as "ghcr.io/acme/api" or "redis:7.4"' })
  .transform((value, ctx) => {
    const parsed = parseImageReference(value);
    if ('problem' in parsed) {
      ctx.issues.push({ code: 'custom', input: value, message: `${parsed.problem}, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return formatImageReference(parsed);
  })
  .meta({ description: DESCRIPTION });

export const builtHereSchema = z
  .boolean({ error: 'expected true or false' })
  .optional()
  .meta({
    description:
      'Whether this repository builds the image: only such images follow a pull request in its preview and are pinned per ' +
      'environment (promoted by digest). With a tag in `image`, that tag is what environments without a pin of their own run ' +
      '(staging and prod until the first `dynenv promote`). Default: true when `image` has no tag or digest, false otherwise.',
  });
