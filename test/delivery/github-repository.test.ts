import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.ts';
import { repositoryFromGitUrl, resolveGitHubRepository } from '../../src/delivery/github-repository.ts';

describe('repositoryFromGitUrl', () => {
  it.each([
    ['https://github.com/acme/checkout.git', 'acme/checkout'],
    ['https://github.com/acme/checkout', 'acme/checkout'],
    ['https://x-access-token:t@github.com/acme/checkout.git/', 'acme/checkout'],
    ['git@github.com:acme/checkout.git', 'acme/checkout'],
    ['ssh://git@github.example.com:2222/acme/check.out.git', 'acme/check.out'],
    ['https://github.example.com/platform/checkout', 'platform/checkout'],
  ])('%s → %s', (url, expected) => {
    const repository = repositoryFromGitUrl(url);
    expect(repository && `${repository.owner}/${repository.name}`).toBe(expected);
  });

  it.each(['/tmp/origin.git', 'file:///tmp/origin.git', 'https://gitlab.com/group/sub/project.git', 'git@github.com:/abs/path', '../origin.git'])(
    'finds no GitHub repository in %s',
    (url) => {
      expect(repositoryFromGitUrl(url)).toBeUndefined();
    },
  );
});

describe('resolveGitHubRepository', () => {
  const config = (repository?: Config['repository']) => ({ repository }) as Config;

  it('takes --repo, then repository.github, then repository.url, then origin', () => {
    const origin = 'git@github.com:from/origin.git';
    const url = 'https://github.com/from/url.git';
    const resolve = (flag: string | undefined, repository?: Config['repository']) => {
      const { owner, name } = resolveGitHubRepository({ flag, config: config(repository), originUrl: origin });
      return `${owner}/${name}`;
    };
    expect(resolve('from/flag', { url, github: 'from/github', branch: 'main', path: 'gitops' })).toBe('from/flag');
    expect(resolve(undefined, { url, github: 'from/github', branch: 'main', path: 'gitops' })).toBe('from/github');
    expect(resolve(undefined, { url, branch: 'main', path: 'gitops' })).toBe('from/url');
    expect(resolve(undefined)).toBe('from/origin');
  });

  it('says where to name the repository when nothing names one', () => {
    expect(() => resolveGitHubRepository({ flag: undefined, config: config(), originUrl: '/srv/git/checkout.git' })).toThrow(
      'cannot tell which GitHub repository to open the pull request in: origin is /srv/git/checkout.git, not a GitHub URL. ' +
        'Set repository.github ("owner/name") in dynenv.yaml, or pass --repo owner/name.',
    );
    expect(() => resolveGitHubRepository({ flag: 'checkout', config: config(), originUrl: '' })).toThrow('--repo: expected "owner/name", got "checkout"');
  });
});
