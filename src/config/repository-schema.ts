/** The Git repository that holds dynenv.yaml and gitops/ (`repository` in dynenv.yaml). */
import { z } from 'zod';
import { GITHUB_REPOSITORY } from './primitives.ts';

export const repositorySchema = z.strictObject({
  url: z
    .string({ error: 'expected a Git URL' })
    .regex(/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/, { error: 'expected a Git URL such as "https://github.com/acme/checkout.git"' })
    .meta({ description: 'Git URL Argo CD clones, e.g. "https://github.com/acme/checkout.git". Required.' }),
  github: z
    .string({ error: 'expected "owner/name"' })
    .regex(GITHUB_REPOSITORY, { error: 'expected "owner/name"' })
    .optional()
    .meta({ description: '`owner/name` on GitHub, for pull requests. Default: read from `url` when it is a GitHub URL.' }),
  branch: z
    .string({ error: 'expected a branch name' })
    .min(1)
    .default('main')
    .meta({ description: 'Branch that dev, staging and prod track and pull requests merge into. Default: "main".' }),
  path: z
    .string({ error: 'expected a folder path' })
    .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, { error: 'expected a relative folder path such as "gitops" or "deploy/gitops"' })
    .refine((value) => !value.split('/').includes('..'), { error: 'expected a folder inside the repository (no "..")' })
    .default('gitops')
    .meta({ description: 'Folder of the GitOps tree inside the repository, as Argo CD reads it. Default: "gitops".' }),
});
export type RepositoryConfig = z.infer<typeof repositorySchema>;
