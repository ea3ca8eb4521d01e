/** The Git repository that holds dynenv.yaml and gitops/ (`repository` in dynenv.yaml). */
import { z } from 'zod';
import { hasUrlCredentials, redactCredentials } from '../../contract/redact-credentials.ts';
import { GITHUB_REPOSITORY } from './primitives.ts';

/**
 * A Git URL as Argo CD clones it. It is written into gitops/argocd/ (committed) and into the preview
 * ApplicationSet's Go template, so it may hold neither a credential (Argo CD reads private repositories with a
 * repository Secret of its own) nor "{{" / "}}" (the template would evaluate them).
 */
const gitUrl = z
  .string({ error: 'expected a Git URL' })
  .regex(/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/, { error: 'expected a Git URL such as "https://github.com/acme/checkout.git"', abort: true })
  .superRefine((value, ctx) => {
    if (hasUrlCredentials(value)) {
      ctx.addIssue({
        code: 'custom',
        message:
          `must not hold credentials, got ${JSON.stringify(redactCredentials(value))}: the URL is committed to gitops/argocd/. ` +
          'Give Argo CD the credentials in a repository Secret (argocd.argoproj.io/secret-type: repository), and dynenv in GITHUB_TOKEN',
      });
    }
    if (/[{}]/.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `must not contain "{" or "}", got ${JSON.stringify(redactCredentials(value))}: the preview ApplicationSet is a Go template, which would evaluate "{{ … }}"`,
      });
    }
  });

export const repositorySchema = z.strictObject({
  url: gitUrl.meta({
    description:
      'Git URL Argo CD clones, e.g. "https://github.com/acme/checkout.git"; without credentials (Argo CD takes them from a ' +
      'repository Secret) and without "{" or "}". Required.',
  }),
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
