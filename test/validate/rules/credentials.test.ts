import { describe } from 'vitest';
import { credentialsRule } from '../../../src/validate/rules/credentials.ts';
import { itReportsEachBreakage, objectIn } from '../fixtures.ts';

const TOKEN = 'ghp_R3dact3dR3dact3dR3dact3dR3dact3d1234';

describe('credentials rule', () => {
  itReportsEachBreakage(credentialsRule, [
    {
      name: "a token in an ApplicationSet's repoURL (it passed validate before)",
      breaks: (tree) => {
        objectIn(tree, 'argocd', 'ApplicationSet', 'shop-previews').spec.template.spec.source.repoURL =
          `https://x-access-token:${TOKEN}@github.com/acme/shop.git`;
      },
      expected: ['error argocd ApplicationSet/shop-previews spec.template.spec.source.repoURL: holds a credential: "https://***@github.com/acme/shop.git"'],
    },
    {
      name: 'a database URL with its password in a ConfigMap',
      breaks: (tree) => {
        objectIn(tree, 'prod', 'ConfigMap', 'api-config').data.DATABASE_URL = 'postgres://app:hunter2@db:5432/app';
      },
      expected: ['error prod ConfigMap/api-config data.DATABASE_URL: holds a credential: "postgres://***@db:5432/app"'],
    },
    {
      name: 'a GitHub token anywhere',
      breaks: (tree) => {
        objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec.containers[0].args = ['--token', TOKEN];
      },
      expected: ['error prod Deployment/api spec.template.spec.containers[0].args[1]: holds a credential: "***"'],
    },
  ]);
});
