/**
 * A plugin generator reads its ConfigMap (`configMapRef`) from Argo CD's namespace, and fails every poll when
 * the ConfigMap is missing or lacks a non-empty `baseUrl` and `token`. The token is a reference `$<secret>:<key>`
 * (or `$<key>` of argocd-secret); a referenced Secret that does not exist makes Argo CD send the literal text as
 * the token, and a token written in clear is a credential committed to Git. See docs/plugin-protocol.md.
 */
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { isApplicationSet, leafGenerators } from '../application-sets.ts';
import { finding, type Finding } from '../finding.ts';
import { isKind } from '../kinds.ts';
import { asRecord, asString, valueAt } from '../object-access.ts';
import type { Scope } from '../render.ts';
import type { Rule, RuleContext } from '../rule.ts';

export const pluginConfigRule: Rule = {
  id: 'plugin-config',
  summary: "each plugin generator's ConfigMap exists, has baseUrl and token, and its token Secret exists",
  check(tree, context) {
    return tree.scopes.flatMap((scope) =>
      scope.objects.filter(isApplicationSet).flatMap((applicationSet) =>
        leafGenerators(applicationSet)
          .filter((generator) => generator.type === 'plugin')
          .flatMap((generator) => {
            const name = asString(valueAt(generator.spec, ['configMapRef', 'name']));
            if (name === undefined) return [];
            const configMap = scope.objects.find((object) => isKind(object, '', 'ConfigMap') && object.metadata.name === name);
            if (configMap) return checkConfigMap(configMap, scope, context);
            if (context.external.configMaps.includes(name)) return [];
            return [
              finding(
                'plugin-config',
                { scope: scope.name, object: applicationSet, path: [...generator.path, 'configMapRef', 'name'] },
                `plugin generator names ConfigMap "${name}", which is neither in ${scope.name} nor declared external`,
                `add the ConfigMap (data.baseUrl, data.token) to ${scope.directory}, or list it in dynenv.yaml under external.configMaps`,
              ),
            ];
          }),
      ),
    );
  },
};

function checkConfigMap(configMap: KubernetesObject, scope: Scope, context: RuleContext): Finding[] {
  const data = asRecord(configMap.data);
  const at = (field: string) => ({ scope: scope.name, object: configMap, path: ['data', field] });
  const findings: Finding[] = [];
  for (const field of ['baseUrl', 'token']) {
    if (!asString(data?.[field])?.trim()) {
      findings.push(
        finding(
          'plugin-config',
          at(field),
          `${field} is missing or empty: Argo CD rejects a plugin ConfigMap without it`,
          field === 'baseUrl' ? "set data.baseUrl to the plugin server's URL" : 'set data.token to "$<secret-name>:<key>"',
        ),
      );
    }
  }
  const token = asString(data?.token)?.trim();
  if (!token) return findings;
  if (!token.startsWith('$')) {
    findings.push(
      finding(
        'plugin-config',
        at('token'),
        'token is written in clear text, so the credential is committed to Git',
        'keep the token in a Secret in Argo CD\'s namespace and set data.token to "$<secret-name>:<key>"',
      ),
    );
    return findings;
  }
  // `$<key>` reads argocd-secret, which every Argo CD installation has.
  const colon = token.indexOf(':');
  if (colon === -1) return findings;
  const secretName = token.slice(1, colon);
  const key = token.slice(colon + 1);
  const secret = scope.objects.find((object) => isKind(object, '', 'Secret') && object.metadata.name === secretName);
  if (secret) {
    if (asRecord(secret.data)?.[key] === undefined && asRecord(secret.stringData)?.[key] === undefined) {
      findings.push(
        finding(
          'plugin-config',
          at('token'),
          `token reads key "${key}" of Secret "${secretName}", which has no such key: Argo CD would send "${token}" as the token`,
          `add key "${key}" to the Secret, or correct the key after the ":"`,
        ),
      );
    }
  } else if (!context.external.secrets.includes(secretName)) {
    findings.push(
      finding(
        'plugin-config',
        at('token'),
        `token reads Secret "${secretName}", which is neither in ${scope.name} nor declared external: ` + `Argo CD would send "${token}" as the token`,
        `create the Secret in Argo CD's namespace and list it in dynenv.yaml under external.secrets`,
      ),
    );
  }
  return findings;
}
