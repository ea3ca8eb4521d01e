import { Construct } from 'constructs';
import { PATTERN_PARAMETERS } from '../config/preview-pattern.ts';
import { type ApplicationSetSpec, argocdObject } from './argocd-object.ts';
import { DYNENV_LABEL, appLabels } from './labels.ts';
import { type PreviewApplicationTemplateProps, previewApplicationTemplate } from './preview-application-template.ts';

/**
 * Every plugin parameter the ApplicationSet templates may use: the fixed ones below and those the configured
 * patterns may name. The plugin server must emit each of them for every pull request (missingkey=error).
 */
export const PREVIEW_TEMPLATE_PARAMETERS: readonly string[] = [
  ...new Set(['number', 'namespace', 'head_sha', 'url', ...Object.keys(PATTERN_PARAMETERS)]),
].sort();

/** The `input.parameters` the plugin server reads. */
export interface PluginInputParameters {
  readonly repo: string;
  readonly labels: readonly string[];
  readonly excludeLabels: readonly string[];
  readonly includeDrafts: boolean;
  readonly includeForks: boolean;
  readonly targetBranches: readonly string[];
  readonly branchMatch?: string;
  readonly titleMatch?: string;
  readonly maxAgeHours: number;
  readonly keepLabel?: string;
  readonly limit?: number;
  readonly namespacePrefix: string;
}

/** Which half of a preview an ApplicationSet makes: the label `dynenv.io/preview-part` on it and its Applications. */
export type PreviewPart = 'workloads' | 'fence';

/** Label that tells a preview's two ApplicationSets (and their Applications) apart. */
export const PREVIEW_PART_LABEL = 'dynenv.io/preview-part';

/** The ApplicationSet's own settings; what each of its Applications deploys is PreviewApplicationTemplateProps. */
export interface PreviewApplicationSetProps extends PreviewApplicationTemplateProps {
  /** Application name, for labels. */
  readonly app: string;
  /** The ApplicationSet's name. */
  readonly name: string;
  /** Which half of the preview it makes. */
  readonly part: PreviewPart;
  /** Argo CD's namespace. */
  readonly argocdNamespace: string;
  /** Name of the plugin ConfigMap. */
  readonly pluginConfigMap: string;
  /** What the plugin is asked for: the same for both halves, so they list the same pull requests. */
  readonly parameters: PluginInputParameters;
  /** How often Argo CD asks. */
  readonly requeueAfterSeconds: number;
}

/**
 * One of a preview's two ApplicationSets. Argo CD asks the plugin server for the open pull requests and makes one
 * Application per answer, deploying into the pull request's namespace, synced automatically with prune and
 * self-heal. When a pull request closes the plugin stops listing it and Argo CD deletes its Application; the
 * resources finalizer then deletes everything the Application deployed (the fence's, the Namespace included).
 */
export class PreviewApplicationSet extends Construct {
  /** The ApplicationSet's name. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: PreviewApplicationSetProps) {
    super(scope, id);
    this.name = props.name;
    const labels = { ...appLabels(props.app), [DYNENV_LABEL.environment]: 'preview', [PREVIEW_PART_LABEL]: props.part };
    argocdObject(this, 'ApplicationSet', {
      kind: 'ApplicationSet',
      name: this.name,
      namespace: props.argocdNamespace,
      labels,
      spec: {
        goTemplate: true,
        // An unknown key fails the whole ApplicationSet instead of deploying "<no value>" somewhere.
        goTemplateOptions: ['missingkey=error'],
        generators: [pluginGenerator(props)],
        template: previewApplicationTemplate(props, labels),
      },
    });
  }
}

/** Argo CD's plugin generator, asking the plugin server for the open pull requests every `requeueAfterSeconds`. */
function pluginGenerator(props: PreviewApplicationSetProps): ApplicationSetSpec['generators'][number] {
  return {
    plugin: {
      configMapRef: { name: props.pluginConfigMap },
      input: { parameters: { ...props.parameters } },
      requeueAfterSeconds: props.requeueAfterSeconds,
    },
  };
}
