import { describe, expect, it } from 'vitest';
import { applicationSetParametersRule } from '../../../src/validate/rules/applicationset-parameters.ts';
import { type FixtureTree, itReportsEachBreakage, CONTEXT, healthyTree, lines, objectIn } from '../fixtures.ts';

const applicationSet = (tree: FixtureTree) => objectIn(tree, 'argocd', 'ApplicationSet', 'shop-previews');

describe('applicationset-parameters rule', () => {
  itReportsEachBreakage(applicationSetParametersRule, [
    {
      name: 'a parameter the plugin does not emit, in the template',
      breaks: (tree: FixtureTree) => {
        applicationSet(tree).spec.template.metadata.name = 'pr-{{ .pr_number }}';
      },
      expected: [
        'error argocd ApplicationSet/shop-previews spec.template.metadata.name: {{ .pr_number }} uses parameter "pr_number", which the dynenv plugin does not emit',
      ],
    },
    {
      name: 'a parameter deep in the template, in a list',
      breaks: (tree: FixtureTree) => {
        applicationSet(tree).spec.template.spec.source.kustomize.images = ['ghcr.io/acme/api:sha-{{ .sha }}'];
      },
      expected: [
        'error argocd ApplicationSet/shop-previews spec.template.spec.source.kustomize.images[0]: {{ .sha }} uses parameter "sha", which the dynenv plugin does not emit',
      ],
    },
    {
      name: 'a parameter the plugin does not emit, in templatePatch',
      breaks: (tree: FixtureTree) => {
        applicationSet(tree).spec.templatePatch = '{{- if .preview_enabled }}\nspec:\n  syncPolicy: { automated: { prune: true } }\n{{- end }}\n';
      },
      expected: [
        'error argocd ApplicationSet/shop-previews spec.templatePatch: {{- if .preview_enabled }} uses parameter "preview_enabled", which the dynenv plugin does not emit',
      ],
    },
    {
      name: "a parameter the plugin does not emit, in the plugin generator's own template",
      breaks: (tree: FixtureTree) => {
        applicationSet(tree).spec.generators[0].plugin.template = { metadata: { labels: { author: '{{ .user }}' } }, spec: { project: 'p' } };
      },
      expected: [
        'error argocd ApplicationSet/shop-previews spec.generators[0].plugin.template.metadata.labels.author: {{ .user }} uses parameter "user", which the dynenv plugin does not emit',
      ],
    },
    {
      name: 'a parameter written the fasttemplate way when goTemplate is off',
      breaks: (tree: FixtureTree) => {
        applicationSet(tree).spec.goTemplate = false;
        applicationSet(tree).spec.template.metadata.name = 'pr-{{number}}';
        applicationSet(tree).spec.template.metadata.labels = { branch: '{{branch_name}}' };
        applicationSet(tree).spec.template.spec.source.targetRevision = '{{head_sha}}';
        applicationSet(tree).spec.template.spec.source.kustomize = { namePrefix: '{{ values.prefix }}-' };
        applicationSet(tree).spec.template.spec.destination.namespace = 'pr-{{number}}';
      },
      expected: [
        'error argocd ApplicationSet/shop-previews spec.template.metadata.labels.branch: {{branch_name}} uses parameter "branch_name", which the dynenv plugin does not emit',
      ],
    },
  ]);

  it('suggests the parameter meant, and lists what the plugin emits', async () => {
    const tree = healthyTree();
    applicationSet(tree).spec.template.metadata.name = 'pr-{{ .numbr }}';
    expect((await applicationSetParametersRule.check(tree, CONTEXT))[0]?.fix).toBe(
      'did you mean "number"? The plugin emits: number, title, branch, branch_slug, target_branch, target_branch_slug, head_sha, head_short_sha, head_short_sha_7, author, labels, namespace, url, repo, draft, updated_at',
    );
  });

  it("accepts what Argo CD adds (generator, values) and fields of range's elements", async () => {
    const tree = healthyTree();
    applicationSet(tree).spec.template.metadata.annotations = {
      repo: '{{ .generator.input.parameters.repo }}',
      suffix: '{{ .values.suffix }}',
      labels: '{{ range .labels }}{{ .name }},{{ end }}',
    };
    expect(await lines(applicationSetParametersRule, tree)).toEqual([]);
  });

  it('uses the key list it is given: the plugin server owns it', async () => {
    const tree = healthyTree();
    expect(await lines(applicationSetParametersRule, tree, { ...CONTEXT, pluginParameterKeys: ['number', 'head_sha', 'branch_slug'] })).toEqual([
      'error argocd ApplicationSet/shop-previews spec.template.spec.source.kustomize.namespace: {{ .namespace }} uses parameter "namespace", which the dynenv plugin does not emit',
      'error argocd ApplicationSet/shop-previews spec.template.spec.destination.namespace: {{ .namespace }} uses parameter "namespace", which the dynenv plugin does not emit',
    ]);
  });

  it('leaves ApplicationSets that combine the plugin with other generators alone: those add keys of their own', async () => {
    const tree = healthyTree();
    const generators = applicationSet(tree).spec.generators;
    applicationSet(tree).spec.generators = [{ matrix: { generators: [...generators, { clusters: {} }] } }];
    applicationSet(tree).spec.template.metadata.name = '{{ .name }}-pr-{{ .number }}';
    expect(await lines(applicationSetParametersRule, tree)).toEqual([]);
  });
});
