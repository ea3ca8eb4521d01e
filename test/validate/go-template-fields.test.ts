import { describe, expect, it } from 'vitest';
import { topLevelFieldsOf } from '../../src/validate/go-template-fields.ts';

const fields = (template: string) => topLevelFieldsOf(template).map((use) => use.field);

describe('topLevelFieldsOf', () => {
  it.each([
    { template: 'pr-{{ .number }}', expected: ['number'] },
    { template: 'pr-{{.number}}', expected: ['number'] },
    { template: '{{- .branch_slug -}}', expected: ['branch_slug'] },
    { template: 'no template at all', expected: [] },
    { template: '{{ printf "pr-%s-%s" .number .head_short_sha }}', expected: ['number', 'head_short_sha'] },
    { template: '{{ .number | trunc 5 }}', expected: ['number'] },
    { template: '{{ (.title) }}', expected: ['title'] },
    { template: '{{ .generator.input.parameters.repo }}', expected: ['generator'] },
    { template: '{{ $.values.suffix }}', expected: ['values'] },
    { template: '{{ "a .quoted.string" }}{{ `raw .too` }}', expected: [] },
    { template: '{{/* .commented */}}{{ .author }}', expected: ['author'] },
    { template: '{{ $n := .number }}{{ $n.x }}', expected: ['number'] },
    { template: '{{ if .draft }}draft-{{ .number }}{{ end }}', expected: ['draft', 'number'] },
    { template: '{{ range .labels }}{{ .name }}{{ end }}{{ .url }}', expected: ['labels', 'url'] },
    { template: '{{ range .labels }}{{ $.repo }}{{ end }}', expected: ['labels', 'repo'] },
    { template: '{{ with .title }}{{ . }}{{ else }}{{ .branch }}{{ end }}', expected: ['title', 'branch'] },
    { template: '{{ with .title }}{{ .x }}{{ else with .author }}{{ .y }}{{ end }}', expected: ['title', 'author'] },
    { template: '{{ index .labels 0 }}', expected: ['labels'] },
  ])('reads $expected from $template', ({ template, expected }) => {
    expect(fields(template)).toEqual(expected);
  });

  it('names the action each field is read in', () => {
    expect(topLevelFieldsOf('x-{{ .pr_number }}-y')).toEqual([{ field: 'pr_number', action: '{{ .pr_number }}' }]);
  });
});
