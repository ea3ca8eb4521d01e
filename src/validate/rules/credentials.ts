/**
 * No credential in the tree. Everything under gitops/ is committed, so a URL with a token in it
 * (`https://x-access-token:ghp_…@github.com/…` as an Application's repoURL) or a GitHub token anywhere is a
 * credential published to everyone who can read the repository.
 */
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { redactCredentials } from '../../../contract/redact-credentials.ts';
import { finding, type Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';

export const credentialsRule: Rule = {
  id: 'credentials',
  summary: 'no string in the tree holds a credential (a URL with user:password@, a GitHub token)',
  check(tree) {
    return tree.scopes.flatMap((scope) =>
      scope.objects.flatMap((object) =>
        stringsOf(object).flatMap(({ value, path }): Finding[] => {
          const redacted = redactCredentials(value);
          if (redacted === value) return [];
          return [
            finding(
              'credentials',
              { scope: scope.name, object, path },
              `holds a credential: ${JSON.stringify(redacted.length > 120 ? `${redacted.slice(0, 117)}...` : redacted)}`,
              'take it out of Git: Argo CD reads a private repository with a repository Secret, dynenv with GITHUB_TOKEN; ' +
                'a workload reads a Secret (secretKeyRef in dynenv.yaml)',
            ),
          ];
        }),
      ),
    );
  },
};

/** Every string inside `object`, with its path. */
function stringsOf(object: KubernetesObject): Array<{ value: string; path: PropertyKey[] }> {
  const found: Array<{ value: string; path: PropertyKey[] }> = [];
  const visit = (value: unknown, path: PropertyKey[]): void => {
    if (typeof value === 'string') found.push({ value, path });
    else if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  visit(object, []);
  return found;
}
